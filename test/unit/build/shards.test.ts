import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { shardCount, SHARD_MIN_SERVERS } from '../../../src/lib/build/shard-processes.ts';
import { parseShard, pathsOfShard, SERVER_PAGE_ROUTE, shardOfServerPage, WHOLE_SITE, writesApi } from '../../../src/lib/build/shards.ts';

const page = (pathname: string, route: string) => ({ pathname, route: { route } });
const SITE = [
  page('/', '/'),
  page('/servers/a/one/', SERVER_PAGE_ROUTE),
  page('/servers/a/two/', SERVER_PAGE_ROUTE),
  page('/categories/x/', '/categories/[id]'),
  page('/servers/b/three/', SERVER_PAGE_ROUTE),
  page('/servers/b/four/', SERVER_PAGE_ROUTE),
  page('/servers/c/five/', SERVER_PAGE_ROUTE),
  page('/servers/c/six/', SERVER_PAGE_ROUTE),
];
const names = (paths: { pathname: string }[]) => paths.map((path) => path.pathname);

describe('parseShard', () => {
  it('reads index/count, and no value as the whole site', () => {
    expect(parseShard('1/3')).toEqual({ index: 1, count: 3 });
    expect(parseShard(undefined)).toEqual(WHOLE_SITE);
    expect(parseShard('')).toEqual(WHOLE_SITE);
  });

  it.each(['2/2', '0/0', '1', 'a/b', '-1/2', '1/2/3'])('refuses %j with the expected form', (value) => {
    expect(() => parseShard(value)).toThrow(/SITE_SHARD=.* is not a shard: use "index\/count"/);
  });
});

describe('pathsOfShard', () => {
  it('gives the server pages out in turns, 5 to each shard and 3 to the last (which writes the API), and every other page to the primary', () => {
    expect(Array.from({ length: 10 }, (_, position) => shardOfServerPage(position, 2))).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 0, 0]);
    expect(Array.from({ length: 14 }, (_, position) => shardOfServerPage(position, 3))).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 0]);
    expect(names(pathsOfShard(SITE, { index: 0, count: 2 }))).toEqual(['/', '/servers/a/one/', '/servers/a/two/', '/categories/x/', '/servers/b/three/', '/servers/b/four/', '/servers/c/five/']);
    expect(names(pathsOfShard(SITE, { index: 1, count: 2 }))).toEqual(['/servers/c/six/']);
    expect([0, 1, 2].map((index) => writesApi({ index, count: 3 }))).toEqual([false, false, true]);
    expect(writesApi({ index: 0, count: 1 })).toBe(true);
  });

  it('splits the site into disjoint shards that together are the whole site, in any shard count', () => {
    for (const count of [1, 2, 3, 4, 9]) {
      const shards = Array.from({ length: count }, (_, index) => names(pathsOfShard(SITE, { index, count })));
      expect(shards.flat().sort()).toEqual(names(SITE).sort());
    }
  });
});

describe('shardCount', () => {
  it('shards only registries large enough to gain from it, unless BUILD_SHARDS says otherwise', () => {
    expect(shardCount(SHARD_MIN_SERVERS - 1, {})).toBe(1);
    expect(shardCount(SHARD_MIN_SERVERS, {})).toBe(Math.max(1, Math.min(Math.floor(availableParallelism() / 2), 4)));
    expect(shardCount(10, { BUILD_SHARDS: '3' })).toBe(3);
    expect(() => shardCount(10, { BUILD_SHARDS: 'many' })).toThrow(/BUILD_SHARDS="many" must be a whole number from 1 to 16/);
  });
});
