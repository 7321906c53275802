/**
 * Builds the website and static API from a data folder into a fresh folder next to the output, and
 * swaps it in with renames, so a failed build never leaves a partial site behind.
 *
 * The data is validated in a worker thread while Astro starts and bundles (see build-data.ts); the
 * pages wait for it. Data with any error is refused and the previous output stays untouched: the
 * pages are then given an empty registry, so Astro finishes its discarded build at once and quietly.
 * Server pages whose data and code did not change since the last finished build are hard-linked from
 * its output instead of rendered (page-cache.ts).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { WriteSummary } from '../api/emit.ts';
import type { Problem } from '../problems.ts';
import { hasErrors } from '../problems.ts';
import { forgetRegistries, provideRegistry } from '../registry/cache.ts';
import { dataRoot } from '../registry/layout.ts';
import type { Registry } from '../registry/model.ts';
import { provideBuildData, startBuildData, stopBuildData } from './build-data.ts';
import { openPageCache, pageCacheDir, usePageCache } from './page-cache.ts';

export interface BuildSiteOptions {
  /** The data folder; default `dataRoot()` (REGISTRY_DATA or registry-data/). */
  dataDir?: string;
  /** Where the site ends up; default `dist/` in the project root. */
  outDir?: string;
  /** The Astro project (where astro.config.mjs is); default the working directory. */
  projectRoot?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /**
   * How the replaced output is deleted: before buildSite returns (default), or by a detached process,
   * so a command-line build need not wait (deleting a 25,000-server site takes half a minute). A
   * deletion that is cut short is finished by the next build.
   */
  removePrevious?: 'before-return' | 'in-background';
  /**
   * The page cache's folder (see page-cache.ts), also given to Astro for its own caches; default
   * `<outDir>.cache`. One build at a time per output folder.
   */
  cacheDir?: string;
  /** Render every page instead of reusing unchanged ones from the last build. */
  fresh?: boolean;
}

export interface BuildSiteResult {
  ok: boolean;
  /** Validation problems (warnings included), or one `build-failed` problem. */
  problems: Problem[];
  outDir: string;
  servers: number;
  versions: number;
  /** What the API integration wrote (absent when the build failed or the project has no API). */
  api?: WriteSummary;
  /** Server pages rendered, and reused from the last build. */
  pages: { rendered: number; reused: number };
  /**
   * Where the time went (milliseconds from the start): when the data had been validated (Astro was
   * starting meanwhile), and when the whole build had finished.
   */
  timings: { validated: number; total: number };
}

export async function buildSite(options: BuildSiteOptions = {}): Promise<BuildSiteResult> {
  const projectRoot = path.resolve(options.projectRoot ?? '.');
  const dataDir = path.resolve(options.dataDir ?? dataRoot());
  const outDir = path.resolve(projectRoot, options.outDir ?? 'dist');
  const started = performance.now();
  const buildFailed = (message: string, hint: string): Problem => ({
    code: 'build-failed',
    severity: 'error',
    file: path.relative(projectRoot, outDir) || '.',
    path: '$',
    message,
    hint,
  });
  const reused = reusesPagesModule(outDir);
  if (reused) {
    const hint =
      'Build into a folder inside the working directory, or run each build in its own process (npm run build does).';
    return {
      ok: false,
      problems: [buildFailed(reused, hint)],
      outDir,
      servers: 0,
      versions: 0,
      pages: NO_PAGES,
      timings: { validated: Number.NaN, total: 0 },
    };
  }
  const data = startBuildData(dataDir);
  let validatedAt = Number.NaN;
  const validation = data.validated.then((validated) => {
    validatedAt = performance.now() - started;
    return validated;
  });
  let counts = { servers: 0, versions: 0 };
  let pages = NO_PAGES;
  const summary = () => ({
    outDir,
    ...counts,
    pages,
    timings: { validated: validatedAt, total: performance.now() - started },
  });

  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tempDir = `${outDir}.building-${suffix}`;
  const restoreEnv = setEnv({
    REGISTRY_DATA: dataDir,
    // Always a production build: an inherited NODE_ENV (vitest sets "test") would make Vite bundle
    // React's development build.
    NODE_ENV: 'production',
  });
  // Pages find the data through dataRoot(), and the API integration finds this build's worker.
  forgetRegistries();
  provideRegistry(
    dataDir,
    validation.then(({ registry }) => registry ?? EMPTY_REGISTRY),
  );
  provideBuildData(dataDir, data);
  try {
    await removeAbandonedFolders(outDir);
    const cacheDir = path.resolve(projectRoot, options.cacheDir ?? pageCacheDir(outDir));
    const pageCache = openPageCache({ cacheDir, projectRoot, fresh: options.fresh });
    usePageCache(pageCache);
    const { build } = await import('astro');
    const [validated, built] = await Promise.allSettled([
      validation,
      build({ root: projectRoot, outDir: tempDir, cacheDir, logLevel: options.logLevel ?? 'warn' }),
    ]);
    if (validated.status === 'rejected') throw validated.reason;
    counts = validated.value.counts;
    if (hasErrors(validated.value.problems)) {
      await discard(tempDir);
      return { ok: false, problems: validated.value.problems, ...summary() };
    }
    if (built.status === 'rejected') throw built.reason;
    pageCache.linkReusedInto(tempDir);
    pages = pageCache.counts();
    pageCache.invalidate();
    await swapIn(tempDir, outDir, `${outDir}.previous-${suffix}`, options.removePrevious ?? 'before-return');
    pageCache.record(outDir);
    const api = data.apiWritten();
    return { ok: true, problems: validated.value.problems, ...(api ? { api } : {}), ...summary() };
  } catch (error) {
    await discard(tempDir);
    const message = error instanceof Error ? error.message : String(error);
    const failure = buildFailed(
      `the site build failed, so the previous output was left as it was: ${message}`,
      'Fix the error above (a page or the Astro config); the data itself validated.',
    );
    const problems = await validation.then(
      (validated) => validated.problems,
      () => [],
    );
    return { ok: false, problems: [...problems, failure], ...summary() };
  } finally {
    usePageCache(undefined);
    await stopBuildData();
    restoreEnv();
    forgetRegistries();
  }
}

/**
 * Astro bundles the pages of a build whose output is outside the working directory into
 * `<cwd>/.astro/.prerender/` (astro/dist/core/build/common.js), the same file for every such build of
 * the same code; Node caches modules by path, so a second such build in one process would render with
 * the first one's pages module, getStaticPaths props and all. Returns why this build would, if it would.
 */
function reusesPagesModule(outDir: string): string | undefined {
  // Astro's own test: the output path starts with the working directory.
  if (outDir.startsWith(process.cwd())) return undefined;
  const holder = globalThis as { [BUILT_OUTSIDE_CWD]?: boolean };
  if (holder[BUILT_OUTSIDE_CWD] !== true) {
    holder[BUILT_OUTSIDE_CWD] = true;
    return undefined;
  }
  return `this process already built a site outside the working directory (${process.cwd()}), and Astro would give this build the other's pages`;
}
const BUILT_OUTSIDE_CWD = Symbol.for('mcp-index.built-outside-cwd');

const NO_PAGES = { rendered: 0, reused: 0 };

/** What the pages of a refused build see: nothing to publish, so the discarded build ends quickly. */
const EMPTY_REGISTRY: Registry = { servers: [], vocabulary: { categories: [], tags: [] } };

/** Removes a build's temporary folder, once nothing can write into it any more. */
async function discard(tempDir: string): Promise<void> {
  // The data worker may still be writing the API (a page failed first); it must not write into what is removed.
  await stopBuildData();
  await rm(tempDir, { recursive: true, force: true });
}

/** Sets (or, for undefined, removes) environment variables; returns a function that puts them back. */
function setEnv(values: Record<string, string | undefined>): () => void {
  const previous = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  const apply = (entries: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  apply(values);
  return () => apply(previous);
}

/**
 * Replaces `outDir` by `tempDir`: two renames on one file system, so the output is at every moment
 * either the complete old site or the complete new one (or, for the instant between the renames,
 * absent), never a mix or a half-written folder.
 */
async function swapIn(
  tempDir: string,
  outDir: string,
  oldDir: string,
  removeOld: BuildSiteOptions['removePrevious'],
): Promise<void> {
  const hadOutput = await stat(outDir).then(
    () => true,
    () => false,
  );
  if (hadOutput) await rename(outDir, oldDir);
  try {
    await rename(tempDir, outDir);
  } catch (error) {
    if (hadOutput) await rename(oldDir, outDir);
    throw error;
  }
  if (!hadOutput) return;
  if (removeOld === 'in-background') removeInBackground(oldDir);
  else await rm(oldDir, { recursive: true, force: true });
}

/** Deletes `dir` from a detached process that outlives this one. */
function removeInBackground(dir: string): void {
  const remover = 'require("node:fs").rmSync(process.argv[1], { recursive: true, force: true })';
  spawn(process.execPath, ['-e', remover, dir], { detached: true, stdio: 'ignore' }).unref();
}

/** Temporary folders of builds that were killed midway (their process is gone), so they never pile up. */
async function removeAbandonedFolders(outDir: string): Promise<void> {
  const parent = path.dirname(outDir);
  const pattern = new RegExp(`^${escapeRegExp(path.basename(outDir))}\\.(?:building|previous)-(\\d+)-[0-9a-f]+$`);
  for (const name of await readdir(parent).catch(() => [])) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (pid && !isRunning(pid)) await rm(path.join(parent, name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
