/**
 * The page cache on real folders: which pages a build reuses (same code, same key, same file), how they
 * reach the new output (hard links), and when the previous build cannot be trusted (no manifest, other
 * code, a file changed or gone, a manifest that does not parse).
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  codeFingerprint,
  openPageCache,
  pageCacheDir,
  pagesToRender,
  usePageCache,
} from '../../../src/lib/build/page-cache.ts';

let root: string;
let project: string;
let cacheDir: string;
const at = (...parts: string[]) => path.join(root, ...parts);
const write = (file: string, text: string) => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
};
const PAGES = [
  { file: 'servers/io.github.acme/weather/index.html', key: 'k-weather' },
  { file: 'servers/io.github.acme/py-tools/index.html', key: 'k-py' },
];
/** A finished build into `out`: renders what the cache selects, and records it. */
function build(out: string, pages = PAGES, options: { fresh?: boolean } = {}) {
  const cache = openPageCache({ cacheDir, projectRoot: project, siteUrl: 'https://example.org', ...options });
  const rendered = cache.select(pages);
  for (const page of rendered) write(path.join(out, page.file), `<p>${page.key}</p>`);
  cache.linkReusedInto(out);
  cache.invalidate();
  cache.record(out);
  return { rendered: rendered.map((page) => page.file), counts: cache.counts() };
}

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'page-cache-'));
  project = at('project');
  write(path.join(project, 'src/pages/index.astro'), '<p>home</p>');
  write(path.join(project, 'package-lock.json'), '{}');
  cacheDir = pageCacheDir(at('dist'));
});
afterEach(() => {
  usePageCache(undefined);
  rmSync(root, { recursive: true, force: true });
});

describe('the page cache', () => {
  it('lives beside the output folder', () => {
    expect(pageCacheDir('/srv/site/dist')).toBe('/srv/site/dist.cache');
  });

  it('renders every page on the first build and records them', () => {
    expect(build(at('dist'))).toEqual({ rendered: PAGES.map((page) => page.file), counts: { rendered: 2, reused: 0 } });
    const manifest = JSON.parse(readFileSync(path.join(cacheDir, 'pages.json'), 'utf8'));
    expect(manifest).toMatchObject({
      version: 1,
      output: '../dist',
      pages: { [PAGES[0]!.file]: { key: 'k-weather', size: 16 } },
    });
  });

  it('reuses unchanged pages as hard links to the previous output and renders the changed one', () => {
    build(at('dist'));
    const changed = [PAGES[0]!, { ...PAGES[1]!, key: 'k-py-2' }];
    expect(build(at('next'), changed)).toEqual({ rendered: [PAGES[1]!.file], counts: { rendered: 1, reused: 1 } });
    expect(statSync(at('next', PAGES[0]!.file)).ino).toBe(statSync(at('dist', PAGES[0]!.file)).ino);
    expect(readFileSync(at('next', PAGES[1]!.file), 'utf8')).toBe('<p>k-py-2</p>');
    // The manifest now describes the new output, so the build after it reuses both pages from there.
    expect(build(at('third'), changed).rendered).toEqual([]);
    expect(statSync(at('third', PAGES[1]!.file)).ino).toBe(statSync(at('next', PAGES[1]!.file)).ino);
  });

  it('renders every page when the code or the site origin changed', () => {
    build(at('dist'));
    write(path.join(project, 'src/components/New.astro'), '<p>new</p>');
    expect(build(at('after-code')).rendered).toHaveLength(2);
    const cache = openPageCache({ cacheDir, projectRoot: project, siteUrl: 'https://other.example' });
    expect(cache.select(PAGES)).toHaveLength(2);
  });

  it('renders a page whose previous file was edited or is gone', () => {
    build(at('dist'));
    writeFileSync(at('dist', PAGES[0]!.file), '<p>edited by hand</p>');
    rmSync(at('dist', PAGES[1]!.file));
    expect(build(at('next')).rendered).toHaveLength(2);
  });

  it('renders a page whose previous file kept its size but not its modification time', () => {
    build(at('dist'));
    const file = at('dist', PAGES[0]!.file);
    const stats = statSync(file);
    utimesSync(file, stats.atime, new Date(stats.mtimeMs - 60_000));
    expect(build(at('next')).rendered).toEqual([PAGES[0]!.file]);
  });

  it('renders every page for a fresh build, and still records them for the next', () => {
    build(at('dist'));
    expect(build(at('fresh'), PAGES, { fresh: true }).rendered).toHaveLength(2);
    expect(build(at('after-fresh')).rendered).toEqual([]);
  });

  it('trusts nothing once the manifest is removed before a swap that did not finish', () => {
    build(at('dist'));
    openPageCache({ cacheDir, projectRoot: project, siteUrl: 'https://example.org' }).invalidate();
    expect(existsSync(path.join(cacheDir, 'pages.json'))).toBe(false);
    expect(build(at('next')).rendered).toHaveLength(2);
  });

  it('treats a manifest it cannot read as none', () => {
    build(at('dist'));
    writeFileSync(path.join(cacheDir, 'pages.json'), '{"version":1,"pages":');
    expect(build(at('after-torn')).rendered).toHaveLength(2);
    writeFileSync(path.join(cacheDir, 'pages.json'), '{"version":2}');
    expect(build(at('after-other-version')).rendered).toHaveLength(2);
  });

  it("clears the copies and manifest that Astro's incremental build kept there", () => {
    write(path.join(cacheDir, 'incremental-build.json'), '{}');
    write(path.join(cacheDir, 'dist/servers/a/b/index.html'), '<p>old copy</p>');
    write(path.join(cacheDir, 'data-store.json'), '{}');
    build(at('dist'));
    expect(readdirSync(cacheDir).sort()).toEqual(['data-store.json', 'pages.json']);
  });
});

describe('codeFingerprint', () => {
  it('covers the sources, the lockfile and the origin, not the data', () => {
    const base = codeFingerprint(project, 'https://example.org');
    expect(codeFingerprint(project, 'https://example.org')).toBe(base);
    expect(codeFingerprint(project, 'https://other.example')).not.toBe(base);
    write(path.join(project, 'registry-data/servers/a.json'), '{}');
    expect(codeFingerprint(project, 'https://example.org')).toBe(base);
    write(path.join(project, 'package-lock.json'), '{"lockfileVersion":3}');
    const relocked = codeFingerprint(project, 'https://example.org');
    expect(relocked).not.toBe(base);
    write(path.join(project, 'src/pages/index.astro'), '<p>home, changed</p>');
    expect(codeFingerprint(project, 'https://example.org')).not.toBe(relocked);
  });
});

describe('pagesToRender', () => {
  it('returns every page when no build with a page cache is running (the dev server)', () => {
    expect(pagesToRender(PAGES)).toEqual(PAGES);
  });

  it('asks the cache of the running build', () => {
    build(at('dist'));
    usePageCache(openPageCache({ cacheDir, projectRoot: project, siteUrl: 'https://example.org' }));
    expect(pagesToRender([PAGES[0]!, { ...PAGES[1]!, key: 'changed' }])).toEqual([{ ...PAGES[1]!, key: 'changed' }]);
  });
});
