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
  /** JSON.parse + decode + engine build: what the worker does once before the first answer. */
  setupMs: number;
  keystrokes: number;
  keystrokeP50Ms: number;
  keystrokeP95Ms: number;
  keystrokeMaxMs: number;
}

export function indexSize(json: string): IndexSizeFigures {
  const servers = (JSON.parse(json) as SearchIndexFile).name.length;
  const rawBytes = Buffer.byteLength(json);
  const gzipBytes = gzipSync(json).length;
  return { servers, rawBytes, gzipBytes, rawBytesPerServer: rawBytes / servers, gzipBytesPerServer: gzipBytes / servers };
}

export function measureSearchInNode(json: string, queries?: readonly string[]): NodeSearchFigures {
  const started = performance.now();
  const engine = new SearchEngine(decodeSearchIndex(JSON.parse(json) as SearchIndexFile));
  const setupMs = performance.now() - started;
  const samples: number[] = [];
  for (const q of keystrokes(queries)) {
    const start = performance.now();
    engine.search({ ...EMPTY_STATE, q }, PAGE_SIZE);
    samples.push(performance.now() - start);
  }
  return {
    ...indexSize(json),
    setupMs,
    keystrokes: samples.length,
    keystrokeP50Ms: percentile(samples, 50),
    keystrokeP95Ms: percentile(samples, 95),
    keystrokeMaxMs: Math.max(...samples),
  };
}
