/**
 * Worker thread that writes the static API (see write-in-background.ts): it receives the validated
 * registry once, as workerData, writes every file and reports what it wrote or why it failed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Registry } from '../registry/model.ts';
import { apiFiles, writeApiFiles } from './emit.ts';

export interface ApiWriterInput {
  registry: Registry;
  siteUrl: string;
  outDir: string;
}

export type ApiWriterReport = { ok: true; files: number; bytes: number } | { ok: false; message: string };

const { registry, siteUrl, outDir } = workerData as ApiWriterInput;
let report: ApiWriterReport;
try {
  report = { ok: true, ...(await writeApiFiles(outDir, apiFiles(registry, siteUrl))) };
} catch (error) {
  report = { ok: false, message: error instanceof Error ? error.message : String(error) };
}
parentPort?.postMessage(report);
