/**
 * Writes probe results into a data folder: a server's probe.json only when its bytes change (so a
 * quiet night leaves git, the deploy diff and cached pages alone), each write atomic (temp + rename),
 * and the run summary with keys in schema order.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROBE_RUN_FILE, probeFile } from '../registry/layout.ts';
import type { ProbeRun } from '../registry/probe-facts.ts';
import { ProbeRunSchema } from '../registry/probe-facts.ts';
import { serializeProbeFile } from './record.ts';
import type { ServerProbeResult } from './run.ts';

export type WriteOutcome = 'written' | 'unchanged' | 'removed';

export function writeProbeResult(root: string, result: ServerProbeResult): WriteOutcome {
  const file = path.join(root, ...probeFile(result.name).split('/'));
  if (!result.file) {
    if (result.keep || !existsSync(file)) return 'unchanged';
    rmSync(file);
    return 'removed';
  }
  return writeIfChanged(file, serializeProbeFile(result.file));
}

export function writeRunSummary(file: string, summary: ProbeRun): WriteOutcome {
  return writeIfChanged(file, serializeRunSummary(summary));
}

export function serializeRunSummary(summary: ProbeRun): string {
  const ordered: Record<string, unknown> = {};
  for (const key of Object.keys(ProbeRunSchema.shape)) ordered[key] = summary[key as keyof ProbeRun];
  const since = summary.probedSince;
  ordered.probedSince = Object.fromEntries(
    Object.keys(since)
      .sort()
      .map((name) => [name, since[name]]),
  );
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

export const runSummaryPath = (root: string) => path.join(root, PROBE_RUN_FILE);

function writeIfChanged(file: string, text: string): WriteOutcome {
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return 'unchanged';
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
  return 'written';
}
