/**
 * Builds the website and static API from a data folder: validate first and refuse on any error
 * (the previous output stays untouched), then run Astro into a fresh folder next to the output and
 * swap it in with renames, so a failed build never leaves a partial site behind.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { stopApiWriters } from '../api/write-in-background.ts';
import type { Problem } from '../problems.ts';
import { hasErrors } from '../problems.ts';
import { forgetRegistries, provideRegistry } from '../registry/cache.ts';
import { dataRoot } from '../registry/layout.ts';
import { loadRegistry } from '../registry/load.ts';

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
}

export interface BuildSiteResult {
  ok: boolean;
  /** Validation problems (warnings included), or one `build-failed` problem. */
  problems: Problem[];
  outDir: string;
  servers: number;
  versions: number;
  /** Where the time went (milliseconds): reading and validating the data; the site (pages and API). */
  timings: { validate: number; site: number };
}

export async function buildSite(options: BuildSiteOptions = {}): Promise<BuildSiteResult> {
  const projectRoot = path.resolve(options.projectRoot ?? '.');
  const dataDir = path.resolve(options.dataDir ?? dataRoot());
  const outDir = path.resolve(projectRoot, options.outDir ?? 'dist');
  const started = performance.now();
  const { registry, problems } = await loadRegistry(dataDir);
  const validated = performance.now();
  const counts = {
    servers: registry.servers.length,
    versions: registry.servers.reduce((sum, server) => sum + server.versions.length, 0),
  };
  const summary = () => ({ outDir, ...counts, timings: { validate: validated - started, site: performance.now() - validated } });
  if (hasErrors(problems)) return { ok: false, problems, ...summary() };

  await removeAbandonedFolders(outDir);
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tempDir = `${outDir}.building-${suffix}`;
  const restoreEnv = setEnv({
    REGISTRY_DATA: dataDir,
    // Always a production build: an inherited NODE_ENV (vitest sets "test") would make Vite bundle
    // React's development build.
    NODE_ENV: 'production',
  });
  // Pages find the data through dataRoot(); the registry just validated is handed over, not reloaded.
  forgetRegistries();
  provideRegistry(dataDir, registry);
  try {
    const { build } = await import('astro');
    await build({ root: projectRoot, outDir: tempDir, logLevel: options.logLevel ?? 'warn' });
    await swapIn(tempDir, outDir, `${outDir}.previous-${suffix}`, options.removePrevious ?? 'before-return');
    return { ok: true, problems, ...summary() };
  } catch (error) {
    // The API writer may still be running if a page failed; it must not write into what is removed.
    await stopApiWriters();
    await rm(tempDir, { recursive: true, force: true });
    const message = error instanceof Error ? error.message : String(error);
    const failure: Problem = {
      code: 'build-failed',
      severity: 'error',
      file: path.relative(projectRoot, outDir) || '.',
      path: '$',
      message: `the site build failed, so the previous output was left as it was: ${message}`,
      hint: 'Fix the error above (a page or the Astro config); the data itself validated.',
    };
    return { ok: false, problems: [...problems, failure], ...summary() };
  } finally {
    restoreEnv();
    forgetRegistries();
  }
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
async function swapIn(tempDir: string, outDir: string, oldDir: string, removeOld: BuildSiteOptions['removePrevious']): Promise<void> {
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
