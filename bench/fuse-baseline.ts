/**
 * The naive search baseline: Fuse.js with default options over every server's name, title and
 * description, searched once per keystroke of the query mix, in Node and in Chromium.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Fuse from 'fuse.js';
import type { Browser } from 'playwright-core';
import type { ServerJson } from '../src/lib/schema/server.ts';
import { keystrokes } from './query-mix.ts';
import { percentile } from './stats.ts';

export interface SearchRecord {
  name: string;
  title: string;
  description: string;
}

export interface LatencySummary {
  /** Time to build the index (or load it), ms. */
  setupMs: number;
  keystrokes: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

const KEYS = ['name', 'title', 'description'];

export function searchRecords(manifests: Iterable<ServerJson>): SearchRecord[] {
  return [...manifests].map((server) => ({
    name: server.name,
    title: server.title ?? '',
    description: server.description,
  }));
}

export function naiveFuseInNode(records: SearchRecord[]): LatencySummary {
  const started = performance.now();
  const fuse = new Fuse(records, { keys: KEYS });
  const setupMs = performance.now() - started;
  const samples: number[] = [];
  for (const query of keystrokes()) {
    const start = performance.now();
    fuse.search(query);
    samples.push(performance.now() - start);
  }
  return latency(setupMs, samples);
}

/** The same in a blank Chromium page: Fuse's own ESM build, records handed over before timing starts. */
export async function naiveFuseInChromium(browser: Browser, records: SearchRecord[]): Promise<LatencySummary> {
  const fuseSource = readFileSync(
    createRequire(import.meta.url)
      .resolve('fuse.js')
      .replace(/fuse\.c?js$/, 'fuse.min.mjs'),
    'utf8',
  );
  const page = await browser.newPage();
  try {
    await page.route('http://bench.invalid/**', (route) =>
      route.request().url().endsWith('/fuse.mjs')
        ? route.fulfill({ contentType: 'text/javascript', body: fuseSource })
        : route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>fuse</title>' }),
    );
    await page.goto('http://bench.invalid/');
    const result = await page.evaluate(
      async ({ records, keys, queries }) => {
        const { default: FuseInPage } = await import('http://bench.invalid/fuse.mjs' as string);
        const started = performance.now();
        const fuse = new FuseInPage(records, { keys });
        const setupMs = performance.now() - started;
        const samples: number[] = [];
        for (const query of queries) {
          const start = performance.now();
          fuse.search(query);
          samples.push(performance.now() - start);
        }
        return { setupMs, samples };
      },
      { records, keys: KEYS, queries: keystrokes() },
    );
    return latency(result.setupMs, result.samples);
  } finally {
    await page.close();
  }
}

function latency(setupMs: number, samples: number[]): LatencySummary {
  return {
    setupMs,
    keystrokes: samples.length,
    p50Ms: percentile(samples, 50),
    p95Ms: percentile(samples, 95),
    maxMs: Math.max(...samples),
  };
}
