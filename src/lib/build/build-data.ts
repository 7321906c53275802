/**
 * The data side of a build, in one worker thread: it validates the data folder while Astro starts and
 * bundles on the main thread (instead of before it), hands the registry to the pages, and later
 * writes the static API from its own copy while the pages render on the main thread.
 *
 * `buildSite` starts one per build and registers it, so the API integration finds it by data folder
 * (`buildDataFor`); a plain `astro build` gets one started by the integration. Running workers are
 * remembered process-wide, so a failed build can stop them before it deletes its half-built folder.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WriteSummary } from '../api/emit.ts';
import type { Problem } from '../problems.ts';
import type { Registry } from '../registry/model.ts';

export interface DataWorkerInput {
  dataDir: string;
}

export interface WriteApiRequest {
  outDir: string;
  siteUrl: string;
}

export interface Validated {
  /** Every problem of the data folder, warnings included. */
  problems: Problem[];
  counts: { servers: number; versions: number };
  /** Present only when no problem is an error: refused data is never published. */
  registry?: Registry;
}

export type DataWorkerMessage =
  | ({ type: 'validated' } & Validated)
  | ({ type: 'written' } & WriteSummary)
  | { type: 'write-failed'; message: string };

export interface BuildData {
  /** The data folder's validation; rejects only if the worker itself fails. */
  readonly validated: Promise<Validated>;
  /**
   * Writes the API under `outDir` once the data has validated. Resolves with what was written, or
   * with undefined when the data was refused (there is nothing to publish, and the build that asked
   * is being thrown away).
   */
  writeApi(request: WriteApiRequest): Promise<WriteSummary | undefined>;
  /** What `writeApi` wrote, once it has finished. */
  apiWritten(): WriteSummary | undefined;
}

const STATE_KEY = Symbol.for('mcp-index.build-data');
interface State {
  provided: Map<string, BuildData>;
  running: Set<Worker>;
}

/** Process-wide, because Vite bundles the integration into a different module instance from buildSite's. */
function state(): State {
  const holder = globalThis as { [STATE_KEY]?: State };
  return (holder[STATE_KEY] ??= { provided: new Map(), running: new Set() });
}

/** Starts validating `dataDir` in a new worker thread. */
export function startBuildData(dataDir: string): BuildData {
  const worker = new Worker(new URL('./data.worker.ts', import.meta.url), {
    workerData: { dataDir } satisfies DataWorkerInput,
  });
  state().running.add(worker);
  const validated = Promise.withResolvers<Validated>();
  // One write per build: the worker serves one request, then exits.
  let writing: PromiseWithResolvers<WriteSummary> | undefined;
  let written: WriteSummary | undefined;
  // A refusal or a crash is reported through `validated` and `writeApi`, whichever the caller awaits.
  validated.promise.catch(() => {});

  worker.on('message', (message: DataWorkerMessage) => {
    if (message.type === 'validated') {
      const { problems, counts, registry } = message;
      validated.resolve(registry === undefined ? { problems, counts } : { problems, counts, registry });
    } else if (message.type === 'written') {
      written = { files: message.files, bytes: message.bytes };
      writing?.resolve(written);
    } else {
      writing?.reject(new Error(message.message));
    }
  });
  const fail = (error: Error): void => {
    state().running.delete(worker);
    validated.reject(error);
    writing?.reject(error);
  };
  worker.once('error', fail);
  // Settling an already settled promise does nothing, so this only reports a worker that stopped early.
  worker.once('exit', (code) =>
    fail(new Error(`the build's data worker stopped before it finished (exit code ${code})`)),
  );

  return {
    validated: validated.promise,
    async writeApi(request) {
      const { registry } = await validated.promise;
      if (registry === undefined) return undefined;
      writing = Promise.withResolvers<WriteSummary>();
      worker.postMessage(request satisfies WriteApiRequest);
      return writing.promise;
    },
    apiWritten: () => written,
  };
}

/** Registers `data` as the one the API integration uses for `dataDir`. */
export function provideBuildData(dataDir: string, data: BuildData): void {
  state().provided.set(path.resolve(dataDir), data);
}

/** The build data registered for `dataDir`, or a new one (a plain `astro build`), registered for later calls. */
export function buildDataFor(dataDir: string): BuildData {
  const key = path.resolve(dataDir);
  let data = state().provided.get(key);
  if (!data) state().provided.set(key, (data = startBuildData(key)));
  return data;
}

/** Stops every data worker still running and forgets every registration (the build is over). */
export async function stopBuildData(): Promise<void> {
  const { provided, running } = state();
  const workers = [...running];
  running.clear();
  provided.clear();
  await Promise.all(workers.map((worker) => worker.terminate()));
}
