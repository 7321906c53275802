/**
 * Smoke test of `npm run bench`: one tiny size, one repetition, no browser, with the real build and
 * the real baseline. No timing assertions (performance is judged by the bench itself, not by tests);
 * it checks that every figure of the report is there and that the files are written.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { markdownReport, type BenchReport } from '../../../bench/report.ts';
import { runBench, writeResults } from '../../../bench/run.ts';

const temp = mkdtempSync(path.join(os.tmpdir(), 'bench-smoke-'));
const tmpdir = path.join(temp, 'tmp');
mkdirSync(tmpdir);
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const number = expect.any(Number);
const summary = { median: number, min: number, max: number, runs: 1 };
const byteSize = { files: number, rawBytes: number, gzipBytes: number };
const latency = { setupMs: number, keystrokes: number, p50Ms: number, p95Ms: number, maxMs: number };
const buildFigures = { ms: summary, peakTreeRssBytes: summary, peakProcessRssBytes: summary, outputFiles: number };

describe('runBench', () => {
  let report: BenchReport;
  const lines: string[] = [];
  const partials: BenchReport[] = [];

  it('runs one small size end to end and reports every figure', { timeout: 900_000 }, async () => {
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = tmpdir; // os.tmpdir() honours it: the run's temp folder lands where we can look
    try {
      report = await runBench({
        sizes: [30],
        searchSizes: [30],
        reps: [1],
        browser: false,
        quick: true,
        probeSizes: [40],
        // The relevance set takes minutes (Fuse.js at 12k and 25k); its harness has tests of its own.
        relevance: false,
        log: (line) => lines.push(line),
        checkpoint: (partial) => partials.push(partial),
      });
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
    }

    expect(report).toMatchObject({
      schema: 1,
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
      machine: {
        cpus: number,
        cpuModel: expect.any(String),
        memoryGiB: number,
        node: process.versions.node,
        loadAverageAtStart: expect.any(Array),
        loadAverageAtEnd: expect.any(Array),
      },
      options: { sizes: [30], searchSizes: [30], reps: [1], browser: false, quick: true },
    });
    expect(report.sizes).toHaveLength(1);
    const [size] = report.sizes;
    expect(size).toMatchObject({
      servers: 30,
      versions: number,
      dataFiles: number,
      dataBytes: number,
      generateMs: number,
      validation: { ms: summary, errors: 0, warnings: number },
      build: buildFigures,
      baseline: buildFigures,
      buildToBaseline: number,
      output: { totalFiles: number, totalBytes: number, json: byteSize, searchIndex: byteSize },
      homePage: { ...byteSize, assets: expect.arrayContaining(['index.html']) },
    });
    expect(size.versions).toBeGreaterThanOrEqual(30);
    expect(size.build.ms.median).toBeGreaterThan(0);
    expect(size.build.peakTreeRssBytes.median).toBeGreaterThan(0);
    expect(size.baseline.outputFiles).toBeGreaterThanOrEqual(60);
    expect(size.output.json.files).toBeGreaterThan(30);

    expect(report.search).toEqual([
      {
        servers: 30,
        node: {
          servers: 30,
          rawBytes: number,
          gzipBytes: number,
          rawBytesPerServer: number,
          gzipBytesPerServer: number,
          setupMs: number,
          setupCpuMs: number,
          keystrokes: number,
          keystrokeP50Ms: number,
          keystrokeP95Ms: number,
          keystrokeMaxMs: number,
          keystrokeCpuP50Ms: number,
          keystrokeCpuP95Ms: number,
        },
        fuseNode: latency,
        p95VsFuseNode: number,
        chromiumSkipped: '--skip-browser',
        fuseChromiumSkipped: '--skip-browser',
      },
    ]);

    const ids = report.targets.map((target) => target.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'build-vs-bare-astro',
        'build-peak-rss',
        'home-page-weight',
        'index-bytes-per-server',
        'build-linear',
        'validation-linear',
        'validation-25k',
        'search-p95-25k',
        'search-p95-100k',
      ]),
    );
    for (const target of report.targets) expect(['PASS', 'MISS', 'N/A']).toContain(target.status);
    expect(lines.some((line) => line.includes('30 servers: build 1/1'))).toBe(true);
    // After the size was measured, a checkpoint handed over everything measured so far.
    expect(partials).toHaveLength(2);
    expect(partials[0].sizes).toEqual(report.sizes);
    // The probe ran the library against loopback servers with the realistic mix of outcomes.
    expect(report.probe).toHaveLength(1);
    const probe = report.probe![0]!;
    expect(probe.servers).toBe(40);
    expect(probe.outcomes).toMatchObject({ ok: 24, 'auth-required': 10, 'not-mcp': 5, timeout: 1 });
    expect(probe.serversPerSecond).toBeGreaterThan(0);
    expect(ids).toContain('probe-full-run');
  });

  it('writes the JSON report and a Markdown table next to it', () => {
    const written = writeResults(report, path.join(temp, 'results'));
    expect(JSON.parse(readFileSync(written.json, 'utf8'))).toEqual(report);
    const markdown = readFileSync(written.markdown, 'utf8');
    expect(markdown).toBe(markdownReport(report));
    for (const label of [
      'full build',
      'bare Astro baseline',
      'build / baseline',
      'search index raw / gzip',
      'home page gzip',
      'naive Fuse, Node',
    ]) {
      expect(markdown).toContain(label);
    }
    expect(existsSync(written.markdown)).toBe(true);
  });

  it('removed its temporary folder', () => {
    expect(readdirSync(tmpdir).filter((name) => name.startsWith('mcp-bench-'))).toEqual([]);
  });
});
