/**
 * Runs the non-primary shards of a build (see shards.ts) as child processes next to the primary
 * Astro build, and moves their server pages into the primary's output once they are done.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serialize } from 'node:v8';
import type { Registry } from '../registry/model.ts';
import { formatShard, SHARD_ENV, type Shard } from './shards.ts';

/** Below this many servers a second Astro process costs more (start-up, bundling) than it saves. */
export const SHARD_MIN_SERVERS = 2000;
const MAX_SHARDS = 4;
/** BUILD_SHARDS=N overrides the default (1 renders in one process, as `astro build` does). */
export const SHARDS_ENV = 'BUILD_SHARDS';

const RENDER_SHARD = fileURLToPath(new URL('./render-shard.ts', import.meta.url));
const STDERR_TAIL = 8192;

export function shardCount(servers: number, env: NodeJS.ProcessEnv = process.env): number {
  const requested = env[SHARDS_ENV];
  if (requested !== undefined && requested !== '') {
    const count = Number(requested);
    if (!Number.isInteger(count) || count < 1 || count > 16) throw new Error(`${SHARDS_ENV}=${JSON.stringify(requested)} must be a whole number from 1 to 16`);
    return count;
  }
  return servers >= SHARD_MIN_SERVERS ? Math.min(availableParallelism(), MAX_SHARDS) : 1;
}

export interface ShardProcess {
  shard: Shard;
  /** The shard's Astro output, next to the primary's. */
  outDir: string;
  /** The shard's working directory, inside the project. */
  workDir: string;
  /** Resolves when the shard's build succeeded; rejects with its error message otherwise. */
  done: Promise<void>;
  stop(): Promise<void>;
}

/** Where shard `index` of the build `suffix` works: Astro puts a build's compiled chunks under the
 * working directory when the output is outside it, and two builds must not share them. It is inside
 * the project so those chunks still find the project's node_modules. */
export const shardWorkDir = (projectRoot: string, suffix: string, index: number): string =>
  path.join(projectRoot, '.astro', `shard-${suffix}-${index}`);

/**
 * Starts shards 1..count-1 of a build whose primary output is `tempDir` (named `<out>.building-<suffix>`).
 * They get the validated registry as a V8-serialised file rather than loading and validating the data
 * again (a fraction of the time, and the very same model).
 */
export function startShardProcesses(options: {
  projectRoot: string;
  dataDir: string;
  registry: Registry;
  tempDir: string;
  suffix: string;
  count: number;
}): ShardProcess[] {
  const processes: ShardProcess[] = [];
  let registryFile: string | undefined;
  for (let index = 1; index < options.count; index++) {
    const shard: Shard = { index, count: options.count };
    const outDir = `${options.tempDir}-shard-${index}`;
    const workDir = shardWorkDir(options.projectRoot, options.suffix, index);
    mkdirSync(workDir, { recursive: true });
    if (registryFile === undefined) {
      registryFile = path.join(workDir, 'registry.v8');
      writeFileSync(registryFile, serialize(options.registry));
    }
    const child = spawn(process.execPath, [RENDER_SHARD, options.projectRoot, outDir, registryFile], {
      cwd: workDir,
      env: { ...process.env, REGISTRY_DATA: options.dataDir, [SHARD_ENV]: formatShard(shard), NODE_ENV: 'production' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-STDERR_TAIL)));
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    const done = new Promise<void>((resolve, reject) => {
      child.once('error', (error) => reject(new Error(`shard ${formatShard(shard)} could not start: ${error.message}`)));
      void exited.then((code) =>
        code === 0 ? resolve() : reject(new Error(`shard ${formatShard(shard)} failed (exit ${code}): ${stderr.trim() || 'no message'}`)),
      );
    });
    done.catch(() => {}); // looked at by the caller; never an unhandled rejection while the primary builds
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    };
    processes.push({ shard, outDir, workDir, done, stop });
  }
  return processes;
}

/**
 * Moves a finished shard's server pages (`servers/<namespace>/<name>/`, all it renders besides
 * assets) into the primary output, and any built asset the primary lacks (both builds bundle the same
 * sources, so normally there is none). Returns how many pages it moved.
 */
export function mergeShardOutput(shard: ShardProcess, primaryOut: string): number {
  let moved = 0;
  const servers = path.join(shard.outDir, 'servers');
  for (const namespace of readdirSync(servers)) {
    mkdirSync(path.join(primaryOut, 'servers', namespace), { recursive: true });
    for (const name of readdirSync(path.join(servers, namespace))) {
      renameSync(path.join(servers, namespace, name), path.join(primaryOut, 'servers', namespace, name));
      moved++;
    }
  }
  const assets = path.join(shard.outDir, '_astro');
  for (const name of existsSync(assets) ? readdirSync(assets) : []) {
    const target = path.join(primaryOut, '_astro', name);
    if (!existsSync(target)) renameSync(path.join(assets, name), target);
  }
  return moved;
}

/** Server pages missing from a merged output: a shard that rendered less than its share is a failed build. */
export function missingServerPages(registry: Registry, outDir: string): string[] {
  return registry.servers
    .map((record) => path.join('servers', record.namespace, record.shortName, 'index.html'))
    .filter((page) => !existsSync(path.join(outDir, page)));
}
