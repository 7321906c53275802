/**
 * Runs the non-primary shards of a build (see shards.ts) as child processes next to the primary
 * Astro build, and moves their output into the primary's once they are done.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serialize } from 'node:v8';
import { serverDocumentPath } from '../api/ours.ts';
import type { Registry } from '../registry/model.ts';
import { formatShard, SHARD_ENV, type Shard } from './shards.ts';

/** Below this many servers a second Astro process costs more (start-up, bundling) than it saves. */
export const SHARD_MIN_SERVERS = 5000;
const MAX_SHARDS = 4;
/**
 * Cores one build process keeps busy: Astro renders on the main thread while the file system thread
 * pool and the API writer use another. Measured on 2 cores, a second process added ~20% CPU and no
 * speed (25k servers: 75 s against 66.5 s), so shards start at 4 cores.
 */
const CORES_PER_PROCESS = 2;
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
  if (servers < SHARD_MIN_SERVERS) return 1;
  return Math.max(1, Math.min(Math.floor(availableParallelism() / CORES_PER_PROCESS), MAX_SHARDS));
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
 * Moves what a finished shard built into the primary output: its server pages and, from the last
 * shard, the API. Files the primary has too (public/ files, bundled assets: both builds copy and
 * bundle the same sources) stay as the primary wrote them.
 */
export function mergeShardOutput(shard: ShardProcess, primaryOut: string): void {
  moveInto(shard.outDir, primaryOut);
}

function moveInto(from: string, to: string): void {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (!existsSync(target)) renameSync(source, target);
    else if (entry.isDirectory()) moveInto(source, target);
  }
}

/**
 * Pages and API documents missing from a merged output (a shard that built less than its share is a
 * failed build): every server's page and its API document.
 */
export function missingFromMergedOutput(registry: Registry, outDir: string): string[] {
  return registry.servers
    .flatMap((record) => [
      path.join('servers', record.namespace, record.shortName, 'index.html'),
      serverDocumentPath(record.name),
    ])
    .filter((file) => !existsSync(path.join(outDir, file)));
}
