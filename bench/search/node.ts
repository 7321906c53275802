/**
 * Our search engine in Node, fed the published index: index size per server, time to decode and
 * build the engine, and per-keystroke query time over the query mix typed one character at a time.
 */
import { gzipSync } from 'node:zlib';
import { SearchEngine } from '../../src/lib/search/engine.ts';
import type { SearchIndexFile } from '../../src/lib/search/index-file.ts';
import { decodeSearchIndex } from '../../src/lib/search/index-file.ts';
import { EMPTY_STATE } from '../../src/lib/search/types.ts';
import { keystrokes } from '../query-mix.ts';
import { percentile } from '../stats.ts';

/** Results the island asks for per keystroke (one page). */
export const PAGE_SIZE = 20;

export interface IndexSizeFigures {
  servers: number;
  rawBytes: number;
  gzipBytes: number;
  rawBytesPerServer: number;
  gzipBytesPerServer: number;
}

export interface NodeSearchFigures extends IndexSizeFigures {
  /** JSON.parse + decode + engine build: what the page does once (in slices) before the first answer. */
  setupMs: number;
  keystrokes: number;
  keystrokeP50Ms: number;
  keystrokeP95Ms: number;
  keystrokeMaxMs: number;
  /**
   * The same keystrokes in CPU time of the measuring thread: what a query costs when the machine is
   * not shared (wall time on a loaded machine also counts time spent waiting for a core).
   */
  keystrokeCpuP50Ms: number;
  keystrokeCpuP95Ms: number;
  setupCpuMs: number;
}

export function indexSize(json: string): IndexSizeFigures {
  const servers = (JSON.parse(json) as SearchIndexFile).name.length;
  const rawBytes = Buffer.byteLength(json);
  const gzipBytes = gzipSync(json).length;
  return {
    servers,
    rawBytes,
    gzipBytes,
    rawBytesPerServer: rawBytes / servers,
    gzipBytesPerServer: gzipBytes / servers,
  };
}

const threadCpuMs = (): number => {
  const usage = process.threadCpuUsage();
  return (usage.user + usage.system) / 1000;
};

export function measureSearchInNode(json: string, queries?: readonly string[]): NodeSearchFigures {
  const started = performance.now();
  const startedCpu = threadCpuMs();
  const engine = new SearchEngine(decodeSearchIndex(JSON.parse(json) as SearchIndexFile));
  const setupMs = performance.now() - started;
  const setupCpuMs = threadCpuMs() - startedCpu;
  const samples: number[] = [];
  const cpuSamples: number[] = [];
  for (const q of keystrokes(queries)) {
    const start = performance.now();
    const startCpu = threadCpuMs();
    engine.search({ ...EMPTY_STATE, q }, PAGE_SIZE);
    cpuSamples.push(threadCpuMs() - startCpu);
    samples.push(performance.now() - start);
  }
  return {
    ...indexSize(json),
    setupMs,
    keystrokes: samples.length,
    keystrokeP50Ms: percentile(samples, 50),
    keystrokeP95Ms: percentile(samples, 95),
    keystrokeMaxMs: Math.max(...samples),
    keystrokeCpuP50Ms: percentile(cpuSamples, 50),
    keystrokeCpuP95Ms: percentile(cpuSamples, 95),
    setupCpuMs,
  };
}
