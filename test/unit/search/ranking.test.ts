/**
 * Ranking on the real registry (registry-data/): every query of the fixed mix must put a right server
 * in the top 3, and the engine must do at least as well as naive Fuse.js over all records.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Fuse from 'fuse.js';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadRegistry } from '../../../src/lib/registry/load.ts';
import { buildSearchIndex } from '../../../src/lib/search/build.ts';
import { SearchEngine } from '../../../src/lib/search/engine.ts';
import type { SearchDoc } from '../../../src/lib/search/index-file.ts';
import { decodeSearchIndex } from '../../../src/lib/search/index-file.ts';
import { EMPTY_STATE } from '../../../src/lib/search/types.ts';

const DATA = path.resolve(import.meta.dirname, '../../../registry-data');
const MIX = path.resolve(import.meta.dirname, '../../../bench/search/query-mix.json');

interface MixQuery {
  kind: string;
  query: string;
  expect: string[];
}

const mix = (JSON.parse(readFileSync(MIX, 'utf8')) as { queries: MixQuery[] }).queries;
let docs: SearchDoc[] = [];

beforeAll(async () => {
  const { registry } = await loadRegistry(DATA);
  docs = decodeSearchIndex(buildSearchIndex(registry));
}, 120_000);

const TOP = 3;
const hits = (search: (query: string) => string[]): { hits: number; misses: string[] } => {
  const misses = mix.filter(
    (q) =>
      !search(q.query)
        .slice(0, TOP)
        .some((name) => q.expect.includes(name)),
  );
  return { hits: mix.length - misses.length, misses: misses.map((q) => `${q.kind}: ${q.query}`) };
};

describe('ranking on the real registry', () => {
  test('every query of the mix finds a right server in the top 3, and beats naive Fuse.js', (context) => {
    if (docs.length === 0) context.skip('registry-data/ holds no servers yet (import the official data first)');
    const present = new Set(docs.map((doc) => doc.name));
    const known = mix.filter((q) => q.expect.some((name) => present.has(name)));
    expect(known.length, 'the query mix refers to servers of registry-data/').toBe(mix.length);

    const engine = new SearchEngine(docs);
    const ours = hits((query) => engine.search({ ...EMPTY_STATE, q: query }, TOP).items.map((doc) => doc.name));
    const fuse = new Fuse(docs, { keys: ['name', 'title', 'description'] });
    const naive = hits((query) => fuse.search(query, { limit: TOP }).map((result) => result.item.name));

    expect(ours.misses).toEqual([]);
    expect(ours.hits).toBeGreaterThanOrEqual(naive.hits);
  });
});
