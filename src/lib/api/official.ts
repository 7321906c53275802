/**
 * The official MCP registry read API (v0.1): its response shapes, built from our per-server documents,
 * and its query semantics. The same functions produce the static files (with the one query a plain
 * static host can honour) and answer queries in the preview server, so both always agree.
 */
import { splitName } from '../registry/layout.ts';
import { comparePublishTimes } from '../registry/latest.ts';
import { VersionFactsSchema } from '../registry/facts.ts';
import { OFFICIAL_META_KEY, REGISTRY_META_KEY } from '../site.ts';
import type { ApiFile } from './json.ts';
import { canonicalJson, compareCodePoints } from './json.ts';
import type { ErrorBody, ServerDocument, ServerList, ServerResponse, VersionEntry } from './schemas.ts';

export const OFFICIAL_API_ROOT = 'v0.1';
export const NOT_FOUND: ErrorBody = { error: 'Server not found' };
export const DEFAULT_LIMIT = 30;
export const MAX_LIMIT = 100;
/** The list parameters of `GET /v0.1/servers`. */
export const LIST_PARAMETERS = ['cursor', 'limit', 'search', 'updated_since', 'version', 'include_deleted'] as const;

export interface ListQuery {
  /** Page size; undefined means every match in one page (what the static file holds). */
  limit?: number;
  /** `name:version` of the last entry of the previous page. */
  cursor?: string;
  /** Whitespace-separated terms; each must occur (case-insensitively) in the name, title or description. */
  search?: string;
  /** RFC 3339; only entries updated strictly after it. Implies includeDeleted. */
  updatedSince?: string;
  /** `latest`, or an exact version. */
  version?: string;
  includeDeleted: boolean;
}

/**
 * What `/v0.1/servers` holds on a static host: every latest, non-deleted entry in one page and no
 * `nextCursor`. A client that pages with `cursor` on a host that ignores the query string gets the
 * whole list once and stops, instead of receiving page 1 again forever.
 */
export const STATIC_LIST_QUERY: ListQuery = { version: 'latest', includeDeleted: false };

export function serverResponse(document: ServerDocument, entry: VersionEntry): ServerResponse {
  return {
    server: entry.server,
    _meta: {
      [OFFICIAL_META_KEY]: entry.facts,
      [REGISTRY_META_KEY]: { url: document.url, categories: document.categories, tags: document.tags },
    },
  };
}

const listOf = (servers: ServerResponse[], nextCursor?: string): ServerList => ({
  servers,
  metadata: { nextCursor, count: servers.length },
});

const isVisible = (entry: VersionEntry, includeDeleted: boolean): boolean =>
  includeDeleted || entry.facts.status !== 'deleted';

function matchesSearch(entry: VersionEntry, terms: readonly string[]): boolean {
  const { name, title = '', description } = entry.server;
  const text = `${name}\n${title}\n${description}`.toLowerCase();
  return terms.every((term) => text.includes(term));
}

const cursorOf = (entry: VersionEntry): string => `${entry.server.name}:${entry.server.version}`;

/** Entries sorted by name then version (the official order; cursors are positions in it). */
function compareEntries(a: VersionEntry, b: VersionEntry): number {
  return compareCodePoints(a.server.name, b.server.name) || compareCodePoints(a.server.version, b.server.version);
}

interface Match {
  document: ServerDocument;
  entry: VersionEntry;
}

/** The entries a list query selects for one page, in list order, and the cursor of the next page. */
function selectPage(documents: readonly ServerDocument[], query: ListQuery): { page: Match[]; nextCursor?: string } {
  const includeDeleted = query.includeDeleted || query.updatedSince !== undefined;
  const terms = (query.search ?? '')
    .toLowerCase()
    .split(/\s+/u)
    .filter((term) => term !== '');
  const matches: Match[] = [];
  for (const document of documents) {
    for (const entry of document.versions) {
      if (!isVisible(entry, includeDeleted)) continue;
      if (
        query.version === 'latest'
          ? !entry.facts.isLatest
          : query.version !== undefined && entry.server.version !== query.version
      )
        continue;
      if (query.updatedSince !== undefined && comparePublishTimes(entry.facts.updatedAt, query.updatedSince) <= 0)
        continue;
      if (!matchesSearch(entry, terms)) continue;
      matches.push({ document, entry });
    }
  }
  matches.sort((a, b) => compareEntries(a.entry, b.entry));
  let start = 0;
  if (query.cursor !== undefined) {
    const cursor = query.cursor;
    start = matches.findIndex(({ entry }) => isAfterCursor(entry, cursor));
    if (start === -1) start = matches.length;
  }
  const end = query.limit === undefined ? matches.length : Math.min(matches.length, start + query.limit);
  const last = matches[end - 1];
  return {
    page: matches.slice(start, end),
    nextCursor: end < matches.length && last !== undefined ? cursorOf(last.entry) : undefined,
  };
}

/** `GET /v0.1/servers`. `documents` may come in any order. */
export function listServers(documents: readonly ServerDocument[], query: ListQuery): ServerList {
  const { page, nextCursor } = selectPage(documents, query);
  return listOf(
    page.map(({ document, entry }) => serverResponse(document, entry)),
    nextCursor,
  );
}

/** Compares by (name, version) rather than by the joined string, so `a:1` < `a-b:1` holds as in the list order. */
function isAfterCursor(entry: VersionEntry, cursor: string): boolean {
  const colon = cursor.indexOf(':');
  const name = cursor.slice(0, colon);
  const version = cursor.slice(colon + 1);
  return (compareCodePoints(entry.server.name, name) || compareCodePoints(entry.server.version, version)) > 0;
}

/** `GET /v0.1/servers/{name}/versions`: newest publish first; undefined (404) when nothing is visible. */
export function listVersions(document: ServerDocument, includeDeleted = false): ServerList | undefined {
  const servers = document.versions
    .filter((entry) => isVisible(entry, includeDeleted))
    .map((entry) => serverResponse(document, entry));
  return servers.length === 0 ? undefined : listOf(servers);
}

/** `GET /v0.1/servers/{name}/versions/{version}`, where version may be `latest`. */
export function findVersion(
  document: ServerDocument,
  version: string,
  includeDeleted = false,
): ServerResponse | undefined {
  const entry = document.versions.find((candidate) =>
    version === 'latest' ? candidate.facts.isLatest : candidate.server.version === version,
  );
  return entry === undefined || !isVisible(entry, includeDeleted) ? undefined : serverResponse(document, entry);
}

/** Parses the list query string as the official server does; an invalid value is an error message (400). */
export function parseListQuery(params: URLSearchParams): { query: ListQuery } | { error: string } {
  const query: ListQuery = { includeDeleted: false, limit: DEFAULT_LIMIT };
  const limit = params.get('limit');
  if (limit !== null) {
    const value = /^[0-9]{1,4}$/.test(limit) ? Number(limit) : NaN;
    if (!(value >= 1 && value <= MAX_LIMIT)) return { error: `limit must be an integer from 1 to ${MAX_LIMIT}` };
    query.limit = value;
  }
  const cursor = params.get('cursor');
  if (cursor !== null && cursor !== '') {
    if (!cursor.includes(':')) return { error: 'cursor is not one this server returned (expected name:version)' };
    query.cursor = cursor;
  }
  const search = params.get('search');
  if (search !== null && search.trim() !== '') query.search = search;
  const updatedSince = params.get('updated_since');
  if (updatedSince !== null) {
    if (!VersionFactsSchema.shape.updatedAt.safeParse(updatedSince).success) {
      return { error: 'updated_since must be an RFC 3339 date-time, e.g. 2025-08-07T13:15:04Z' };
    }
    query.updatedSince = updatedSince;
  }
  const version = params.get('version');
  if (version !== null && version !== '') query.version = version;
  const includeDeleted = parseBoolean(params.get('include_deleted'));
  if (includeDeleted === undefined) return { error: 'include_deleted must be true or false' };
  query.includeDeleted = includeDeleted;
  return { query };
}

/** Go's strconv.ParseBool spellings, which the official server accepts; absent means false. */
export function parseBoolean(value: string | null): boolean | undefined {
  if (value === null || value === '') return false;
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  return undefined;
}

/** `v0.1/servers/<namespace>/<name>`: names have exactly one slash, so they map onto two folders. */
function serverApiDir(name: string): string {
  const [namespace, shortName] = splitName(name);
  return `${OFFICIAL_API_ROOT}/servers/${namespace}/${shortName}`;
}

/**
 * The static v0.1 files: the one-page list, and per server the version list (`versions/index.json`,
 * since `versions` is also a folder), one file per visible version named by the version itself (hosts
 * decode `%2B`, `%7B`... to find it) and `versions/latest`. Deleted versions are left out, as the
 * official API hides them without `include_deleted`.
 */
export function* officialApiFiles(documents: readonly ServerDocument[]): Generator<ApiFile> {
  // Each entry is serialised once and spliced into the lists that hold it: the latest entries are
  // kept for their server's files; the others live only while their server is written.
  const latestText = new Map<VersionEntry, string>();
  const listed = selectPage(documents, STATIC_LIST_QUERY).page.map(({ document, entry }) => {
    const text = canonicalJson(serverResponse(document, entry));
    latestText.set(entry, text);
    return text;
  });
  yield { path: `${OFFICIAL_API_ROOT}/servers/index.json`, body: listText(listed) };
  for (const document of documents) {
    const visible = document.versions.filter((entry) => isVisible(entry, false));
    if (visible.length === 0) continue;
    const texts = visible.map((entry) => latestText.get(entry) ?? canonicalJson(serverResponse(document, entry)));
    const dir = `${serverApiDir(document.name)}/versions`;
    yield { path: `${dir}/index.json`, body: listText(texts) };
    for (const [index, entry] of visible.entries())
      yield { path: `${dir}/${entry.server.version}`, body: texts[index]! };
    const latest = visible.findIndex((entry) => entry.facts.isLatest);
    if (latest !== -1) yield { path: `${dir}/latest`, body: texts[latest]! };
  }
}

/** `canonicalJson` of a one-page ServerList whose entries are already serialised (keys: metadata < servers). */
function listText(entries: readonly string[]): string {
  return `{"metadata":${canonicalJson({ count: entries.length })},"servers":[${entries.join(',')}]}`;
}
