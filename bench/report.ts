/** The bench report: its shape (written as JSON) and its Markdown summary. */
import type { LatencySummary } from './fuse-baseline.ts';
import type { ChromiumSearchFigures, KeystrokeFloorFigures } from './search/chromium.ts';
import type { NodeSearchFigures } from './search/node.ts';
import type { RelevanceFigures } from './search/relevance/measure.ts';
import type { OutputSizes, PageWeight } from './output-size.ts';
import type { Summary } from './stats.ts';
import type { TargetResult } from './targets.ts';
import type { ProbeBenchFigures } from './probe/measure.ts';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  platform: string;
  node: string;
  chromium?: string;
  /** 1, 5 and 15 minute load averages: above the core count, other work shared the machine. */
  loadAverageAtStart: number[];
  loadAverageAtEnd: number[];
}

export interface BuildFigures {
  ms: Summary;
  /** Peak of the summed resident memory of the build's whole process tree. */
  peakTreeRssBytes: Summary;
  /** Largest resident high-water mark of one process of the tree. */
  peakProcessRssBytes: Summary;
  outputFiles: number;
}

export interface SizeResult {
  servers: number;
  versions: number;
  dataFiles: number;
  dataBytes: number;
  generateMs: number;
  /** loadRegistry: read, parse, validate every manifest and fact, model. */
  validation: { ms: Summary; errors: number; warnings: number };
  /** `npm run build` (scripts/build.ts): validation, then the Astro build of the site and API. */
  build: BuildFigures;
  /** bench/baseline: a bare Astro build of one HTML page and one JSON file per server. */
  baseline: BuildFigures;
  /** Median build time / median baseline time. */
  buildToBaseline: number;
  /**
   * `npm run build` again after one server's description changed, with the page cache of the last
   * full build (absent from runs before 2026-11-24T11:00Z).
   */
  rebuild?: { ms: number; changedServer: string; toBaseline: number };
  output: OutputSizes;
  homePage: PageWeight;
}

export interface SearchResult {
  servers: number;
  /** Our search in real Chromium (bench/search). */
  chromium?: ChromiumSearchFigures;
  chromiumSkipped?: string;
  /** Our engine in Node on the published index (bench/search): index size, setup, per-keystroke time. */
  node: NodeSearchFigures;
  fuseNode: LatencySummary;
  fuseChromium?: LatencySummary;
  fuseChromiumSkipped?: string;
  /** Our p95 / naive Fuse p95, both in Chromium (lower is better). */
  p95VsFuse?: number;
  /** Our p95 / naive Fuse p95, both in Node. */
  p95VsFuseNode: number;
}

export interface BenchReport {
  schema: 1;
  startedAt: string;
  finishedAt: string;
  machine: MachineInfo;
  options: { sizes: number[]; searchSizes: number[]; reps: number[]; browser: boolean; quick: boolean };
  sizes: SizeResult[];
  search: SearchResult[];
  /** The same keystrokes in a bare input with no script, to the next frame: what a keystroke costs before any page work. */
  keystrokeFloor?: KeystrokeFloorFigures;
  /** `npm run probe`'s throughput against loopback servers with a realistic outcome mix. */
  probe?: ProbeBenchFigures[];
  /** The hand-judged relevance set at 12k and 25k (absent from runs before 2026-12-07 and from runs without it). */
  relevance?: RelevanceFigures;
  /** Our keystrokes on the 25k real-text index (the relevance corpus), in Chromium. */
  realTextSearch?: ChromiumSearchFigures;
  targets: TargetResult[];
}

const seconds = (ms: number): string => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
const spread = (summary: Summary, format: (value: number) => string): string =>
  summary.runs > 1
    ? `${format(summary.median)} (${format(summary.min)}–${format(summary.max)})`
    : format(summary.median);
const megabytes = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(0)} MB`;
const kilobytes = (bytes: number): string => `${(bytes / 1000).toFixed(1)} KB`;
const ms = (value: number | undefined): string =>
  value === undefined ? '–' : `${value.toFixed(value < 10 ? 2 : 1)} ms`;

export function markdownReport(report: BenchReport): string {
  const { machine } = report;
  const lines: string[] = [
    `# Benchmark ${report.startedAt}`,
    '',
    `${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}${machine.chromium ? `, Chromium ${machine.chromium}` : ''}; ` +
      `load average ${machine.loadAverageAtStart.map((l) => l.toFixed(1)).join('/')} at start, ${machine.loadAverageAtEnd.map((l) => l.toFixed(1)).join('/')} at end. ` +
      `Median of ${report.options.reps.join('/')} run(s) per size, (min–max).`,
    '',
  ];
  if (report.sizes.length) {
    const row = (label: string, cell: (size: SizeResult) => string): string =>
      `| ${label} | ${report.sizes.map(cell).join(' | ')} |`;
    lines.push(
      `| | ${report.sizes.map((size) => `${size.servers.toLocaleString('en')} servers`).join(' | ')} |`,
      `|---|${report.sizes.map(() => '---').join('|')}|`,
      row('versions', (size) => size.versions.toLocaleString('en')),
      row('validation (loadRegistry)', (size) => `${spread(size.validation.ms, seconds)} s`),
      row('full build', (size) => `${spread(size.build.ms, seconds)} s`),
      row('bare Astro baseline', (size) => `${spread(size.baseline.ms, seconds)} s`),
      row('build / baseline', (size) => `${size.buildToBaseline.toFixed(2)}×`),
      row('rebuild after one server changed', (size) =>
        size.rebuild
          ? `${seconds(size.rebuild.ms)} s (${size.rebuild.toBaseline.toFixed(2)}× baseline)`
          : 'not measured',
      ),
      row('build peak RSS (tree)', (size) => spread(size.build.peakTreeRssBytes, megabytes)),
      row('baseline peak RSS (tree)', (size) => spread(size.baseline.peakTreeRssBytes, megabytes)),
      row('output files', (size) => size.output.totalFiles.toLocaleString('en')),
      row(
        'JSON raw / gzip',
        (size) => `${megabytes(size.output.json.rawBytes)} / ${megabytes(size.output.json.gzipBytes)}`,
      ),
      row(
        'search index raw / gzip',
        (size) => `${kilobytes(size.output.searchIndex.rawBytes)} / ${kilobytes(size.output.searchIndex.gzipBytes)}`,
      ),
      row('index gzip per server', (size) => `${(size.output.searchIndex.gzipBytes / size.servers).toFixed(1)} B`),
      row('home page gzip (before index)', (size) => kilobytes(size.homePage.gzipBytes)),
      '',
    );
  }
  if (report.search.length) {
    lines.push(
      '| search, per keystroke | ' +
        report.search.map((entry) => `${entry.servers.toLocaleString('en')} servers`).join(' | ') +
        ' |',
      `|---|${report.search.map(() => '---').join('|')}|`,
      `| ours, Chromium p50 / p95, to results laid out | ${report.search.map((e) => (e.chromium ? `${ms(e.chromium.keystrokeP50Ms)} / ${ms(e.chromium.keystrokeP95Ms)}` : (e.chromiumSkipped ?? '–'))).join(' | ')} |`,
      `| ours, Chromium p50 / p95, to the next frame | ${report.search.map((e) => (e.chromium?.keystrokeToFrameP95Ms === undefined ? '–' : `${ms(e.chromium.keystrokeToFrameP50Ms)} / ${ms(e.chromium.keystrokeToFrameP95Ms)}`)).join(' | ')} |`,
      `| ours, first results interactive | ${report.search.map((e) => ms(e.chromium?.firstResultsInteractiveMs)).join(' | ')} |`,
      `| naive Fuse, Chromium p50 / p95 | ${report.search.map((e) => (e.fuseChromium ? `${ms(e.fuseChromium.p50Ms)} / ${ms(e.fuseChromium.p95Ms)}` : (e.fuseChromiumSkipped ?? '–'))).join(' | ')} |`,
      `| ours p95 / Fuse p95 (Chromium) | ${report.search.map((e) => (e.p95VsFuse === undefined ? '–' : `${e.p95VsFuse.toFixed(3)}×`)).join(' | ')} |`,
      `| ours, Node p50 / p95 | ${report.search.map((e) => `${ms(e.node.keystrokeP50Ms)} / ${ms(e.node.keystrokeP95Ms)}`).join(' | ')} |`,
      `| ours, Node thread CPU p50 / p95 | ${report.search.map((e) => `${ms(e.node.keystrokeCpuP50Ms)} / ${ms(e.node.keystrokeCpuP95Ms)}`).join(' | ')} |`,
      `| naive Fuse, Node p50 / p95 | ${report.search.map((e) => `${ms(e.fuseNode.p50Ms)} / ${ms(e.fuseNode.p95Ms)}`).join(' | ')} |`,
      `| ours p95 / Fuse p95 (Node) | ${report.search.map((e) => `${e.p95VsFuseNode.toFixed(3)}×`).join(' | ')} |`,
      `| index gzip per server / setup (Node) | ${report.search.map((e) => `${e.node.gzipBytesPerServer.toFixed(1)} B / ${ms(e.node.setupMs)}`).join(' | ')} |`,
      '',
    );
    if (report.keystrokeFloor) {
      const floor = report.keystrokeFloor;
      lines.push(
        `Floor: the same ${floor.keystrokes} keystrokes in a bare input with no script take p50 ${ms(floor.keystrokeP50Ms)} / p95 ${ms(floor.keystrokeP95Ms)} ` +
          'to the next frame (the wait for the display refresh, which no page work can shorten).',
        '',
      );
    }
  }
  if (report.probe?.length) {
    lines.push(
      '## Probe',
      '',
      '`npm run probe` (its library, production limits) against loopback servers: 60% MCP with 10 tools, 27% sign-in, 11% web pages, 2% never answering (each costs a full request timeout).',
      '',
      '| servers | wall | servers/s | CPU | peak RSS | ok / auth / not MCP / timeout |',
      '|---|---|---|---|---|---|',
      ...report.probe.map(
        (run) =>
          `| ${run.servers.toLocaleString('en')} | ${seconds(run.wallMs)} s | ${run.serversPerSecond.toFixed(1)} | ${seconds(run.cpuMs)} s | ${megabytes(run.peakRssBytes)} | ${run.outcomes.ok} / ${run.outcomes['auth-required']} / ${run.outcomes['not-mcp']} / ${run.outcomes.timeout} |`,
      ),
      '',
    );
  }
  if (report.relevance) lines.push(...relevanceLines(report.relevance), '');
  if (report.realTextSearch) {
    const figures = report.realTextSearch;
    lines.push(
      `Keystrokes on the ${figures.servers.toLocaleString('en')}-server real-text index (official registry of 2026-06 and synthetic copies), Chromium: ` +
        `keydown to first DOM change p50 ${ms(figures.keystrokeToFirstChangeP50Ms)} / p95 ${ms(figures.keystrokeToFirstChangeP95Ms)}, ` +
        `to results laid out p50 ${ms(figures.keystrokeP50Ms)} / p95 ${ms(figures.keystrokeP95Ms)}.`,
      '',
    );
  }
  lines.push('| target | servers | value | limit | result |', '|---|---|---|---|---|');
  for (const target of report.targets) {
    const value =
      target.value === undefined ? '–' : `${target.value.toFixed(target.value < 10 ? 2 : 1)} ${target.unit}`;
    lines.push(
      `| ${target.target} | ${target.servers?.toLocaleString('en') ?? ''} | ${value} | ${target.limit} ${target.unit} | ${target.status}${target.note ? ` (${target.note})` : ''} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const share = (value: number): string => `${(value * 100).toFixed(1)}%`;

function relevanceLines(relevance: RelevanceFigures): string[] {
  const scoresOf = (scores: { top1: number; top3: number; mrr: number }): string =>
    `${share(scores.top1)} | ${share(scores.top3)} | ${scores.mrr.toFixed(3)}`;
  const lines = [
    `Relevance: ${relevance.queries} hand-judged queries (${relevance.byHalf.tune} tuning, ${relevance.byHalf.holdout} held back), ` +
      'official registry of 2026-06 (25k: with synthetic copies of real servers).',
    '',
    '| engine | servers | top 1 | top 3 | MRR | held back: top 3 | time |',
    '|---|---|---|---|---|---|---|',
    ...relevance.engines.map(
      (e) =>
        `| ${e.engine} | ${e.servers.toLocaleString('en')} | ${scoresOf(e.all)} | ${share(e.byHalf.holdout.top3)} | ${(e.ms / 1000).toFixed(1)} s |`,
    ),
  ];
  if (relevance.island)
    lines.push(
      `| ours, Chromium through the island | ${relevance.island.servers.toLocaleString('en')} | ${scoresOf(relevance.island.all)} | ${share(relevance.island.byHalf.holdout.top3)} | |`,
    );
  lines.push(
    '',
    `Ours at 12k without one signal (all 115 queries): ${relevance.withoutSignal
      .map((entry) => `${entry.signal} top 3 ${share(entry.all.top3)}, top 1 ${share(entry.all.top1)}`)
      .join('; ')}.`,
  );
  return lines;
}
