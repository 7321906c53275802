/**
 * The page cache: a rebuild reuses the server pages of the last finished build whose data and code did
 * not change, instead of rendering them again. The previous output folder is the cache. A manifest
 * beside it (`<out>.cache/pages.json`) records a fingerprint of the code and, for each server page, its
 * key (a digest of its props, site-data/page-key.ts) and the size and modification time of its file.
 *
 * A page is reused when the fingerprint, its key and its file are unchanged: the page's getStaticPaths
 * leaves it out (`pagesToRender`), and once Astro has rendered the others it is hard-linked from the
 * previous output into the new one. A cold build therefore writes nothing twice, and a rebuild writes
 * only what changed. The previous output is deleted after the swap, so no file stays shared.
 *
 * The manifest is removed before the new output is swapped in and written after, so it never vouches
 * for an output it does not describe; the file checks catch an output replaced or edited by hand.
 */
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parentFolderMaker } from '../parent-folders.ts';

/** The cache of the site built into `outDir`: a folder beside it, so it goes wherever the output goes. */
export const pageCacheDir = (outDir: string): string => `${outDir}.cache`;

const MANIFEST = 'pages.json';

/** What shapes a page beyond its props: the code, its dependencies, and the site's origin. */
const CODE_PATHS = ['src', 'public', 'astro.config.mjs', 'package.json', 'package-lock.json', 'tsconfig.json'];

const CachedFileSchema = z.object({
  key: z.string(),
  size: z.number().int().nonnegative(),
  /** Whole seconds: what an archive (a CI cache) keeps of a file's modification time. */
  mtime: z.number().int(),
});
const ManifestSchema = z.object({
  version: z.literal(1),
  fingerprint: z.string(),
  /** The output folder the pages are in, relative to the cache folder. */
  output: z.string(),
  pages: z.record(z.string(), CachedFileSchema),
});
type Manifest = z.infer<typeof ManifestSchema>;
type CachedFile = z.infer<typeof CachedFileSchema>;

/** A page as getStaticPaths offers it: its output file (relative to the output folder) and its key. */
export interface CacheablePage {
  file: string;
  key: string;
}

export interface PageCache {
  /** The pages Astro must render; the others are reused. Called by the pages' getStaticPaths. */
  select<T extends CacheablePage>(pages: readonly T[]): T[];
  /** Hard-links every reused page from the previous output into `dir` (copies where links cannot be made). */
  linkReusedInto(dir: string): void;
  /** Removes the manifest: call before the output is replaced. */
  invalidate(): void;
  /** Writes the manifest of the output now in `outDir`: call once it is in place. */
  record(outDir: string): void;
  /** Server pages rendered and reused by this build so far. */
  counts(): { rendered: number; reused: number };
}

export interface OpenPageCacheOptions {
  cacheDir: string;
  /** The Astro project whose code the fingerprint covers. */
  projectRoot: string;
  /** Render every page; the manifest is still written for the next build. */
  fresh?: boolean;
  /** The site's origin as astro.config.mjs reads it. */
  siteUrl?: string;
}

export function openPageCache(options: OpenPageCacheOptions): PageCache {
  const { cacheDir, projectRoot } = options;
  mkdirSync(cacheDir, { recursive: true });
  removeAstroIncrementalCache(cacheDir);
  const manifestFile = path.join(cacheDir, MANIFEST);
  const fingerprint = codeFingerprint(projectRoot, options.siteUrl ?? process.env.SITE_URL ?? '');
  const previous = options.fresh ? undefined : readManifest(manifestFile, fingerprint);
  const previousOutput = previous === undefined ? '' : path.resolve(cacheDir, previous.output);
  const keys = new Map<string, string>();
  const reused = new Set<string>();

  return {
    select(pages) {
      return pages.filter((page) => {
        keys.set(page.file, page.key);
        const before = previous?.pages[page.file];
        const reusable =
          before !== undefined && before.key === page.key && isSameFile(path.join(previousOutput, page.file), before);
        if (reusable) reused.add(page.file);
        else reused.delete(page.file);
        return !reusable;
      });
    },
    linkReusedInto(dir) {
      const makeParent = parentFolderMaker();
      for (const file of [...reused].sort()) {
        const target = path.join(dir, file);
        makeParent(target);
        linkOrCopy(path.join(previousOutput, file), target);
      }
    },
    invalidate() {
      rmSync(manifestFile, { force: true });
    },
    record(outDir) {
      const pages: Record<string, CachedFile> = {};
      for (const file of [...keys.keys()].sort()) {
        const stats = statSync(path.join(outDir, file), { throwIfNoEntry: false });
        if (stats?.isFile())
          pages[file] = { key: keys.get(file)!, size: stats.size, mtime: Math.floor(stats.mtimeMs / 1000) };
      }
      const manifest: Manifest = { version: 1, fingerprint, output: path.relative(cacheDir, outDir) || '.', pages };
      // Written whole or not at all: a torn manifest would be refused, but a whole one costs nothing more.
      const partial = `${manifestFile}.${process.pid}.tmp`;
      writeFileSync(partial, `${JSON.stringify(manifest)}\n`);
      renameSync(partial, manifestFile);
    },
    counts: () => ({ rendered: keys.size - reused.size, reused: reused.size }),
  };
}

/**
 * A digest of every file under CODE_PATHS (path and content) and the site's origin. Anything else a
 * page shows must be in its props. Dependencies are covered by the lockfile.
 */
export function codeFingerprint(projectRoot: string, siteUrl: string): string {
  const hash = createHash('sha256').update(`SITE_URL=${siteUrl}\0`);
  for (const file of codeFiles(projectRoot))
    hash
      .update(`${file}\0`)
      .update(readFileSync(path.join(projectRoot, file)))
      .update('\0');
  return hash.digest('base64url');
}

function codeFiles(projectRoot: string): string[] {
  const files: string[] = [];
  for (const entry of CODE_PATHS) {
    const full = path.join(projectRoot, entry);
    const stats = statSync(full, { throwIfNoEntry: false });
    if (stats?.isFile()) files.push(entry);
    else if (stats?.isDirectory()) {
      for (const found of readdirSync(full, { recursive: true, withFileTypes: true })) {
        if (found.isFile())
          files.push(path.relative(projectRoot, path.join(found.parentPath, found.name)).split(path.sep).join('/'));
      }
    }
  }
  return files.sort();
}

/** The previous build's manifest, if there is one for this code; anything unreadable counts as none. */
function readManifest(file: string, fingerprint: string): Manifest | undefined {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  const parsed = ManifestSchema.safeParse(json);
  return parsed.success && parsed.data.fingerprint === fingerprint ? parsed.data : undefined;
}

function isSameFile(file: string, cached: CachedFile): boolean {
  const stats = statSync(file, { throwIfNoEntry: false });
  return (
    stats !== undefined &&
    stats.isFile() &&
    stats.size === cached.size &&
    Math.floor(stats.mtimeMs / 1000) === cached.mtime
  );
}

/** Links that a file system cannot make (another device, no hard links, too many links) become copies. */
const COPY_INSTEAD = new Set(['EXDEV', 'EPERM', 'EMLINK', 'ENOTSUP']);

function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch (error) {
    if (!COPY_INSTEAD.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    copyFileSync(from, to);
  }
}

/**
 * Earlier builds used Astro's experimental incremental build, which kept its manifest and a second copy
 * of every page in this folder. Nothing reads them now, so a cache that still has them is cleared of them.
 */
function removeAstroIncrementalCache(cacheDir: string): void {
  if (!existsSync(path.join(cacheDir, 'incremental-build.json'))) return;
  for (const name of ['incremental-build.json', 'build-in-progress', 'dist'])
    rmSync(path.join(cacheDir, name), { recursive: true, force: true });
}

const ACTIVE = Symbol.for('mcp-index.page-cache');

/**
 * Makes `cache` the one the pages of the build about to start consult (undefined: none). It lives on
 * globalThis because Vite bundles this module into the build's own chunks, a different module instance
 * from the one buildSite imports (as with registry/cache.ts).
 */
export function usePageCache(cache: PageCache | undefined): void {
  (globalThis as { [ACTIVE]?: PageCache })[ACTIVE] = cache;
}

/** The pages getStaticPaths must return: all of them, unless a build with a page cache is running. */
export function pagesToRender<T extends CacheablePage>(pages: readonly T[]): T[] {
  const cache = (globalThis as { [ACTIVE]?: PageCache })[ACTIVE];
  return cache ? cache.select(pages) : [...pages];
}
