/**
 * Reading official registry API responses: a ServerList page `{ servers, metadata }`, an array of
 * ServerResponse `{ server, _meta }` (as in a dump), or a single ServerResponse. The publisher's
 * `server` is kept exactly as received; the registry-managed facts come from
 * `_meta["io.modelcontextprotocol.registry/official"]`.
 */
import type { VersionFacts } from '../registry/facts.ts';
import { VersionFactsSchema } from '../registry/facts.ts';
import { OFFICIAL_META_KEY } from '../site.ts';

export interface ImportRecord {
  /** Where the record came from, for messages: `file.json#12` or a URL with the index. */
  origin: string;
  /** The publisher's server.json, untouched. */
  server: Record<string, unknown>;
  /** The official facts, or why they are unusable. */
  facts: { ok: true; value: VersionFacts } | { ok: false; reason: string };
}

export type ResponseParse = { ok: true; records: ImportRecord[]; nextCursor?: string } | { ok: false; error: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function recordsFromResponse(body: unknown, origin: string): ResponseParse {
  let entries: unknown[];
  let nextCursor: string | undefined;
  if (Array.isArray(body)) entries = body;
  else if (isObject(body) && Array.isArray(body.servers)) {
    entries = body.servers;
    const cursor = isObject(body.metadata) ? body.metadata.nextCursor : undefined;
    if (typeof cursor === 'string' && cursor !== '') nextCursor = cursor;
  } else if (isObject(body) && 'server' in body) entries = [body];
  else
    return {
      ok: false,
      error: `${origin}: not an official API response (expected {"servers": [...], "metadata": {...}}, an array of {"server", "_meta"}, or one {"server", "_meta"})`,
    };
  const records: ImportRecord[] = [];
  for (const [index, entry] of entries.entries()) {
    const at = `${origin}#${index}`;
    if (!isObject(entry) || !isObject(entry.server)) return { ok: false, error: `${at}: entry has no "server" object` };
    records.push({ origin: at, server: entry.server, facts: officialFacts(entry._meta) });
  }
  return { ok: true, records, ...(nextCursor !== undefined && { nextCursor }) };
}

function officialFacts(meta: unknown): ImportRecord['facts'] {
  const official = isObject(meta) ? meta[OFFICIAL_META_KEY] : undefined;
  if (!isObject(official)) return { ok: false, reason: `no _meta["${OFFICIAL_META_KEY}"]` };
  // Only the registry-managed facts; isLatest is recomputed from them, never stored.
  const { status, statusMessage, statusChangedAt, publishedAt, updatedAt } = official;
  const parsed = VersionFactsSchema.safeParse(
    Object.fromEntries(
      Object.entries({ status, statusMessage, statusChangedAt, publishedAt, updatedAt }).filter(
        ([, v]) => v !== undefined && v !== null,
      ),
    ),
  );
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { ok: false, reason: `_meta["${OFFICIAL_META_KEY}"].${issue.path.join('.')}: ${issue.message}` };
}
