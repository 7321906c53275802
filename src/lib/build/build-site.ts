/**
 * Builds the website and static API from a data folder: validate first and refuse on any error
 * (the previous output stays untouched), then run Astro into a fresh folder next to the output and
 * swap it in with renames, so a failed build never leaves a partial site behind.
 */
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
}

export interface BuildSiteResult {
  ok: boolean;
  /** Validation problems (warnings included), or one `build-failed` problem. */
  problems: Problem[];
  outDir: string;
  servers: number;
  versions: number;
}

export async function buildSite(options: BuildSiteOptions = {}): Promise<BuildSiteResult> {
  const projectRoot = path.resolve(options.projectRoot ?? '.');
  const dataDir = path.resolve(options.dataDir ?? dataRoot());
  const outDir = path.resolve(projectRoot, options.outDir ?? 'dist');
  const { registry, problems } = await loadRegistry(dataDir);
  const counts = {
    servers: registry.servers.length,
    versions: registry.servers.reduce((sum, server) => sum + server.versions.length, 0),
  };
  if (hasErrors(problems)) return { ok: false, problems, outDir, ...counts };

  await removeAbandonedFolders(outDir);
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tempDir = `${outDir}.building-${suffix}`;
  const previousEnv = process.env.REGISTRY_DATA;
  // Pages find the data through dataRoot(); the registry just validated is handed over, not reloaded.
  process.env.REGISTRY_DATA = dataDir;
  forgetRegistries();
  provideRegistry(dataDir, registry);
  try {
    const { build } = await import('astro');
    await build({ root: projectRoot, outDir: tempDir, logLevel: options.logLevel ?? 'warn' });
    await swapIn(tempDir, outDir, `${outDir}.previous-${suffix}`);
    return { ok: true, problems, outDir, ...counts };
  } catch (error) {
    // The API writer may still be running if the pages failed; it must not write into what is removed.
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
    return { ok: false, problems: [...problems, failure], outDir, ...counts };
  } finally {
    if (previousEnv === undefined) delete process.env.REGISTRY_DATA;
    else process.env.REGISTRY_DATA = previousEnv;
    forgetRegistries();
  }
}

/**
 * Replaces `outDir` by `tempDir`: two renames on one file system, so the output is at every moment
 * either the complete old site or the complete new one (or, for the instant between the renames,
 * absent), never a mix or a half-written folder.
 */
async function swapIn(tempDir: string, outDir: string, oldDir: string): Promise<void> {
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
  if (hadOutput) await rm(oldDir, { recursive: true, force: true });
}

/** Temporary folders of builds that were killed midway (their process is gone), so they never pile up. */
async function removeAbandonedFolders(outDir: string): Promise<void> {
  const parent = path.dirname(outDir);
  const pattern = new RegExp(`^${escapeRegExp(path.basename(outDir))}\\.(?:building|previous)-(\\d+)-[0-9a-f]+$`);
  const names = await readdir(parent).catch(() => []);
  for (const name of names) {
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
