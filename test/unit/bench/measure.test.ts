import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { summariseCpuProfile } from '../../../bench/cpu-profile.ts';
import { measureProcess } from '../../../bench/measure-process.ts';
import { measureHomePage, measureOutput } from '../../../bench/output-size.ts';
import { keystrokes } from '../../../bench/query-mix.ts';
import { percentile, summarise } from '../../../bench/stats.ts';

const temp = mkdtempSync(path.join(os.tmpdir(), 'bench-unit-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function write(root: string, file: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
}

describe('stats', () => {
  it('summarises runs as median, min and max', () => {
    expect(summarise([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, runs: 3 });
    expect(summarise([4, 1, 2, 3]).median).toBe(2.5);
  });

  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile([7], 95)).toBe(7);
  });
});

describe('keystrokes', () => {
  it('types every query one character at a time', () => {
    expect(keystrokes(['ab', 'c d'])).toEqual(['a', 'ab', 'c', 'c ', 'c d']);
  });
});

describe('measureHomePage', () => {
  it('counts the HTML and what it loads up front, following static imports but not dynamic ones or fetches', () => {
    const site = path.join(temp, 'site');
    const html = `<!doctype html><link rel="stylesheet" href="/_astro/site.css"><script type="module" src="/_astro/entry.js"></script>
      <astro-island component-url="/_astro/Search.js" renderer-url="/_astro/client.js"></astro-island>
      <link rel="preload" as="fetch" href="/search-index.json">`;
    write(site, 'index.html', html);
    write(site, '_astro/site.css', 'body{margin:0}');
    write(site, '_astro/entry.js', 'import{a}from"./shared.js";import("./later.js");');
    write(site, '_astro/shared.js', 'export const a=1;');
    write(site, '_astro/later.js', 'export const b=2;');
    write(site, '_astro/Search.js', 'import"./shared.js";export default 1;');
    write(site, '_astro/client.js', 'export default 2;');
    write(site, 'search-index.json', '{"big":true}');
    const weight = measureHomePage(site);
    expect(weight.assets.sort()).toEqual([
      '_astro/Search.js',
      '_astro/client.js',
      '_astro/entry.js',
      '_astro/shared.js',
      '_astro/site.css',
      'index.html',
    ]);
    expect(weight.files).toBe(6);
    expect(weight.gzipBytes).toBeGreaterThan(gzipSync(html).length);
  });
});

describe('measureOutput', () => {
  it('sums JSON files and the search index apart, raw and gzip', () => {
    const site = path.join(temp, 'output');
    write(site, 'index.html', '<p>hi</p>');
    write(site, 'api/a.json', JSON.stringify({ a: 'x'.repeat(1000) }));
    write(site, 'api/b.json', '{}');
    write(site, 'search/index.json', JSON.stringify({ words: ['a', 'b'] }));
    const sizes = measureOutput(site, (file) => file === 'search/index.json');
    expect(sizes.totalFiles).toBe(4);
    expect(sizes.json.files).toBe(2);
    expect(sizes.json.rawBytes).toBe(1010);
    expect(sizes.json.gzipBytes).toBeLessThan(sizes.json.rawBytes);
    expect(sizes.searchIndex.files).toBe(1);
  });
});

describe('measureProcess', () => {
  it('measures the peak memory of a whole process tree and reports the exit code', async () => {
    // A parent that spawns a child holding ~150 MB, and itself holds ~50 MB.
    const script = `
      const { spawnSync } = require('node:child_process');
      const mine = Buffer.alloc(50 * 1024 * 1024, 1);
      spawnSync(process.execPath, ['-e', 'const b = Buffer.alloc(150 * 1024 * 1024, 1); setTimeout(() => console.log(b.length), 600)'], { stdio: 'inherit' });
      console.log(mine.length);
      process.exit(3);`;
    const result = await measureProcess(process.execPath, ['-e', script], { cwd: temp, pollMs: 50 });
    expect(result.exitCode).toBe(3);
    expect(result.peakProcessRssBytes).toBeGreaterThan(150 * 1024 ** 2);
    expect(result.peakTreeRssBytes).toBeGreaterThan(200 * 1024 ** 2);
    expect(result.outputTail).toContain(String(150 * 1024 * 1024));
  });
});

describe('summariseCpuProfile', () => {
  it('attributes self and inclusive time to functions', () => {
    const frame = (functionName: string) => ({ functionName, url: '', lineNumber: 0 });
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2] },
        { id: 2, callFrame: frame('outer'), children: [3] },
        { id: 3, callFrame: frame('inner') },
      ],
      startTime: 0,
      endTime: 4000,
      samples: [3, 3, 2, 3],
      timeDeltas: [1000, 1000, 1000, 1000],
    };
    const costs = summariseCpuProfile(profile);
    expect(costs.find((cost) => cost.function === 'inner')).toEqual({ function: 'inner', selfMs: 3, totalMs: 3 });
    expect(costs.find((cost) => cost.function === 'outer')).toEqual({ function: 'outer', selfMs: 1, totalMs: 4 });
  });
});
