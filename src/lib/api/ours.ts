/**
 * Our own API for tools (in the spirit of formulae.brew.sh): a compact index of every server, one
 * document per server with every version and the registry's facts, a change feed, and the JSON Schema
 * of everything we publish. Built from the model; written as deterministic JSON.
 */
import { z } from 'zod';
import type { Registry, ServerRecord, VersionRecord } from '../registry/model.ts';
import { comparePublishTimes } from '../registry/latest.ts';
import { splitName } from '../registry/layout.ts';
import { PolicySchema } from '../registry/policy.ts';
import { SyncStateSchema } from '../registry/sync-state.ts';
import { summarise } from '../site-data/catalogue.ts';
import { absoluteUrl, serverPath } from '../site-data/urls.ts';
import type { ApiFile } from './json.ts';
import { canonicalJson, compareCodePoints } from './json.ts';
import type { Change, Changes, Index, IndexEntry, OfficialMeta, ServerDocument } from './schemas.ts';
import { ChangesSchema, IndexSchema, ServerDocumentSchema, ServerListSchema, ServerResponseSchema } from './schemas.ts';

export const OUR_API_ROOT = 'api/v1';
/** The change feed holds the newest entries only; a full sync reads index.json (`u`) and the documents. */
export const CHANGES_LIMIT = 1000;

export function officialFacts(version: VersionRecord): OfficialMeta {
  return {
    status: version.status,
    statusMessage: version.statusMessage,
    statusChangedAt: version.statusChangedAt,
    publishedAt: version.publishedAt,
    updatedAt: version.updatedAt,
    isLatest: version.isLatest,
  };
}

const sortedIds = (ids: readonly string[]): string[] => [...ids].sort(compareCodePoints);

/** The per-server document: the one intermediate form both APIs (and the preview server) are built from. */
export function serverDocument(record: ServerRecord, siteUrl: string): ServerDocument {
  return {
    name: record.name,
    url: absoluteUrl(siteUrl, serverPath(record.name)),
    latestVersion: record.latest?.server.version,
    updatedAt: record.updatedAt,
    categories: sortedIds(record.curation.categories),
    tags: sortedIds(record.curation.tags),
    versions: record.versions.map((version) => ({
      server: version.server,
      sourceSchemaVersion: version.sourceSchemaVersion,
      facts: officialFacts(version),
    })),
    ...(record.listing && { listing: record.listing }),
  };
}

/** `/api/v1/servers/<namespace>/<name>.json` */
export function serverDocumentPath(name: string): string {
  const [namespace, shortName] = splitName(name);
  return `${OUR_API_ROOT}/servers/${namespace}/${shortName}.json`;
}

/** Every server that has a latest version, by name (the registry's order). */
export function buildIndex(registry: Registry): Index {
  const servers: IndexEntry[] = [];
  for (const record of registry.servers) {
    if (record.latest === undefined) continue;
    const summary = summarise(record);
    servers.push({
      n: summary.name,
      t: summary.title,
      d: summary.description,
      v: summary.version,
      s: summary.status,
      p: summary.packageTypes,
      x: summary.transports,
      c: summary.categories,
      u: summary.updatedAt,
    });
  }
  return { count: servers.length, servers };
}

/** Every version, newest update first, then by name and version; cut to `limit`. */
export function buildChanges(registry: Registry, limit = CHANGES_LIMIT): Changes {
  const all: Change[] = [];
  for (const record of registry.servers) {
    for (const version of record.versions) {
      all.push({
        name: record.name,
        version: version.server.version,
        status: version.status,
        isLatest: version.isLatest,
        publishedAt: version.publishedAt,
        updatedAt: version.updatedAt,
      });
    }
  }
  // Whole milliseconds first (parsed once per entry); comparePublishTimes only settles sub-millisecond ties.
  const millis = new Map(all.map((change) => [change, Date.parse(change.updatedAt)]));
  all.sort(
    (a, b) =>
      millis.get(b)! - millis.get(a)! ||
      comparePublishTimes(b.updatedAt, a.updatedAt) ||
      compareCodePoints(a.name, b.name) ||
      compareCodePoints(a.version, b.version),
  );
  const changes = all.slice(0, limit);
  return { count: changes.length, total: all.length, changes };
}

/** The published JSON Schemas, by file name under `/api/v1/schema/`. */
export const PUBLISHED_SCHEMAS = {
  'index.json': IndexSchema,
  'server.json': ServerDocumentSchema,
  'changes.json': ChangesSchema,
  'v0.1-server-response.json': ServerResponseSchema,
  'v0.1-server-list.json': ServerListSchema,
  'policy.json': PolicySchema,
  'sync-state.json': SyncStateSchema,
} as const;

/** Files people write (fields with defaults may be left out), described as input rather than output. */
const WRITTEN_BY_PEOPLE = new Set<keyof typeof PUBLISHED_SCHEMAS>(['policy.json']);

export function schemaDocument(fileName: keyof typeof PUBLISHED_SCHEMAS, siteUrl: string): object {
  const schema = z.toJSONSchema(PUBLISHED_SCHEMAS[fileName], {
    target: 'draft-2020-12',
    io: WRITTEN_BY_PEOPLE.has(fileName) ? 'input' : 'output',
  });
  return { ...schema, $id: absoluteUrl(siteUrl, `/${OUR_API_ROOT}/schema/${fileName}`) };
}

export function* ourApiFiles(
  registry: Registry,
  documents: readonly ServerDocument[],
  siteUrl: string,
): Generator<ApiFile> {
  yield { path: `${OUR_API_ROOT}/index.json`, body: canonicalJson(buildIndex(registry)) };
  yield { path: `${OUR_API_ROOT}/changes.json`, body: canonicalJson(buildChanges(registry)) };
  for (const fileName of Object.keys(PUBLISHED_SCHEMAS) as (keyof typeof PUBLISHED_SCHEMAS)[]) {
    yield { path: `${OUR_API_ROOT}/schema/${fileName}`, body: canonicalJson(schemaDocument(fileName, siteUrl)) };
  }
  for (const document of documents) {
    yield { path: serverDocumentPath(document.name), body: canonicalJson(document) };
  }
}
