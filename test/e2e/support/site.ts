/**
 * The built fixture site for end-to-end tests, shared by every test file of a run: the first file to
 * ask builds it (the real `npm run build` CLI over test/fixtures/registry) under a cross-process lock;
 * the others wait for it. The build lives in .tmp/e2e-site/<hash of its inputs>/, so an unchanged tree
 * reuses it, and any change to the sources, the fixture data or the lockfile builds afresh.
 * E2E_SITE_DIR=<folder> tests an existing build of the fixture registry instead. Another data folder
 * (the bundled registry-data, for whole-corpus tests) is built the same way, keyed by its own contents.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createPreviewServer } from '../../../src/lib/api/preview-server.ts';

const PROJECT = path.resolve(import.meta.dirname, '../../..');
export const FIXTURE_REGISTRY = path.join(PROJECT, 'test/fixtures/registry');
export const BUNDLED_REGISTRY = path.join(PROJECT, 'registry-data');
const BUILDS = path.join(PROJECT, '.tmp/e2e-site');
const INPUTS = ['src', 'public', 'scripts', 'astro.config.mjs', 'package-lock.json', 'tsconfig.json'];
const BUILD_TIMEOUT_MS = 8 * 60_000;

/** Builds (or reuses) the site of a data folder (the fixture registry by default) and returns the folder holding it. */
export async function builtSite(registry = FIXTURE_REGISTRY): Promise<string> {
  if (process.env.E2E_SITE_DIR && registry === FIXTURE_REGISTRY) return path.resolve(process.env.E2E_SITE_DIR);
  const dir = path.join(BUILDS, await inputsHash(registry));
  const out = path.join(dir, 'dist');
  const done = path.join(dir, 'done');
  const failed = path.join(dir, 'failed');
  if (existsSync(done)) return out;
  await mkdir(BUILDS, { recursive: true });
  const lock = `${dir}.lock`;
  if (await acquire(lock)) {
    try {
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      const result = await runBuild(out, registry);
      if (result.code !== 0) {
        await writeFile(failed, result.output);
        throw new Error(`site build of ${registry} failed:\n${result.output}`);
      }
      await writeFile(done, '');
      await pruneOldBuilds(path.basename(dir));
      return out;
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  }
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (existsSync(done)) return out;
    if (existsSync(failed)) throw new Error(`fixture site build failed:\n${await readFile(failed, 'utf8')}`);
    if (!existsSync(lock)) return builtSite(registry);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`timed out waiting for another process to build the fixture site in ${dir}`);
}

/** mkdir is atomic: exactly one process creates the lock. A lock older than the build timeout is stale. */
async function acquire(lock: string): Promise<boolean> {
  try {
    await mkdir(lock);
    return true;
  } catch {
    const age = Date.now() - (await stat(lock).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
    if (age < BUILD_TIMEOUT_MS) return false;
    await rm(lock, { recursive: true, force: true });
    return acquire(lock);
  }
}

function runBuild(out: string, registry: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(PROJECT, 'node_modules/.bin/node'), ['scripts/build.ts', '--out', out], {
      cwd: PROJECT,
      env: { ...process.env, REGISTRY_DATA: registry },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), BUILD_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output: output.slice(-20_000) });
    });
  });
}

async function inputsHash(registry: string): Promise<string> {
  const hash = createHash('sha256');
  for (const input of INPUTS) await hashPath(hash, path.join(PROJECT, input));
  await hashPath(hash, registry);
  return hash.digest('hex').slice(0, 16);
}

async function hashPath(hash: ReturnType<typeof createHash>, target: string): Promise<void> {
  const info = await stat(target).catch(() => undefined);
  if (info === undefined) return;
  if (info.isDirectory()) {
    for (const entry of (await readdir(target)).sort()) await hashPath(hash, path.join(target, entry));
    return;
  }
  hash.update(path.relative(PROJECT, target));
  hash.update('\0');
  hash.update(await readFile(target));
  hash.update('\0');
}

/** Other test runs may still be serving a build made from other sources: only builds over two hours old go. */
const PRUNE_AGE_MS = 2 * 60 * 60_000;

async function pruneOldBuilds(keep: string): Promise<void> {
  for (const entry of await readdir(BUILDS)) {
    if (entry === keep || entry.endsWith('.lock')) continue;
    const info = await stat(path.join(BUILDS, entry)).catch(() => undefined);
    if (info !== undefined && Date.now() - info.mtimeMs > PRUNE_AGE_MS)
      await rm(path.join(BUILDS, entry), { recursive: true, force: true });
  }
}

export interface ServedSite {
  url: string;
  root: string;
  close: () => Promise<void>;
}

/** Serves a build with the project's preview server on a free loopback port. */
export async function serveSite(root: string): Promise<ServedSite> {
  const server = createPreviewServer({ root, log: () => {} });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    root,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
