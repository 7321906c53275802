/**
 * Astro's incremental-build cache of one output folder (astro.config.mjs turns the feature on): the
 * manifest of the last build, with each server page's cache key, and a copy of each of those pages.
 * A page whose key and code are unchanged is copied from here instead of being rendered again.
 *
 * Astro trusts its manifest. A build that stopped midway (killed, failed, refused) may already have
 * overwritten cached pages that the previous manifest still vouches for, so a later build with the old
 * data would copy the newer page. The manifest of a build that did not finish is therefore thrown
 * away, and the build after it renders every page.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The cache of the site built into `outDir`: a folder beside it, so it goes wherever the output goes. */
export const pageCacheDir = (outDir: string): string => `${outDir}.cache`;

/** Astro's manifest file in its cache folder (core/build/incremental.js). */
const ASTRO_MANIFEST = 'incremental-build.json';
/** Present while a build using the cache runs; removed only when one finishes. */
const IN_PROGRESS = 'build-in-progress';

export interface PageCache {
  /** Records that the build finished and its manifest can be trusted. */
  finished(): Promise<void>;
}

/** Opens the cache for a build; `fresh` renders every page (the cache is rewritten for the next build). */
export async function openPageCache(cacheDir: string, fresh = false): Promise<PageCache> {
  await mkdir(cacheDir, { recursive: true });
  const marker = path.join(cacheDir, IN_PROGRESS);
  if (fresh || existsSync(marker)) await rm(path.join(cacheDir, ASTRO_MANIFEST), { force: true });
  await writeFile(marker, `${process.pid}\n`);
  return { finished: () => rm(marker, { force: true }) };
}
