/**
 * Writes the static API in a worker thread, so its tens of thousands of files are written on the
 * second core while Astro renders pages on the first, instead of after them. The registry is
 * copied to the worker once (structured clone, well under a second at 25k servers).
 *
 * Running writers are remembered process-wide, so a build that fails can stop its writer before it
 * deletes the half-built folder (otherwise the writer could recreate folders in it afterwards).
 */
import { Worker } from 'node:worker_threads';
import type { ApiWriterInput, ApiWriterReport } from './api-writer.worker.ts';
import type { WriteSummary } from './emit.ts';

const RUNNING_KEY = Symbol.for('mcp-index.api-writers');

function running(): Set<Worker> {
  const holder = globalThis as { [RUNNING_KEY]?: Set<Worker> };
  return (holder[RUNNING_KEY] ??= new Set());
}

/** Starts writing every API file of `input.registry` under `input.outDir`; resolves with what was written. */
export function writeApiInBackground(input: ApiWriterInput): Promise<WriteSummary> {
  const worker = new Worker(new URL('./api-writer.worker.ts', import.meta.url), { workerData: input });
  running().add(worker);
  return new Promise<WriteSummary>((resolve, reject) => {
    let report: ApiWriterReport | undefined;
    worker.once('message', (message: ApiWriterReport) => (report = message));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      running().delete(worker);
      if (report?.ok) resolve({ files: report.files, bytes: report.bytes });
      else reject(new Error(report ? report.message : `the API writer stopped before it finished (exit code ${code})`));
    });
  });
}

/** Stops every API writer still running (a failed build is about to remove their output). */
export async function stopApiWriters(): Promise<void> {
  const workers = [...running()];
  running().clear();
  await Promise.all(workers.map((worker) => worker.terminate()));
}
