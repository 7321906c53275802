import { describe, expect, it } from 'vitest';
import type { BenchReport, SizeResult } from '../../../bench/report.ts';
import { evaluateTargets } from '../../../bench/targets.ts';

const once = (value: number) => ({ median: value, min: value, max: value, runs: 1 });
const bytes = (gzipBytes: number) => ({ files: 1, rawBytes: gzipBytes * 4, gzipBytes });

function size(servers: number, buildMs: number, baselineMs: number, validationMs: number): SizeResult {
  return {
    servers,
    versions: servers * 3,
    dataFiles: servers * 4,
    dataBytes: servers * 4000,
    generateMs: 1,
    validation: { ms: once(validationMs), errors: 0, warnings: 0 },
    build: {
      ms: once(buildMs),
      peakTreeRssBytes: once(1.5 * 1024 ** 3),
      peakProcessRssBytes: once(1024 ** 3),
      outputFiles: servers * 8,
    },
    baseline: {
      ms: once(baselineMs),
      peakTreeRssBytes: once(1024 ** 3),
      peakProcessRssBytes: once(1024 ** 3),
      outputFiles: servers * 2,
    },
    buildToBaseline: buildMs / baselineMs,
    output: { totalFiles: servers * 8, totalBytes: 1, json: bytes(1000), searchIndex: bytes(servers * 40) },
    homePage: { ...bytes(120_000), assets: ['index.html'] },
  };
}

function report(sizes: SizeResult[], p95At25k?: number): BenchReport {
  return {
    schema: 1,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:00.000Z',
    machine: {
      cpus: 2,
      cpuModel: 'test',
      memoryGiB: 24,
      platform: 'Linux',
      node: '24',
      loadAverageAtStart: [0],
      loadAverageAtEnd: [0],
    },
    options: { sizes: sizes.map((s) => s.servers), searchSizes: [], reps: [1], browser: true, quick: false },
    sizes,
    search:
      p95At25k === undefined
        ? []
        : [
            {
              servers: 25_000,
              chromium: {
                servers: 25_000,
                keystrokes: 10,
                keystrokeP50Ms: 1,
                keystrokeP95Ms: p95At25k,
                keystrokeMaxMs: p95At25k,
                firstResultsInteractiveMs: 100,
              },
              node: {
                servers: 25_000,
                rawBytes: 4,
                gzipBytes: 1,
                rawBytesPerServer: 1,
                gzipBytesPerServer: 1,
                setupMs: 1,
                setupCpuMs: 1,
                keystrokes: 10,
                keystrokeP50Ms: 1,
                keystrokeP95Ms: 1,
                keystrokeMaxMs: 1,
                keystrokeCpuP50Ms: 1,
                keystrokeCpuP95Ms: 1,
              },
              fuseNode: { setupMs: 1, keystrokes: 10, p50Ms: 1, p95Ms: 1, maxMs: 1 },
              p95VsFuseNode: 1,
            },
          ],
    targets: [],
  };
}

const find = (results: ReturnType<typeof evaluateTargets>, id: string, servers?: number) =>
  results.find((result) => result.id === id && (servers === undefined || result.servers === servers))!;

describe('evaluateTargets', () => {
  it('passes and misses each target by its limit', () => {
    const results = evaluateTargets(
      report([size(10_000, 40_000, 36_000, 3_000), size(25_000, 110_000, 80_000, 12_000)], 9),
    );
    expect(find(results, 'build-vs-bare-astro', 10_000).status).toBe('PASS');
    expect(find(results, 'build-vs-bare-astro', 25_000)).toMatchObject({ status: 'MISS', value: 110_000 / 80_000 });
    expect(find(results, 'build-peak-rss', 25_000)).toMatchObject({ status: 'PASS', value: 1.5 });
    expect(find(results, 'home-page-weight', 25_000)).toMatchObject({ status: 'MISS', value: 120 });
    expect(find(results, 'index-bytes-per-server', 25_000)).toMatchObject({ status: 'PASS', value: 40 });
    expect(find(results, 'validation-25k')).toMatchObject({ status: 'MISS', value: 12 });
    expect(find(results, 'search-p95-25k')).toMatchObject({ status: 'PASS', value: 9 });
    expect(find(results, 'search-p95-100k')).toMatchObject({ status: 'N/A' });
  });

  it('calls time linear when it grows no faster than N between the two largest sizes', () => {
    const linear = evaluateTargets(
      report([size(1_000, 10_000, 1, 500), size(10_000, 60_000, 1, 4_000), size(25_000, 150_000, 1, 10_000)]),
    );
    expect(find(linear, 'build-linear')).toMatchObject({ status: 'PASS', value: 1 });
    const quadratic = evaluateTargets(report([size(10_000, 10_000, 1, 1_000), size(20_000, 40_000, 1, 4_000)]));
    expect(find(quadratic, 'build-linear')).toMatchObject({ status: 'MISS', value: 2 });
    expect(find(quadratic, 'validation-linear')).toMatchObject({ status: 'MISS', value: 2 });
    expect(find(evaluateTargets(report([size(500, 1, 1, 1)])), 'build-linear').status).toBe('N/A');
  });
});
