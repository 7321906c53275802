/**
 * The benchmark run behind `npm run bench`: for each size, a synthetic registry folder, then repeated
 * runs of validation (loadRegistry), the real build and the bare-Astro baseline, the output sizes,
 * and search latency (ours in Chromium and naive Fuse.js) — all in one run, on one machine.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { CHROMIUM_PATH, launchChromium } from './chromium.ts';
import { naiveFuseInChromium, naiveFuseInNode, searchRecords } from './fuse-baseline.ts';
import type { LoadMeasurement } from './measure-load.ts';
import { killRunning, measureProcess, type ProcessMeasurement } from './measure-process.ts';
import { measureHomePage, measureOutput } from './output-size.ts';
import { type BenchReport, type BuildFigures, markdownReport, type SearchResult, type SizeResult } from './report.ts';
import type { RelevanceFigures } from './search/relevance/measure.ts';
import { summarise } from './stats.ts';
import { editOneDescription, latestManifests, loadProfile, writeSyntheticRegistry } from './synthetic-folder.ts';
import { evaluateTargets } from './targets.ts';
import type { ProbeBenchFigures } from './probe/measure.ts';
import { measureProbe } from './probe/measure.ts';
import { pageCacheDir } from '../src/lib/build/page-cache.ts';
import { SEARCH_INDEX_PATH } from '../src/lib/search/types.ts';
import { type KeystrokeFloorFigures, measureKeystrokeFloor } from './search/chromium.ts';
import { measureSearchInNode } from './search/node.ts';
import { syntheticSearchIndex } from './search/synthetic-index.ts';
import { corpusIndexJson, measureRelevance, SCALED_SERVERS } from './search/relevance/measure.ts';
import { withPreviewServer } from './serve-site.ts';

export const ROOT = path.resolve(import.meta.dirname, '..');
const BASELINE_ROOT = path.join(ROOT, 'bench', 'baseline');
const ASTRO_CLI = path.join(ROOT, 'node_modules', 'astro', 'bin', 'astro.mjs');
/** `npm run build` exactly: the Node options and script of package.json's `build` command. */
const BUILD_COMMAND = buildCommand();
const MEASURE_LOAD = path.join(ROOT, 'bench', 'measure-load.ts');
const MEASURE_CHROMIUM_SEARCH = path.join(ROOT, 'bench', 'search', 'measure-chromium.ts');
/** No single build may take longer than this; a hung build is killed, never left on the shared cores. */
const BUILD_TIMEOUT_MS = 45 * 60_000;
/** Naive Fuse in Chromium is skipped above this size: it costs minutes and the Node figure tells the same story. */
const FUSE_CHROMIUM_MAX_SERVERS = 25_000;

export interface BenchOptions {
  /** Sizes (servers) that are generated, validated, built and measured. */
  sizes: number[];
  /** Sizes at which search is measured; those not in `sizes` are measured on the index alone. */
  searchSizes: number[];
  /** Repetitions for each size, in the order of `sizes`. */
  reps: number[];
  browser: boolean;
  quick: boolean;
  log: (line: string) => void;
  /** Servers to probe against loopback servers (probe throughput); empty to skip. */
  probeSizes: number[];
  /** Called with the report so far after each size, so a long run that is stopped keeps what it measured. */
  checkpoint?: (partial: BenchReport) => void;
  /**
   * The relevance set (bench/search/relevance): ours, MiniSearch and Fuse.js at 12k and 25k (Fuse.js not
   * at 25k with `quick`: minutes), through the island of the last site built, and our keystrokes on the
   * 25k real-text index. `sizes` may be empty for a run of this part alone (a small fixture site is
   * built for the island).
   */
  relevance: boolean;
}

export const FULL_SIZES = [1_000, 10_000, 25_000];
export const FULL_SEARCH_SIZES = [...FULL_SIZES, 100_000];
export const QUICK_SIZES = [500];
export const FULL_PROBE_SIZES = [1_000, 25_000];
export const QUICK_PROBE_SIZES = [200];

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const loadAverageAtStart = os.loadavg();
  const started = performance.now();
  const log = (line: string): void =>
    options.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(5)}s] ${line}`);
  const temp = mkdtempSync(path.join(os.tmpdir(), 'mcp-bench-'));
  const removeTemp = (): void => rmSync(temp, { recursive: true, force: true });
  process.once('SIGINT', () => {
    killRunning();
    removeTemp();
    process.exit(130);
  });
  let browser: Browser | undefined;
  try {
    let keystrokeFloor: KeystrokeFloorFigures | undefined;
    if (options.browser) {
      browser = await launchChromium();
      keystrokeFloor = await measureKeystrokeFloor(browser);
      log(
        `keystroke floor (bare input, to the next frame): p50 ${keystrokeFloor.keystrokeP50Ms.toFixed(1)} ms, p95 ${keystrokeFloor.keystrokeP95Ms.toFixed(1)} ms`,
      );
    }
    const profile = loadProfile();
    const sizes: SizeResult[] = [];
    const search: SearchResult[] = [];
    const probe: ProbeBenchFigures[] = [];
    let relevance: RelevanceFigures | undefined;
    let realTextSearch: BenchReport['realTextSearch'];
    const report = (): BenchReport => {
      const result: BenchReport = {
        schema: 1,
        startedAt,
        finishedAt: new Date().toISOString(),
        machine: {
          cpus: os.cpus().length,
          cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
          memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
          platform: `${os.type()} ${os.release()}`,
          node: process.versions.node,
          ...(browser ? { chromium: browser.version() } : {}),
          loadAverageAtStart,
          loadAverageAtEnd: os.loadavg(),
        },
        options: {
          sizes: options.sizes,
          searchSizes: options.searchSizes,
          reps: options.reps,
          browser: options.browser,
          quick: options.quick,
        },
        sizes,
        search,
        ...(relevance ? { relevance } : {}),
        ...(realTextSearch ? { realTextSearch } : {}),
        ...(keystrokeFloor ? { keystrokeFloor } : {}),
        ...(probe.length ? { probe } : {}),
        targets: [],
      };
      result.targets = evaluateTargets(result);
      return result;
    };
    const checkpoint = (): void => options.checkpoint?.(report());
    // Search-only sizes are measured through the island of the last site built.
    let lastSite: string | undefined;
    for (const [i, servers] of options.sizes.entries()) {
      const dir = path.join(temp, String(servers));
      const reps = options.reps[i] ?? options.reps[0];
      const size = await measureSize(servers, dir, reps, log);
      sizes.push(size);
      lastSite = buildOutOf(dir, reps);
      if (options.searchSizes.includes(servers))
        search.push(await measureSearch(servers, lastSite, 'built', profile, browser, log));
      checkpoint();
    }
    for (const servers of options.searchSizes.filter((n) => !options.sizes.includes(n))) {
      search.push(await measureSearch(servers, lastSite, 'synthetic', profile, browser, log));
      checkpoint();
    }
    for (const servers of options.probeSizes) {
      log(`probe: ${servers} servers against loopback servers`);
      const figures = await measureProbe(servers, log);
      probe.push(figures);
      log(
        `probe: ${servers} servers in ${(figures.wallMs / 1000).toFixed(1)} s (${figures.serversPerSecond.toFixed(1)}/s, CPU ${(figures.cpuMs / 1000).toFixed(1)} s)`,
      );
      checkpoint();
    }
    if (options.relevance) {
      const site = lastSite ?? (browser ? await buildFixtureSite(path.join(temp, 'fixture-site'), log) : undefined);
      relevance = await measureRelevanceOf(site, browser, !options.quick, log);
      checkpoint();
      if (browser && site) {
        realTextSearch = await measureRealTextKeystrokes(site, log);
        checkpoint();
      }
    }
    return report();
  } finally {
    await browser?.close();
    removeTemp();
  }
}

/** The arguments after `node` in package.json's `build` script, e.g. `['--max-semi-space-size=64', '…/scripts/build.ts']`. */
function buildCommand(): string[] {
  const script = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { build: string } })
    .scripts.build;
  const [command, ...args] = script.split(/\s+/);
  if (command !== 'node' || !args.at(-1)?.endsWith('.ts'))
    throw new Error(`package.json's build script is not "node [options] <script>.ts": ${script}`);
  return [...args.slice(0, -1), path.join(ROOT, args.at(-1)!)];
}

const buildOutOf = (dir: string, rep: number): string => path.join(dir, `out-${rep}`);

async function measureSize(
  servers: number,
  dir: string,
  reps: number,
  log: (line: string) => void,
): Promise<SizeResult> {
  const dataDir = path.join(dir, 'data');
  log(`${servers} servers: generating synthetic data`);
  const generateStarted = performance.now();
  const folder = writeSyntheticRegistry(dataDir, servers);
  const generateMs = performance.now() - generateStarted;
  log(
    `${servers} servers: ${folder.versions} versions, ${folder.files} files, ${(folder.bytes / 1024 ** 2).toFixed(1)} MB in ${(generateMs / 1000).toFixed(1)} s`,
  );
  // The data was just written: flush it to disk first, or the first measurements read files while the
  // kernel writes the same ~100 MB back (a registry's data is normally written long before a build).
  spawnSync('sync', { stdio: 'ignore' });

  const validations: LoadMeasurement[] = [];
  for (let rep = 1; rep <= reps; rep++) {
    const measurement = await measureLoad(dataDir);
    validations.push(measurement);
    log(
      `${servers} servers: validation ${rep}/${reps}: ${(measurement.ms / 1000).toFixed(2)} s (${measurement.errors} errors, ${measurement.warnings} warnings)`,
    );
    if (measurement.errors > 0)
      throw new Error(`synthetic data has validation errors: ${measurement.sample.join('; ')}`);
  }

  const builds: ProcessMeasurement[] = [];
  const baselines: ProcessMeasurement[] = [];
  /** `npm run build` on this size's data, with `args` (its output and cache folders). */
  const runBuild = (args: string[]): Promise<ProcessMeasurement> =>
    measureProcess(process.execPath, [...BUILD_COMMAND, ...args], {
      cwd: ROOT,
      env: { ...process.env, REGISTRY_DATA: dataDir },
      timeoutMs: BUILD_TIMEOUT_MS,
    });
  const measureBuild = async (rep: number): Promise<void> => {
    settleDisk(log);
    const build = await runBuild(['--out', buildOutOf(dir, rep)]);
    if (build.exitCode !== 0)
      throw new Error(`npm run build failed at ${servers} servers (exit ${build.exitCode}):\n${build.outputTail}`);
    builds.push(build);
    log(
      `${servers} servers: build ${rep}/${reps}: ${(build.ms / 1000).toFixed(1)} s, peak RSS ${(build.peakTreeRssBytes / 1024 ** 2).toFixed(0)} MB`,
    );
  };
  const measureBaseline = async (rep: number): Promise<void> => {
    settleDisk(log);
    const baseline = await measureProcess(
      process.execPath,
      [ASTRO_CLI, 'build', '--root', BASELINE_ROOT, '--outDir', path.join(dir, `baseline-out-${rep}`)],
      {
        cwd: ROOT,
        env: { ...process.env, REGISTRY_DATA: dataDir, BASELINE_CACHE_DIR: path.join(dir, 'baseline-cache') },
        timeoutMs: BUILD_TIMEOUT_MS,
      },
    );
    if (baseline.exitCode !== 0)
      throw new Error(
        `the bare Astro baseline failed at ${servers} servers (exit ${baseline.exitCode}):\n${baseline.outputTail}`,
      );
    baselines.push(baseline);
    log(
      `${servers} servers: bare Astro baseline ${rep}/${reps}: ${(baseline.ms / 1000).toFixed(1)} s, peak RSS ${(baseline.peakTreeRssBytes / 1024 ** 2).toFixed(0)} MB`,
    );
  };
  // Build and baseline alternate, and take turns going first, so neither always meets the other's
  // after-effects (a colleague's load, caches, the file system's bookkeeping of deleted files). Each
  // run writes a fresh folder and nothing is deleted until the whole run ends: on ext4, creating files
  // within minutes of deleting many is measurably slower, and that would fall on whichever ran next.
  for (let rep = 1; rep <= reps; rep++) {
    if (rep % 2 === 1) {
      await measureBuild(rep);
      await measureBaseline(rep);
    } else {
      await measureBaseline(rep);
      await measureBuild(rep);
    }
  }

  const buildOut = buildOutOf(dir, reps);
  const baselineOut = path.join(dir, `baseline-out-${reps}`);
  // A merged pull request: one server's description changes and the site is built again, with the page
  // cache of the last full build (CI keeps it between deploys), into a new folder so nothing is deleted.
  const changedServer = editOneDescription(dataDir);
  settleDisk(log);
  const rebuild = await runBuild(['--out', path.join(dir, 'rebuild-out'), '--cache', pageCacheDir(buildOut)]);
  if (rebuild.exitCode !== 0)
    throw new Error(`the rebuild failed at ${servers} servers (exit ${rebuild.exitCode}):\n${rebuild.outputTail}`);
  log(`${servers} servers: rebuild after ${changedServer} changed: ${(rebuild.ms / 1000).toFixed(1)} s`);
  const output = measureOutput(buildOut, isSearchIndexFile);
  const homePage = measureHomePage(buildOut);
  const baselineFiles = measureOutput(baselineOut, () => false).totalFiles;
  log(
    `${servers} servers: output ${output.totalFiles} files, JSON ${(output.json.gzipBytes / 1024 ** 2).toFixed(1)} MB gzip, ` +
      `index ${(output.searchIndex.gzipBytes / 1000).toFixed(1)} KB gzip, home page ${(homePage.gzipBytes / 1000).toFixed(1)} KB gzip`,
  );
  const build = buildFigures(builds, output.totalFiles);
  const baseline = buildFigures(baselines, baselineFiles);
  return {
    servers,
    versions: folder.versions,
    dataFiles: folder.files,
    dataBytes: folder.bytes,
    generateMs,
    validation: {
      ms: summarise(validations.map((v) => v.ms)),
      errors: validations[0].errors,
      warnings: validations[0].warnings,
    },
    build,
    baseline,
    buildToBaseline: build.ms.median / baseline.ms.median,
    rebuild: { ms: rebuild.ms, changedServer, toBaseline: rebuild.ms / baseline.ms.median },
    output,
    homePage,
  };
}

/**
 * Waits until what was written before (synthetic data, earlier builds) has reached the disk. A build
 * leaves its files in the kernel's memory as dirty pages (837 MB right after a 10k build), which the
 * kernel writes back over the next half minute, on the same cores the next measurement runs on: each
 * build would pay for the one before it.
 */
function settleDisk(log: (line: string) => void): void {
  const started = performance.now();
  spawnSync('sync');
  const seconds = (performance.now() - started) / 1000;
  if (seconds >= 0.1) log(`waited ${seconds.toFixed(1)} s for earlier writes to reach the disk`);
}

/**
 * Search at one size: ours in Node and in Chromium (through the island of a built site, serving either
 * the site's own index or a synthetic one of this size), and the naive Fuse baseline on the same servers.
 */
async function measureSearch(
  servers: number,
  site: string | undefined,
  index: 'built' | 'synthetic',
  profile: ReturnType<typeof loadProfile>,
  browser: Browser | undefined,
  log: (line: string) => void,
): Promise<SearchResult> {
  log(`${servers} servers: search`);
  settleDisk(log);
  const indexJson =
    index === 'built' && site
      ? readFileSync(path.join(site, ...SEARCH_INDEX_PATH.split('/')), 'utf8')
      : JSON.stringify(syntheticSearchIndex(servers, profile));
  // Ours in Chromium first, from a process and a browser of its own, so the keystrokes share the cores
  // with nothing the bench itself is doing (timed from this process, the p95 at 25k was 26.5-32.5 ms
  // in full runs); withPreviewServer also waits for the server's own start-up work.
  let chromium: SearchResult['chromium'];
  if (browser && site) {
    let indexFile: string | undefined;
    if (index === 'synthetic')
      writeFileSync((indexFile = path.join(os.tmpdir(), `mcp-bench-index-${process.pid}-${servers}.json`)), indexJson);
    try {
      chromium = await measureInChild<NonNullable<SearchResult['chromium']>>(
        MEASURE_CHROMIUM_SEARCH,
        indexFile ? [site, indexFile] : [site],
      );
    } finally {
      if (indexFile) rmSync(indexFile, { force: true });
    }
    log(
      `${servers} servers: our search in Chromium, to results laid out p50 ${chromium.keystrokeP50Ms.toFixed(1)} ms, p95 ${chromium.keystrokeP95Ms.toFixed(1)} ms, ` +
        `to the next frame p95 ${chromium.keystrokeToFrameP95Ms?.toFixed(1)} ms, ` +
        `first results ${chromium.firstResultsInteractiveMs.toFixed(0)} ms`,
    );
  }
  const node = measureSearchInNode(indexJson);
  log(
    `${servers} servers: our search in Node p50 ${node.keystrokeP50Ms.toFixed(2)} ms, p95 ${node.keystrokeP95Ms.toFixed(2)} ms`,
  );
  const records = searchRecords(latestManifests(servers, profile));
  const fuseNode = naiveFuseInNode(records);
  log(
    `${servers} servers: naive Fuse in Node p50 ${fuseNode.p50Ms.toFixed(1)} ms, p95 ${fuseNode.p95Ms.toFixed(1)} ms`,
  );
  const result: SearchResult = {
    servers,
    node,
    fuseNode,
    p95VsFuseNode: node.keystrokeP95Ms / fuseNode.p95Ms,
    ...(chromium ? { chromium } : {}),
  };
  if (browser && !site) result.chromiumSkipped = 'no built site to serve the island from (add a size to --sizes)';
  if (!browser) {
    result.chromiumSkipped = result.fuseChromiumSkipped = '--skip-browser';
    return result;
  }
  if (servers <= FUSE_CHROMIUM_MAX_SERVERS) {
    result.fuseChromium = await naiveFuseInChromium(browser, records);
    log(
      `${servers} servers: naive Fuse in Chromium p50 ${result.fuseChromium.p50Ms.toFixed(1)} ms, p95 ${result.fuseChromium.p95Ms.toFixed(1)} ms`,
    );
  } else {
    result.fuseChromiumSkipped = `skipped above ${FUSE_CHROMIUM_MAX_SERVERS.toLocaleString('en')} servers`;
  }
  if (result.chromium && result.fuseChromium)
    result.p95VsFuse = result.chromium.keystrokeP95Ms / result.fuseChromium.p95Ms;
  return result;
}

/** The relevance set, typed into the island of `site` when a browser is there. */
async function measureRelevanceOf(
  site: string | undefined,
  browser: Browser | undefined,
  fuseAt25k: boolean,
  log: (line: string) => void,
): Promise<RelevanceFigures> {
  log('relevance: the hand-judged set on the official registry of 2026-06');
  const measure = (siteUrl?: string) =>
    measureRelevance({ fuseAt25k, ...(browser ? { browser } : {}), ...(siteUrl ? { siteUrl } : {}), log });
  return site && browser ? withPreviewServer(site, measure) : measure();
}

/**
 * Our keystrokes (the query mix) on the 25k real-text index (the official registry of 2026-06 and
 * synthetic copies of it), from a process of its own, to results and to the first DOM change.
 */
async function measureRealTextKeystrokes(
  site: string,
  log: (line: string) => void,
): Promise<NonNullable<BenchReport['realTextSearch']>> {
  const indexFile = path.join(os.tmpdir(), `mcp-bench-real-index-${process.pid}.json`);
  writeFileSync(indexFile, corpusIndexJson(SCALED_SERVERS));
  try {
    const figures = await measureInChild<NonNullable<SearchResult['chromium']>>(MEASURE_CHROMIUM_SEARCH, [
      site,
      indexFile,
    ]);
    log(
      `${SCALED_SERVERS} servers (real text): our search in Chromium, keydown to first DOM change p50 ${figures.keystrokeToFirstChangeP50Ms?.toFixed(1)} ms, p95 ${figures.keystrokeToFirstChangeP95Ms?.toFixed(1)} ms; to results laid out p95 ${figures.keystrokeP95Ms.toFixed(1)} ms`,
    );
    return figures;
  } finally {
    rmSync(indexFile, { force: true });
  }
}

/** `npm run build` of the repository's small test registry, for a run without sizes that needs an island. */
async function buildFixtureSite(out: string, log: (line: string) => void): Promise<string> {
  log('building the test fixture site to serve the island from');
  const build = await measureProcess(process.execPath, [...BUILD_COMMAND, '--out', out], {
    cwd: ROOT,
    env: { ...process.env, REGISTRY_DATA: path.join(ROOT, 'test', 'fixtures', 'registry') },
    timeoutMs: BUILD_TIMEOUT_MS,
  });
  if (build.exitCode !== 0)
    throw new Error(`building the fixture site failed (exit ${build.exitCode}):\n${build.outputTail}`);
  return out;
}

function buildFigures(runs: ProcessMeasurement[], outputFiles: number): BuildFigures {
  return {
    ms: summarise(runs.map((run) => run.ms)),
    peakTreeRssBytes: summarise(runs.map((run) => run.peakTreeRssBytes)),
    peakProcessRssBytes: summarise(runs.map((run) => run.peakProcessRssBytes)),
    outputFiles,
  };
}

function measureLoad(dataDir: string): Promise<LoadMeasurement> {
  return measureInChild<LoadMeasurement>(MEASURE_LOAD, [dataDir]);
}

/** Runs a measuring script in a fresh Node process and returns the JSON of its last line of output. */
function measureInChild<T>(script: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as T);
      else reject(new Error(`${path.relative(ROOT, script)} exited ${code}: ${stderr}`));
    });
  });
}

function isSearchIndexFile(relativePath: string): boolean {
  return `/${relativePath}` === SEARCH_INDEX_PATH;
}

/** Writes `<dir>/<timestamp>.json` and `.md`; returns both paths. */
export function writeResults(report: BenchReport, dir: string): { json: string; markdown: string } {
  mkdirSync(dir, { recursive: true });
  const stamp = report.startedAt.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
  const json = path.join(dir, `${stamp}.json`);
  const markdown = path.join(dir, `${stamp}.md`);
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(markdown, markdownReport(report));
  return { json, markdown };
}

export function chromiumAvailable(): boolean {
  try {
    execFileSync(CHROMIUM_PATH, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
