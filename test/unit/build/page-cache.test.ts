/**
 * The page cache's bookkeeping on a real folder: Astro's manifest is kept only after a build that
 * finished; after one that stopped midway, or when asked for a fresh build, it is thrown away.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPageCache, pageCacheDir } from '../../../src/lib/build/page-cache.ts';

let cacheDir: string;
const manifest = () => path.join(cacheDir, 'incremental-build.json');
const lastBuildFinishedWithManifest = async () => {
  const cache = await openPageCache(cacheDir);
  writeFileSync(manifest(), '{"version":1,"routes":{}}');
  await cache.finished();
};

beforeEach(() => {
  cacheDir = path.join(mkdtempSync(path.join(tmpdir(), 'page-cache-')), 'dist.cache');
});
afterEach(() => rmSync(path.dirname(cacheDir), { recursive: true, force: true }));

describe('openPageCache', () => {
  it('lives beside the output folder', () => {
    expect(pageCacheDir('/srv/site/dist')).toBe('/srv/site/dist.cache');
  });

  it('keeps the manifest of a build that finished', async () => {
    await lastBuildFinishedWithManifest();
    await openPageCache(cacheDir);
    expect(existsSync(manifest())).toBe(true);
  });

  it('throws the manifest away when the build before did not finish', async () => {
    await lastBuildFinishedWithManifest();
    // This build stops midway (killed, failed or refused): it never calls finished().
    await openPageCache(cacheDir);
    expect(existsSync(manifest())).toBe(true);
    await openPageCache(cacheDir);
    expect(existsSync(manifest())).toBe(false);
  });

  it('throws the manifest away for a fresh build', async () => {
    await lastBuildFinishedWithManifest();
    await openPageCache(cacheDir, true);
    expect(existsSync(manifest())).toBe(false);
  });

  it('creates the folder on the first build', async () => {
    const cache = await openPageCache(cacheDir);
    expect(existsSync(cacheDir)).toBe(true);
    await cache.finished();
  });
});
