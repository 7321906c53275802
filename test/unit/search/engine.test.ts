import { describe, expect, test } from 'vitest';
import { buildSearchIndex } from '../../../src/lib/search/build.ts';
import { SearchEngine, warmUpSteps } from '../../../src/lib/search/engine.ts';
import { decodeSearchIndex } from '../../../src/lib/search/index-file.ts';
import type { SearchState } from '../../../src/lib/search/types.ts';
import { EMPTY_STATE } from '../../../src/lib/search/types.ts';
import { registryOf, type RecordSpec } from './records.ts';

const SERVERS: RecordSpec[] = [
  {
    name: 'io.github.files/filesystem-mcp',
    title: 'Filesystem',
    description: 'Read, create and edit files.',
    packages: [{ registryType: 'npm', identifier: '@files/filesystem-mcp' }],
    categories: ['file-systems'],
    updatedAt: '2025-10-05T00:00:00Z',
  },
  {
    name: 'io.github.other/mcp-server-filesystem',
    description: 'Local filesystem access for agents.',
    packages: [{ registryType: 'pypi', identifier: 'mcp-server-filesystem' }],
    categories: ['file-systems'],
    updatedAt: '2025-10-01T00:00:00Z',
  },
  {
    name: 'com.example/postgres',
    title: 'PostgreSQL',
    description: 'Query PostgreSQL databases with read-only SQL.',
    packages: [{ registryType: 'oci', identifier: 'ghcr.io/example/postgres-mcp:1.0' }],
    remotes: ['streamable-http'],
    categories: ['databases'],
    updatedAt: '2025-09-20T00:00:00Z',
  },
  {
    name: 'io.github.db/pg-tools',
    description: 'Postgres tuning and index advice.',
    packages: [{ registryType: 'npm', identifier: 'pg-tools-mcp' }],
    categories: ['databases'],
    updatedAt: '2025-09-28T00:00:00Z',
  },
  {
    name: 'com.example.remote/search',
    title: 'Remote Search',
    description: 'Hosted web search.',
    remotes: ['streamable-http', 'sse'],
    categories: ['search'],
    updatedAt: '2025-10-03T00:00:00Z',
  },
  {
    name: 'io.github.legacy/old-files',
    description: 'Old file tools; use filesystem-mcp instead.',
    packages: [{ registryType: 'npm', identifier: 'old-files' }],
    status: 'deprecated',
    updatedAt: '2025-08-01T00:00:00Z',
  },
  { name: 'io.github.gone/vanished', description: 'Deleted filesystem server.', status: 'deleted' },
  {
    name: 'io.github.weather/forecast',
    title: 'Weather Forecast',
    description: 'Weather forecasts for any city.',
    packages: [
      { registryType: 'nuget', identifier: 'Weather.Forecast' },
      { registryType: 'mcpb', identifier: 'https://github.com/weather/forecast/releases/download/v1/forecast.mcpb' },
    ],
    categories: ['location'],
    tags: ['weather'],
    updatedAt: '2025-09-01T00:00:00Z',
  },
];

const engine = new SearchEngine(decodeSearchIndex(buildSearchIndex(registryOf(SERVERS))));
const names = (state: Partial<SearchState>, limit = 20): string[] =>
  engine.search({ ...EMPTY_STATE, ...state }, limit).items.map((item) => item.name);

describe('search engine: text', () => {
  test('typos still find the server: "filesytem", "postgress", a transposition', () => {
    expect(names({ q: 'filesytem' }).slice(0, 2).sort()).toEqual([
      'io.github.files/filesystem-mcp',
      'io.github.other/mcp-server-filesystem',
    ]);
    expect(names({ q: 'postgress' })).toContain('com.example/postgres');
    expect(names({ q: 'postgress' })).toContain('io.github.db/pg-tools');
    expect(names({ q: 'wetaher' })[0]).toBe('io.github.weather/forecast');
  });

  test('an exact title or name ranks first', () => {
    expect(names({ q: 'Filesystem' })[0]).toBe('io.github.files/filesystem-mcp');
    expect(names({ q: 'mcp-server-filesystem' })[0]).toBe('io.github.other/mcp-server-filesystem');
    expect(names({ q: 'postgresql' })[0]).toBe('com.example/postgres');
  });

  test('prefixes match while typing', () => {
    expect(names({ q: 'po' })).toEqual(expect.arrayContaining(['com.example/postgres', 'io.github.db/pg-tools']));
    expect(names({ q: 'forec' })[0]).toBe('io.github.weather/forecast');
  });

  test('several words narrow: every word must match when some server matches them all', () => {
    expect(names({ q: 'read files' })).toEqual(['io.github.files/filesystem-mcp']);
    expect(names({ q: 'weather city' })).toEqual(['io.github.weather/forecast']);
    // No server has both words: the servers matching the most words are shown.
    expect(names({ q: 'weather zzzqqq' })).toEqual(['io.github.weather/forecast']);
  });

  test('searches package identifiers, namespaces, categories and tags', () => {
    expect(names({ q: 'pg-tools-mcp' })[0]).toBe('io.github.db/pg-tools');
    expect(names({ q: 'Weather.Forecast' })[0]).toBe('io.github.weather/forecast');
    expect(names({ q: 'com.example.remote' })[0]).toBe('com.example.remote/search');
    expect(names({ q: 'location' })).toEqual(['io.github.weather/forecast']);
  });

  test('deleted servers are never found; a word nobody uses finds nothing', () => {
    expect(names({ q: 'vanished' })).toEqual([]);
    expect(engine.search({ ...EMPTY_STATE, q: 'zyxwvut' }, 20)).toMatchObject({ items: [], total: 0 });
  });

  test('the same query twice gives the same answer (scratch state is reset between queries)', () => {
    const first = engine.search({ ...EMPTY_STATE, q: 'file' }, 20);
    engine.search({ ...EMPTY_STATE, q: 'postgres', type: ['npm'] }, 20);
    expect(engine.search({ ...EMPTY_STATE, q: 'file' }, 20)).toEqual(first);
  });

  test('the warm-up searches change no answer, facet counts included', () => {
    const fresh = () => new SearchEngine(decodeSearchIndex(buildSearchIndex(registryOf(SERVERS))));
    const warmed = fresh();
    const steps = warmUpSteps(warmed, 20);
    let slices = 0;
    while (!steps.next().done) slices++;
    // One search per slice, so the page can pause between them.
    expect(slices).toBeGreaterThanOrEqual(5);
    const cold = fresh();
    for (const state of [
      { q: 'file' },
      { q: 'postgress', type: ['npm' as const] },
      { q: '' },
      { q: 'weather zzzqqq' },
    ]) {
      const [expected, actual] = [cold, warmed].map((searcher) => searcher.search({ ...EMPTY_STATE, ...state }, 20));
      expect(actual.items).toEqual(expected!.items);
      expect(actual.total).toBe(expected!.total);
      expect(actual.facets).toEqual(expected!.facets);
    }
  });
});

describe('search engine: facets and sorting', () => {
  test('facets filter: local vs remote, package type, transport, category, status', () => {
    expect(names({ kind: ['remote'] }).sort()).toEqual(['com.example.remote/search', 'com.example/postgres']);
    expect(names({ type: ['npm'] }).sort()).toEqual([
      'io.github.db/pg-tools',
      'io.github.files/filesystem-mcp',
      'io.github.legacy/old-files',
    ]);
    expect(names({ type: ['nuget', 'mcpb'] })).toEqual(['io.github.weather/forecast']);
    expect(names({ transport: ['sse'] })).toEqual(['com.example.remote/search']);
    expect(names({ category: ['databases'], kind: ['remote'] })).toEqual(['com.example/postgres']);
    expect(names({ status: ['deprecated'] })).toEqual(['io.github.legacy/old-files']);
  });

  test('counts: each value counts results as if it were added to the other facets’ selections', () => {
    const { facets, total } = engine.search({ ...EMPTY_STATE, q: 'file', type: ['npm'] }, 20);
    expect(total).toBe(2);
    // Type counts ignore the type selection itself (pypi would add one), other facets respect it.
    expect(facets.type).toEqual({ npm: 2, pypi: 1 });
    expect(facets.status).toEqual({ active: 1, deprecated: 1 });
    expect(facets.category).toEqual({ 'file-systems': 1 });
  });

  test('facet counts agree with filtering, for every single value', () => {
    const base = engine.search({ ...EMPTY_STATE, q: 'e' }, 100);
    for (const [facet, counts] of Object.entries(base.facets)) {
      for (const [value, count] of Object.entries(counts)) {
        expect(engine.search({ ...EMPTY_STATE, q: 'e', [facet]: [value] }, 100).total, `${facet}=${value}`).toBe(count);
      }
    }
  });

  test('sorts: relevance, recently updated (the default with no query), name', () => {
    expect(names({})).toEqual(names({ sort: 'updated' }));
    expect(names({ sort: 'updated' })[0]).toBe('io.github.files/filesystem-mcp');
    const byName = names({ sort: 'name' });
    expect(byName).toEqual([...byName].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    expect(names({ q: 'files', sort: 'updated' })).toEqual([
      'io.github.files/filesystem-mcp',
      'io.github.other/mcp-server-filesystem',
      'io.github.legacy/old-files',
    ]);
  });

  test('limit cuts the page, total counts all', () => {
    const { items, total } = engine.search(EMPTY_STATE, 2);
    expect(items).toHaveLength(2);
    expect(total).toBe(SERVERS.length - 1);
  });
});
