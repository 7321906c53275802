/**
 * Astro renders pages on one thread, and the per-server pages are most of a build. `buildSite` can
 * split them between processes ("shards") so every core renders: shard 0 is the primary build (every
 * page but the other shards' server pages); shard k > 0 renders only its share of the server pages,
 * and the last shard also writes the API; their output is then merged into the primary's. The split
 * is made by the `shards` integration, which filters the paths Astro prerenders; routes know nothing of it.
 *
 * The shard of the current process comes from SITE_SHARD=`index/count`; without it there is one
 * shard, so a plain `astro build` renders everything.
 */
export const SHARD_ENV = 'SITE_SHARD';

export interface Shard {
  index: number;
  count: number;
}

export const WHOLE_SITE: Shard = { index: 0, count: 1 };

export function parseShard(value: string | undefined): Shard {
  if (value === undefined || value === '') return WHOLE_SITE;
  const match = /^(\d+)\/(\d+)$/.exec(value);
  const shard = match ? { index: Number(match[1]), count: Number(match[2]) } : undefined;
  if (shard === undefined || shard.count < 1 || shard.index >= shard.count) {
    throw new Error(`${SHARD_ENV}=${JSON.stringify(value)} is not a shard: use "index/count" with index < count, e.g. "1/2"`);
  }
  return shard;
}

export const formatShard = (shard: Shard): string => `${shard.index}/${shard.count}`;

export function currentShard(): Shard {
  return parseShard(process.env[SHARD_ENV]);
}

/** The route of the per-server pages: the only pages split between shards. */
export const SERVER_PAGE_ROUTE = '/servers/[namespace]/[name]';

/** The shard that writes the API: the last one, which therefore gets fewer server pages. */
export const writesApi = (shard: Shard): boolean => shard.index === shard.count - 1;

/**
 * Server pages per round for each shard: the API writer takes 3 for every 5 the others take, which
 * has both processes of a 2-core build finish together at 10,000 and 25,000 servers (measured).
 */
const weightOf = (index: number, count: number): number => (count > 1 && index === count - 1 ? 3 : 5);

/** The shard that renders the `position`-th server page: weighted round robin, so shards get alike mixes. */
export function shardOfServerPage(position: number, count: number): number {
  if (count === 1) return 0;
  let slot = position % Array.from({ length: count }, (_, index) => weightOf(index, count)).reduce((sum, weight) => sum + weight, 0);
  for (let index = 0; index < count; index++) {
    slot -= weightOf(index, count);
    if (slot < 0) return index;
  }
  return count - 1;
}

/**
 * The paths `shard` renders, out of every path of the site in Astro's (deterministic) order: its
 * share of the server pages and, in the primary only, every other page.
 */
export function pathsOfShard<T extends { route: { route: string } }>(paths: readonly T[], shard: Shard): T[] {
  if (shard.count === 1) return [...paths];
  let serverPage = 0;
  return paths.filter((path) =>
    path.route.route === SERVER_PAGE_ROUTE ? shardOfServerPage(serverPage++, shard.count) === shard.index : shard.index === 0,
  );
}
