/**
 * `sync-state.json`: what `npm run sync` remembers between runs, per upstream registry. Written by the
 * sync only. It holds data times, never the time of a run, so a sync that finds nothing new leaves it
 * byte-identical.
 */
import { z } from 'zod';
import { VersionFactsSchema } from './facts.ts';

const timestamp = VersionFactsSchema.shape.updatedAt;

export const SyncSourceStateSchema = z.strictObject({
  /** Base URL of the upstream registry, as given to `--from` (without a trailing slash). */
  url: z.url({ protocol: /^https?$/ }),
  /** The next run asks for entries updated after this time (`updated_since`). */
  updatedSince: timestamp.optional(),
  /** Entries the last full run listed: the denominator of the progress estimate. */
  listed: z.int().nonnegative().optional(),
});
export type SyncSourceState = z.infer<typeof SyncSourceStateSchema>;

export const SyncStateSchema = z
  .strictObject({
    $schema: z.string().optional(),
    /** One entry per upstream registry, sorted by URL. */
    sources: z.array(SyncSourceStateSchema),
  })
  .meta({ title: 'MCP Index sync state (registry-data/sync-state.json)' });
export type SyncState = z.infer<typeof SyncStateSchema>;

export const EMPTY_SYNC_STATE: SyncState = { sources: [] };

export function sourceState(state: SyncState, url: string): SyncSourceState | undefined {
  return state.sources.find((source) => source.url === url);
}

/** The state with `url`'s entry replaced, as stable JSON text. */
export function withSourceState(state: SyncState, entry: SyncSourceState): SyncState {
  const others = state.sources.filter((source) => source.url !== entry.url);
  return { ...state, sources: [...others, entry].sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0)) };
}

export function serializeSyncState(state: SyncState): string {
  const sources = state.sources.map(({ url, updatedSince, listed }) => ({
    url,
    ...(updatedSince !== undefined && { updatedSince }),
    ...(listed !== undefined && { listed }),
  }));
  return `${JSON.stringify({ ...(state.$schema !== undefined && { $schema: state.$schema }), sources }, null, 2)}\n`;
}
