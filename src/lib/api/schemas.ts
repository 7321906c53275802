/**
 * The zod schemas of every document we publish (official v0.1 shapes and our own API). Types come from
 * them (`z.infer`), and `/api/v1/schema/*.json` is generated from them, so code, types and published
 * JSON Schema cannot drift apart.
 */
import { z } from 'zod';
import { ServerJsonSchema } from '../schema/server.ts';
import { ListingSchema, VersionFactsSchema, VersionStatusSchema } from '../registry/facts.ts';
import { OFFICIAL_META_KEY, REGISTRY_META_KEY } from '../site.ts';

const timestamp = VersionFactsSchema.shape.updatedAt;
const count = z.int().nonnegative();
const ids = z.array(z.string());

/** `_meta["io.modelcontextprotocol.registry/official"]`: the official registry's facts about one version. */
export const OfficialMetaSchema = VersionFactsSchema.extend({
  isLatest: z.boolean().describe('Whether this is the latest version of the server (the official rule).'),
});
export type OfficialMeta = z.infer<typeof OfficialMetaSchema>;

/** `_meta["org.mcpindex/registry"]`: what this registry adds to every v0.1 entry. */
export const RegistryMetaSchema = z.strictObject({
  url: z.string().describe("Absolute URL of the server's page on this site."),
  categories: ids.describe('Category ids from the controlled vocabulary, sorted.'),
  tags: ids.describe('Tag ids from the controlled vocabulary, sorted.'),
});
export type RegistryMeta = z.infer<typeof RegistryMetaSchema>;

/** The official v0.1 ServerResponse. */
export const ServerResponseSchema = z
  .strictObject({
    server: ServerJsonSchema,
    _meta: z.strictObject({ [OFFICIAL_META_KEY]: OfficialMetaSchema, [REGISTRY_META_KEY]: RegistryMetaSchema }),
  })
  .meta({ title: 'ServerResponse (MCP registry API v0.1)' });
export type ServerResponse = z.infer<typeof ServerResponseSchema>;

/** The official v0.1 ServerList. */
export const ServerListSchema = z
  .strictObject({
    servers: z.array(ServerResponseSchema),
    metadata: z.strictObject({
      nextCursor: z.string().optional().describe('Pass as `cursor` to get the next page; absent on the last page.'),
      count: count.describe('Number of entries in this page.'),
    }),
  })
  .meta({ title: 'ServerList (MCP registry API v0.1)' });
export type ServerList = z.infer<typeof ServerListSchema>;

/** One published version inside our per-server document. */
export const VersionEntrySchema = z.strictObject({
  server: ServerJsonSchema.describe('The manifest, normalised to the current server.json schema.'),
  sourceSchemaVersion: z.string().describe('The server.json schema version the publisher wrote, e.g. 2025-09-29.'),
  facts: OfficialMetaSchema.describe('Registry-managed facts, exactly as in the official `_meta`.'),
});
export type VersionEntry = z.infer<typeof VersionEntrySchema>;

/** `/api/v1/servers/<namespace>/<name>.json`: one server with every version, deleted ones included. */
export const ServerDocumentSchema = z
  .strictObject({
    name: z.string(),
    url: z.string().describe("Absolute URL of the server's page on this site."),
    latestVersion: z.string().optional().describe('Absent when every version is deleted.'),
    updatedAt: timestamp.describe('Latest publish or update time over all versions.'),
    categories: ids,
    tags: ids,
    versions: z.array(VersionEntrySchema).describe('Every version, newest publish first.'),
    listing: ListingSchema.optional().describe(
      'For a server taken from an upstream registry by `npm run sync`: the source registry, since when the server is listed there, and when the sync first took it.',
    ),
  })
  .meta({ title: 'MCP Index server document' });
export type ServerDocument = z.infer<typeof ServerDocumentSchema>;

/** One row of `/api/v1/index.json`; one-letter keys keep tens of thousands of rows small. */
export const IndexEntrySchema = z.strictObject({
  n: z.string().describe('name'),
  t: z.string().optional().describe('title'),
  d: z.string().describe('description'),
  v: z.string().describe('latest version'),
  s: VersionStatusSchema.describe('status of the latest version (active or deprecated)'),
  p: ids.describe('package registry types (npm, pypi, oci, nuget, mcpb...), sorted'),
  x: ids.describe('transports over packages and remotes (stdio, streamable-http, sse), sorted'),
  c: ids.describe('category ids, sorted'),
  u: timestamp.describe('updatedAt: latest publish or update time over all versions'),
});
export type IndexEntry = z.infer<typeof IndexEntrySchema>;

export const IndexSchema = z
  .strictObject({
    count: count.describe('Number of servers.'),
    servers: z.array(IndexEntrySchema).describe('Every server with a latest version, sorted by name.'),
  })
  .meta({ title: 'MCP Index server index' });
export type Index = z.infer<typeof IndexSchema>;

export const ChangeSchema = z.strictObject({
  name: z.string(),
  version: z.string(),
  status: VersionStatusSchema,
  isLatest: z.boolean(),
  publishedAt: timestamp,
  updatedAt: timestamp,
});
export type Change = z.infer<typeof ChangeSchema>;

export const ChangesSchema = z
  .strictObject({
    count: count.describe('Number of entries in this feed.'),
    total: count.describe('Number of versions in the registry; the feed holds the newest `count` of them.'),
    changes: z.array(ChangeSchema).describe('Newest update first, then by name, then by version.'),
  })
  .meta({ title: 'MCP Index change feed' });
export type Changes = z.infer<typeof ChangesSchema>;

export const ErrorBodySchema = z.strictObject({ error: z.string() });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
