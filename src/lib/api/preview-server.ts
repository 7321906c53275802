/**
 * The preview server: serves a build output folder like a static host would, plus what only a server
 * can do. It decodes `%2F` in paths (clients request `/v0.1/servers/io.github.user%2Fweather/...`,
 * which sirv-based `astro preview` cannot serve), serves a folder's index.html or index.json, answers
 * the v0.1 query parameters (limit, cursor, search, version, updated_since, include_deleted) from the
 * per-server documents in the same build, sends CORS headers on every response, a JSON 404 under
 * /v0.1 (and its /v0 alias) and the site's 404.html elsewhere, and never leaves the folder: a path is
 * resolved through its symbolic links first and refused unless it is still inside. Every file it opens
 * is closed however the download ends (a client that aborts mid-file included).
 */
import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open, readdir, realpath } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse as HttpResponse } from 'node:http';
import { createServer } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
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
  const notFoundPage = await readInside(site, ['404.html']);
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
  const found = await openInside(site, segments);
  if (found === undefined) return false;
  const { handle, file, size } = found;
  try {
    // Everything under /v0.1 is JSON whatever its name: versions are file names (`1.0.0`, `latest`),
    // and a hostile one must never make a file HTML or SVG by its "extension".
    const type =
      segments[0] === OFFICIAL_API_ROOT ? JSON_TYPE : (CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream');
    response.writeHead(200, { 'Content-Type': type, 'Content-Length': size });
    if (request.method === 'HEAD') {
      response.end();
      return true;
    }
    // pipeline (unlike pipe) destroys the file stream, and so closes the file, when the client goes away.
    await pipeline(handle.createReadStream({ autoClose: true }), response).catch((error: unknown) => {
      if (!response.destroyed) throw error;
    });
    return true;
  } finally {
    await handle.close().catch(() => {});
  }
}

interface OpenedFile {
  handle: FileHandle;
  /** The real path of the file (symbolic links resolved), inside the served folder. */
  file: string;
  size: number;
}

/**
 * Opens the regular file at `segments` under `site` (a folder's index.html, else its index.json), or
 * undefined. Symbolic links are resolved before the path is checked, so a link can never lead outside
 * the folder; the final component is opened without following a link, and the size comes from the
 * opened file, so a swap after the check cannot change what is read.
 */
async function openInside(site: string, segments: readonly string[]): Promise<OpenedFile | undefined> {
  const root = await realpath(site).catch(() => undefined);
  if (root === undefined) return undefined;
  const target = await realpath(path.join(site, ...segments)).catch(() => undefined);
  if (target === undefined || (target !== root && !target.startsWith(root + path.sep))) return undefined;
  for (const candidate of [target, path.join(target, 'index.html'), path.join(target, 'index.json')]) {
    const opened = await openRegularFile(root, candidate);
    if (opened) return opened;
  }
  return undefined;
}

async function openRegularFile(root: string, file: string): Promise<OpenedFile | undefined> {
  // The index files may themselves be links: resolve again and re-check.
  const real = await realpath(file).catch(() => undefined);
  if (real === undefined || !real.startsWith(root + path.sep) || HIDDEN.has(path.relative(root, real)))
    return undefined;
  const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(
    () => undefined,
  );
  if (handle === undefined) return undefined;
  const info = await handle.stat().catch(() => undefined);
  if (info?.isFile()) return { handle, file: real, size: info.size };
  await handle.close();
  return undefined;
}

/** The whole of a file inside the folder, under the same rules as the files it serves. */
async function readInside(site: string, segments: readonly string[]): Promise<Buffer | undefined> {
  const opened = await openInside(site, segments);
  if (opened === undefined) return undefined;
  try {
    return await opened.handle.readFile();
  } finally {
    await opened.handle.close();
  }
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
    const index = await this.indexStamp();
    if (index === undefined)
      throw new Error(`${OUR_API_ROOT}/index.json is missing from the build: rebuild with npm run build`);
    if (this.loaded?.stamp === index) return this.loaded;
    this.loading ??= this.load(index).finally(() => (this.loading = undefined));
    this.loaded = await this.loading;
    return this.loaded;
  }

  /** The modification time of the build's index.json, read from the file inside the folder. */
  private async indexStamp(): Promise<number | undefined> {
    const opened = await openInside(this.site, [OUR_API_ROOT, 'index.json']);
    if (opened === undefined) return undefined;
    try {
      return (await opened.handle.stat()).mtimeMs;
    } finally {
      await opened.handle.close();
    }
  }

  private async load(stamp: number): Promise<NonNullable<DocumentStore['loaded']>> {
    const dir = path.join(this.site, OUR_API_ROOT, 'servers');
    const files = (await readdir(dir, { recursive: true }))
      .filter((file) => file.endsWith('.json'))
      .sort(compareCodePoints);
    const documents: (ServerDocument | undefined)[] = new Array(files.length);
    let next = 0;
    const reader = async (): Promise<void> => {
      for (let index = next++; index < files.length; index = next++) {
        const file = files[index]!;
        const text = await readInside(this.site, [OUR_API_ROOT, 'servers', ...file.split(path.sep)]);
        if (text === undefined) continue;
        const parsed = ServerDocumentSchema.safeParse(JSON.parse(text.toString('utf8')));
        if (!parsed.success)
          throw new Error(
            `${OUR_API_ROOT}/servers/${file} is not a server document: ${parsed.error.issues[0]?.message}`,
          );
        documents[index] = parsed.data;
      }
    };
    await Promise.all(Array.from({ length: 16 }, reader));
    const loaded = documents.filter((document) => document !== undefined);
    return { stamp, documents: loaded, byName: new Map(loaded.map((document) => [document.name, document])) };
  }
}
