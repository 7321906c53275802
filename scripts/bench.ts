/**
 * npm run bench [-- --quick] [--sizes 1000,10000] [--search-sizes 1000,100000] [--reps N|N,N,..] [--skip-browser]
 *               [--relevance | --skip-relevance]
 * Measures validation, the full build against a bare-Astro baseline, output sizes and search latency
 * on synthetic registries of real-world shape, and search relevance on the official registry of 2026-06
 * (ours, MiniSearch, Fuse.js); prints progress and a table, writes bench/results/.
 * Targets are reported PASS/MISS; a miss never fails the process.
 */
import path from 'node:path';
import { EXIT_OK, parseCliArgs, runCli, UsageError } from '../src/lib/cli/run.ts';
import {
  FULL_PROBE_SIZES,
  FULL_SEARCH_SIZES,
  FULL_SIZES,
  QUICK_PROBE_SIZES,
  QUICK_SIZES,
  ROOT,
  runBench,
  writeResults,
} from '../bench/run.ts';
import { markdownReport } from '../bench/report.ts';

const USAGE = `usage: npm run bench [-- --quick] [--sizes N,N] [--search-sizes N,N] [--reps N] [--skip-browser] [--probe-sizes N,N]
                 [--relevance | --skip-relevance]
  --quick          ${QUICK_SIZES.join(',')} servers, 1 repetition (a couple of minutes)
  --sizes          sizes to generate, validate and build (default ${FULL_SIZES.join(',')})
  --search-sizes   sizes to measure search at (default: the sizes, plus 100000 in a full run)
  --reps           repetitions per measurement, one number or one per size; figures are the median
                   (default 3, 1 with --quick)
  --skip-browser   no Chromium: Node-only figures
  --probe-sizes    servers to probe against loopback servers (default ${FULL_PROBE_SIZES.join(',')}; ${QUICK_PROBE_SIZES.join(',')} with --quick; 0 skips)
  --relevance      only the relevance set (12k and 25k, ours / MiniSearch / Fuse.js, the island in
                   Chromium, keystrokes on the 25k real-text index): no sizes are built
  --skip-relevance leave the relevance set out (it takes minutes: Fuse.js at 12k and 25k)`;

/** Comma-separated positive integers (sizes, repetitions). */
function parseSizes(value: string, flag: string): number[] {
  const sizes = value.split(',').map((part) => Number(part.trim()));
  if (sizes.some((size) => !Number.isInteger(size) || size < 1))
    throw new UsageError(`${flag} takes positive integers separated by commas, got ${JSON.stringify(value)}`);
  return sizes;
}

await runCli(USAGE, async () => {
  const { values, positionals } = parseCliArgs(process.argv.slice(2), {
    quick: { type: 'boolean' },
    sizes: { type: 'string' },
    'search-sizes': { type: 'string' },
    reps: { type: 'string' },
    'skip-browser': { type: 'boolean' },
    'probe-sizes': { type: 'string' },
    relevance: { type: 'boolean' },
    'skip-relevance': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const quick = values.quick ?? false;
  const relevanceOnly = values.relevance ?? false;
  if (relevanceOnly && (values['skip-relevance'] || values.sizes || values['search-sizes'] || quick))
    throw new UsageError(
      '--relevance runs the relevance set alone: no --quick, --sizes, --search-sizes or --skip-relevance',
    );
  const sizes = relevanceOnly
    ? []
    : values.sizes
      ? parseSizes(values.sizes, '--sizes')
      : quick
        ? QUICK_SIZES
        : FULL_SIZES;
  const searchSizes = relevanceOnly
    ? []
    : values['search-sizes']
      ? parseSizes(values['search-sizes'], '--search-sizes')
      : quick || values.sizes
        ? sizes
        : FULL_SEARCH_SIZES;
  const repsGiven = values.reps === undefined ? [quick ? 1 : 3] : parseSizes(values.reps, '--reps');
  if (repsGiven.length !== 1 && repsGiven.length !== sizes.length)
    throw new UsageError(`--reps takes one number or one per size (${sizes.length})`);
  const reps = relevanceOnly ? [] : sizes.map((_, i) => repsGiven[repsGiven.length === 1 ? 0 : i]);
  const probeSizes =
    relevanceOnly || values['probe-sizes'] === '0'
      ? []
      : values['probe-sizes']
        ? parseSizes(values['probe-sizes'], '--probe-sizes')
        : quick
          ? QUICK_PROBE_SIZES
          : values.sizes
            ? []
            : FULL_PROBE_SIZES;
  const results = path.join(ROOT, 'bench', 'results');

  const report = await runBench({
    sizes,
    searchSizes,
    reps,
    browser: !values['skip-browser'],
    quick,
    probeSizes,
    relevance: !values['skip-relevance'],
    log: (line) => process.stdout.write(`${line}\n`),
    checkpoint: (partial) => writeResults(partial, results),
  });
  const written = writeResults(report, results);
  process.stdout.write(
    `\n${markdownReport(report)}\nwrote ${path.relative(process.cwd(), written.json)} and ${path.relative(process.cwd(), written.markdown)}\n`,
  );
  return EXIT_OK;
});
