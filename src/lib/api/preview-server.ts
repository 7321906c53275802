/**
 * The preview server: serves a build output folder like a static host would, plus what only a server
 * can do. It decodes `%2F` in paths (clients request `/v0.1/servers/io.github.user%2Fweather/...`,
 * which sirv-based `astro preview` cannot serve), serves a folder's index.html or index.json, answers
 * the v0.1 query parameters (limit, cursor, search, version, updated_since, include_deleted) from the
 * per-server documents in the same build, sends CORS headers on every response, a JSON 404 under
 * /v0.1 (and its /v0 alias) and the site's 404.html elsewhere, and never leaves the folder.
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse as HttpResponse } from 'node:http';
import { createServer } from 'node:http';
import path from 'node:path';
import { canonicalJson, compareCodePoints } from './json.ts';
import {
  findVersion,
  LIST_PARAMETERS,
  listServers,
  listVersions,
  NOT_FOUND,
  OFFICIAL_API_ROOT,
  parseBoolean,
  parseListQuery,
} from './official.ts';
import { OUR_API_ROOT } from './ours.ts';
import type { ServerDocument } from './schemas.ts';
import { ServerDocumentSchema } from './schemas.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
};
const JSON_TYPE = CONTENT_TYPES['.json']!;
/** Host configuration files in the output folder, which real hosts never serve. */
const HIDDEN = new Set(['_headers', '_redirects']);

export interface PreviewServerOptions {
  /** The build output folder, e.g. `dist`. */
  root: string;
  /** Where to report unexpected failures (one line, no stack). */
  log?: (message: string) => void;
}

export interface PreviewServer extends Server {
  /**
   * Settles once the server has read the build's documents for queries, which it starts at once (tens
   * of thousands of files at the official registry's size: seconds of CPU). A failure to read them is
   * not reported here but to the query that needs them.
   */
  readonly ready: Promise<void>;
}

export function createPreviewServer({
  root,
  log = (message) => console.error(message),
}: PreviewServerOptions): PreviewServer {
  const site = path.resolve(root);
  const documents = new DocumentStore(site);
  // Load the documents for queries now, so the first client query does not wait.
  const ready = documents.all().then(
    () => undefined,
    () => undefined,
  );
  const server = createServer((request, response) => {
    handle(request, response, site, documents).catch((error: unknown) => {
      log(`preview: ${request.method} ${request.url}: ${(error as Error).message}`);
      if (!response.headersSent)
        sendText(response, request, 500, JSON_TYPE, canonicalJson({ error: 'Internal error' }));
      else response.destroy();
    });
  });
  return Object.assign(server, { ready });
}

async function handle(
  request: IncomingMessage,
  response: HttpResponse,
  site: string,
  documents: DocumentStore,
): Promise<void> {
  response.setHeader('Access-Control-Allow-Origin', '*');
  response.setHeader('Cache-Control', 'no-cache');
  response.setHeader('X-Content-Type-Options', 'nosniff');
  if (request.method === 'OPTIONS') {
    response.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS');
    response.setHeader('Access-Control-Allow-Headers', '*');
    response.writeHead(204).end();
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD, OPTIONS');
    sendText(response, request, 405, 'text/plain; charset=utf-8', 'Method not allowed\n');
    return;
  }
  const url = new URL(request.url ?? '/', 'http://preview.invalid');
  const segments = decodeSegments(url.pathname);
  if (segments === undefined) {
    sendText(response, request, 400, 'text/plain; charset=utf-8', 'Bad request: malformed path\n');
    return;
  }
  // `/v0` is served as `/v0.1`, as the official registry does (v0.1 is the frozen copy of v0).
  if (segments[0] === 'v0') segments[0] = OFFICIAL_API_ROOT;
  const official = segments[0] === OFFICIAL_API_ROOT;
  if (official && (await answerQuery(request, response, segments, url.searchParams, documents))) return;
  if (await serveStatic(request, response, site, segments)) return;
  if (official) {
    sendText(response, request, 404, JSON_TYPE, canonicalJson(NOT_FOUND));
    return;
  }
  const notFoundPage = await readFile(path.join(site, '404.html')).catch(() => undefined);
  if (notFoundPage !== undefined) sendText(response, request, 404, CONTENT_TYPES['.html']!, notFoundPage);
  else sendText(response, request, 404, 'text/plain; charset=utf-8', 'Not found\n');
}

/**
 * Path segments with every `%XX` decoded, `%2F` included (so it splits like `/`); empty segments
 * dropped. Undefined for malformed escapes and for `.`, `..` or NUL anywhere, so nothing can escape
 * the folder.
 */
function decodeSegments(pathname: string): string[] | undefined {
  const segments: string[] = [];
  for (const raw of pathname.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    for (const segment of decoded.split('/')) {
      if (segment === '.' || segment === '..' || segment.includes('\0')) return undefined;
      if (segment !== '') segments.push(segment);
    }
  }
  return segments;
}

/** Answers the v0.1 requests whose query parameters a static file cannot honour; false when static serving fits. */
async function answerQuery(
  request: IncomingMessage,
  response: HttpResponse,
  segments: readonly string[],
  params: URLSearchParams,
  documents: DocumentStore,
): Promise<boolean> {
  const [, collection, namespace, shortName, versions, ...version] = segments;
  if (collection !== 'servers') return false;
  if (namespace === undefined) {
    if (!LIST_PARAMETERS.some((name) => params.has(name))) return false;
    const parsed = parseListQuery(params);
    if ('error' in parsed) sendJson(response, request, 400, { error: parsed.error });
    else sendJson(response, request, 200, listServers(await documents.all(), parsed.query));
    return true;
  }
  if (shortName === undefined || versions !== 'versions' || !params.has('include_deleted')) return false;
  const includeDeleted = parseBoolean(params.get('include_deleted'));
  if (includeDeleted === undefined) {
    sendJson(response, request, 400, { error: 'include_deleted must be true or false' });
    return true;
  }
  const document = await documents.find(`${namespace}/${shortName}`);
  const body =
    document === undefined
      ? undefined
      : version.length === 0
        ? listVersions(document, includeDeleted)
        : findVersion(document, version.join('/'), includeDeleted);
  if (body === undefined) sendJson(response, request, 404, NOT_FOUND);
  else sendJson(response, request, 200, body);
  return true;
}

async function serveStatic(
  request: IncomingMessage,
  response: HttpResponse,
  site: string,
  segments: readonly string[],
): Promise<boolean> {
  if (segments.length === 1 && HIDDEN.has(segments[0]!)) return false;
  let file = path.join(site, ...segments);
  if (file !== site && !file.startsWith(site + path.sep)) return false;
  let info = await stat(file).catch(() => undefined);
  if (info?.isDirectory()) {
    const dir = file;
    file = path.join(dir, 'index.html');
    info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      file = path.join(dir, 'index.json');
      info = await stat(file).catch(() => undefined);
    }
  }
  if (!info?.isFile()) return false;
  const extension = path.extname(file);
  // v0.1 documents are named by the version (`1.0.0`, `latest`): JSON whatever their "extension".
  const type =
    segments[0] === OFFICIAL_API_ROOT && !file.endsWith('.html')
      ? JSON_TYPE
      : (CONTENT_TYPES[extension] ?? 'application/octet-stream');
  response.writeHead(200, { 'Content-Type': type, 'Content-Length': info.size });
  if (request.method === 'HEAD') {
    response.end();
    return true;
  }
  await new Promise<void>((resolve, reject) => {
    createReadStream(file).on('error', reject).pipe(response).on('finish', resolve).on('error', reject);
  });
  return true;
}

function sendJson(response: HttpResponse, request: IncomingMessage, status: number, body: unknown): void {
  sendText(response, request, status, JSON_TYPE, canonicalJson(body));
}

function sendText(
  response: HttpResponse,
  request: IncomingMessage,
  status: number,
  type: string,
  body: string | Buffer,
): void {
  response.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  response.end(request.method === 'HEAD' ? undefined : body);
}

/**
 * The per-server documents of our own API in the served build (`api/v1/servers/<ns>/<name>.json`),
 * loaded on the first query and reloaded when the build's index changes (a rebuild while serving).
 */
class DocumentStore {
  private readonly site: string;
  private loaded: { stamp: number; documents: ServerDocument[]; byName: Map<string, ServerDocument> } | undefined;
  private loading: Promise<NonNullable<DocumentStore['loaded']>> | undefined;

  constructor(site: string) {
    this.site = site;
  }

  async all(): Promise<ServerDocument[]> {
    return (await this.current()).documents;
  }

  async find(name: string): Promise<ServerDocument | undefined> {
    return (await this.current()).byName.get(name);
  }

  private async current(): Promise<NonNullable<DocumentStore['loaded']>> {
    const index = await stat(path.join(this.site, OUR_API_ROOT, 'index.json')).catch(() => undefined);
    if (index === undefined)
      throw new Error(`${OUR_API_ROOT}/index.json is missing from the build: rebuild with npm run build`);
    if (this.loaded?.stamp === index.mtimeMs) return this.loaded;
    this.loading ??= this.load(index.mtimeMs).finally(() => (this.loading = undefined));
    this.loaded = await this.loading;
    return this.loaded;
  }

  private async load(stamp: number): Promise<NonNullable<DocumentStore['loaded']>> {
    const dir = path.join(this.site, OUR_API_ROOT, 'servers');
    const files = (await readdir(dir, { recursive: true }))
      .filter((file) => file.endsWith('.json'))
      .sort(compareCodePoints);
    const documents: ServerDocument[] = new Array(files.length);
    let next = 0;
    const reader = async (): Promise<void> => {
      for (let index = next++; index < files.length; index = next++) {
        const file = files[index]!;
        const parsed = ServerDocumentSchema.safeParse(JSON.parse(await readFile(path.join(dir, file), 'utf8')));
        if (!parsed.success)
          throw new Error(
            `${OUR_API_ROOT}/servers/${file} is not a server document: ${parsed.error.issues[0]?.message}`,
          );
        documents[index] = parsed.data;
      }
    };
    await Promise.all(Array.from({ length: 16 }, reader));
    return { stamp, documents, byName: new Map(documents.map((document) => [document.name, document])) };
  }
}
