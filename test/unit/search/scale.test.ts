/**
 * The engine on a synthetic registry shaped like the real one (src/lib/synthetic), a few thousand
 * servers: the index budget, exact-name and misspelt lookups of many servers, and facet counts
 * checked against brute-force filtering. Latency is measured by the benchmark, not here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadRegistryFromFiles } from '../../../src/lib/registry/load.ts';
import { buildSearchIndex } from '../../../src/lib/search/build.ts';
import { ALL_SIGNALS, SearchEngine, searchEngineParts } from '../../../src/lib/search/engine.ts';
import type { SearchDoc, SearchIndexFile } from '../../../src/lib/search/index-file.ts';
import { decodeSearchIndex, decodeSearchIndexSteps } from '../../../src/lib/search/index-file.ts';
import { runInSlices } from '../../../src/lib/search/slices.ts';
import type { FacetName, SearchState } from '../../../src/lib/search/types.ts';
import {
  EMPTY_STATE,
  FACET_NAMES,
  KINDS,
  LISTED_STATUSES,
  PACKAGE_TYPES,
  REMOTE_TRANSPORTS,
} from '../../../src/lib/search/types.ts';
import { canonical, tokenize } from '../../../src/lib/search/text.ts';
import { generateRegistryFiles } from '../../../src/lib/synthetic/generate.ts';
import { RegistryProfileSchema } from '../../../src/lib/synthetic/profile.ts';
import { Random } from '../../../src/lib/synthetic/random.ts';
import { keystrokes } from '../../../bench/query-mix.ts';

const SERVERS = 3000;
const PROFILE = path.resolve(import.meta.dirname, '../../../bench/registry-profile.json');

let file: SearchIndexFile;
let docs: SearchDoc[];
let engine: SearchEngine;

beforeAll(() => {
  const profile = RegistryProfileSchema.parse(JSON.parse(readFileSync(PROFILE, 'utf8')));
  const { registry } = loadRegistryFromFiles([...generateRegistryFiles({ servers: SERVERS, profile })]);
  file = buildSearchIndex(registry);
  docs = decodeSearchIndex(file);
  engine = new SearchEngine(docs);
}, 120_000);

const shortName = (doc: SearchDoc): string => doc.name.slice(doc.name.indexOf('/') + 1);
const names = (state: Partial<SearchState>, limit = 10): string[] =>
  engine.search({ ...EMPTY_STATE, ...state }, limit).items.map((doc) => doc.name);

describe('search at scale (synthetic registry)', () => {
  test('the index stays under 100 bytes per server gzipped', () => {
    expect(docs.length).toBeGreaterThan(SERVERS * 0.9);
    expect(gzipSync(JSON.stringify(file)).length / docs.length).toBeLessThan(100);
  });

  test('a server’s full name finds it first, its title or short name in the top 3', () => {
    // Servers whose title or short name reads the same are equally exact matches.
    const readings = new Map<string, number>();
    for (const doc of docs) {
      for (const text of new Set([canonical(doc.title ?? ''), canonical(shortName(doc))]))
        readings.set(text, (readings.get(text) ?? 0) + 1);
    }
    const random = new Random(7);
    for (let i = 0; i < 60; i++) {
      const doc = random.pick(docs);
      expect(names({ q: doc.name })[0], doc.name).toBe(doc.name);
      const wanted = doc.title ?? shortName(doc);
      if ((readings.get(canonical(wanted)) ?? 0) <= 3) expect(names({ q: wanted }, 3), wanted).toContain(doc.name);
    }
  });

  test('a misspelt rare word (two letters swapped) with the server’s full name still finds it', () => {
    const frequency = new Map<string, number>();
    for (const doc of docs)
      for (const word of new Set(tokenize(doc.description))) frequency.set(word, (frequency.get(word) ?? 0) + 1);
    const random = new Random(11);
    let checked = 0;
    for (let i = 0; i < 2000 && checked < 40; i++) {
      const doc = random.pick(docs);
      const word = tokenize(doc.description).find(
        (w) => w.length >= 6 && /^[a-z]+$/.test(w) && w[2] !== w[3] && (frequency.get(w) ?? 0) <= 30,
      );
      if (!word) continue;
      const typo = `${word.slice(0, 2)}${word[3]}${word[2]}${word.slice(4)}`;
      const query = `${canonical(doc.name)} ${typo}`;
      expect(names({ q: query }, 10), query).toContain(doc.name);
      checked++;
    }
    expect(checked).toBe(40);
  });

  test('result totals and facet counts agree with brute-force filtering', () => {
    const random = new Random(3);
    const values: Record<FacetName, readonly string[]> = {
      kind: KINDS,
      type: PACKAGE_TYPES,
      transport: REMOTE_TRANSPORTS,
      category: [...new Set(docs.flatMap((doc) => doc.categories))],
      status: LISTED_STATUSES,
    };
    const valuesOf = (doc: SearchDoc, facet: FacetName): readonly string[] =>
      ({
        kind: doc.kinds,
        type: doc.packageTypes,
        transport: doc.transports,
        category: doc.categories,
        status: [doc.status],
      })[facet];
    for (let round = 0; round < 20; round++) {
      const state: SearchState = { ...EMPTY_STATE };
      for (const facet of FACET_NAMES) {
        if (random.chance(0.4)) (state[facet] as string[]) = [random.pick(values[facet])];
      }
      const response = engine.search(state, 5);
      const passes = (doc: SearchDoc, except?: FacetName) =>
        FACET_NAMES.every(
          (f) =>
            f === except || state[f].length === 0 || valuesOf(doc, f).some((v) => (state[f] as string[]).includes(v)),
        );
      expect(response.total).toBe(docs.filter((doc) => passes(doc)).length);
      for (const facet of FACET_NAMES) {
        for (const value of values[facet]) {
          const expected = docs.filter((doc) => passes(doc, facet) && valuesOf(doc, facet).includes(value)).length;
          expect(response.facets[facet][value] ?? 0, `${facet}=${value} in ${JSON.stringify(state)}`).toBe(expected);
        }
      }
    }
  });

  test('decoded and built in slices (as the page does), the engine answers exactly as one built at once', async () => {
    let pauses = 0;
    const pause = async () => {
      pauses++;
    };
    // A zero-length slice pauses at every step: the most interleaved build there is.
    const slicedDocs = await runInSlices(decodeSearchIndexSteps(file), pause, 0);
    expect(slicedDocs).toEqual(docs);
    const decodePauses = pauses;
    expect(decodePauses).toBeGreaterThan(5);
    const sliced = new SearchEngine(
      slicedDocs,
      ALL_SIGNALS,
      await runInSlices(searchEngineParts(slicedDocs), pause, 0),
    );
    expect(pauses - decodePauses).toBeGreaterThan(SERVERS / 100);
    const answer = (from: SearchEngine, state: SearchState) => {
      const { items, total, facets } = from.search(state, 20);
      return { names: items.map((item) => item.name), total, facets };
    };
    for (const q of [...keystrokes(), 'filesytem', 'hugging fa']) {
      for (const sort of ['relevance', 'name'] as const) {
        const state = { ...EMPTY_STATE, q, sort, type: q.length % 2 === 0 ? ['npm' as const] : [] };
        expect(answer(sliced, state), JSON.stringify(state)).toEqual(answer(engine, state));
      }
    }
  });
});
