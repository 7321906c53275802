/**
 * Runs a command and measures its wall time and peak memory over its whole process tree (an Astro build
 * forks workers), by polling /proc: the peak of the summed VmRSS of every live descendant, and the
 * largest VmHWM any single process reached (which also catches peaks between two polls).
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessMeasurement {
  ms: number;
  exitCode: number | null;
  /** Peak of the sum of resident memory of the whole tree, sampled every `pollMs`. */
  peakTreeRssBytes: number;
  /** The largest high-water mark of one process of the tree. */
  peakProcessRssBytes: number;
  /** The end of stdout + stderr, to explain a failure. */
  outputTail: string;
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  pollMs?: number;
  /** Killed (the whole group) after this long; a benchmark must never hang the machine. */
  timeoutMs?: number;
}

const TAIL_CHARS = 4000;

/** Process groups of the measured commands still running (each runs detached, in its own group). */
const running = new Set<number>();

/** Kills every measured command still running, with its whole tree: for an interrupted bench. */
export function killRunning(): void {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  running.clear();
}

export function measureProcess(command: string, args: string[], options: RunOptions): Promise<ProcessMeasurement> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    if (child.pid !== undefined) running.add(child.pid);
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-TAIL_CHARS);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let peakTree = 0;
    let peakProcess = 0;
    const sample = (): void => {
      if (child.pid === undefined) return;
      let sum = 0;
      for (const pid of processTree(child.pid)) {
        const status = readStatus(pid);
        if (!status) continue;
        sum += status.rss;
        peakProcess = Math.max(peakProcess, status.hwm);
      }
      peakTree = Math.max(peakTree, sum, peakProcess);
    };
    const poller = setInterval(sample, options.pollMs ?? 100);
    const timer = options.timeoutMs
      ? setTimeout(() => {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        }, options.timeoutMs)
      : undefined;
    child.on('error', (error) => {
      clearInterval(poller);
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode) => {
      if (child.pid !== undefined) running.delete(child.pid);
      clearInterval(poller);
      clearTimeout(timer);
      resolve({
        ms: performance.now() - started,
        exitCode,
        peakTreeRssBytes: peakTree,
        peakProcessRssBytes: peakProcess,
        outputTail: output,
      });
    });
  });
}

/** The pid and all its descendants, through /proc/<pid>/task/<tid>/children. */
function processTree(root: number): number[] {
  const pids: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.pop()!;
    pids.push(pid);
    for (const tid of readList(`/proc/${pid}/task`)) {
      const children = readText(`/proc/${pid}/task/${tid}/children`);
      if (children) for (const child of children.trim().split(/\s+/).filter(Boolean)) queue.push(Number(child));
    }
  }
  return pids;
}

function readStatus(pid: number): { rss: number; hwm: number } | undefined {
  const text = readText(`/proc/${pid}/status`);
  if (!text) return undefined;
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined; // the process ended between listing and reading
  }
}

function readList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
