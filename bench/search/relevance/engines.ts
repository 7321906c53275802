/**
 * The engines compared on the relevance set, each over the same documents (decoded from the index a site
 * would publish) and the same fields: full name, title, description and package identifiers.
 *   - ours: the island's engine, results as the island shows them;
 *   - MiniSearch with prefix matching, `fuzzy: 0.2` and name and title boosted as ours boosts them;
 *   - Fuse.js with its defaults.
 */
import Fuse from 'fuse.js';
import MiniSearch from 'minisearch';
import { ALL_SIGNALS, SearchEngine, type RankingSignals } from '../../../src/lib/search/engine.ts';
import type { SearchDoc } from '../../../src/lib/search/index-file.ts';
import { EMPTY_STATE } from '../../../src/lib/search/types.ts';
import type { Ranker } from './judgements.ts';

const SHOWN = 10;

export const ENGINE_NAMES = ['ours', 'minisearch', 'fuse'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

export function oursRanker(docs: readonly SearchDoc[], signals: Readonly<RankingSignals> = ALL_SIGNALS): Ranker {
  const engine = new SearchEngine(docs, signals);
  return (query) => engine.search({ ...EMPTY_STATE, q: query }, SHOWN).items.map((doc) => doc.name);
}

const FIELDS = ['name', 'title', 'description', 'packages'];

export function miniSearchRanker(docs: readonly SearchDoc[]): Ranker {
  const index = new MiniSearch<SearchDoc & { id: number }>({
    fields: FIELDS,
    extractField: (doc, field) => String((doc as unknown as Record<string, unknown>)[field] ?? ''),
    searchOptions: { prefix: true, fuzzy: 0.2, boost: { name: 3, title: 3 } },
  });
  index.addAll(docs.map((doc, id) => ({ ...doc, id })));
  return (query) =>
    index
      .search(query)
      .slice(0, SHOWN)
      .map((result) => docs[result.id as number].name);
}

export function fuseRanker(docs: readonly SearchDoc[]): Ranker {
  const fuse = new Fuse(docs, { keys: FIELDS });
  return (query) => fuse.search(query, { limit: SHOWN }).map((result) => result.item.name);
}

export function rankers(docs: readonly SearchDoc[]): Record<EngineName, Ranker> {
  return { ours: oursRanker(docs), minisearch: miniSearchRanker(docs), fuse: fuseRanker(docs) };
}
