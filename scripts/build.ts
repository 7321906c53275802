/**
 * npm run build [-- --out DIR] [--cache DIR] [--fresh] [--format text|github|json] [--verbose]
 * Validates the data folder (REGISTRY_DATA or registry-data/) and builds the site into dist/.
 * Refuses to build on any data error, printing the problems; the previous dist/ stays intact.
 * Server pages that did not change since the last build are reused from it (page cache: OUT.cache/).
 */
import { buildSite } from '../src/lib/build/build-site.ts';
import { formatProblems, formatProblemsSummary, summarise } from '../src/lib/cli/format.ts';
import { EXIT_INVALID, EXIT_OK, parseCliArgs, parseFormat, runCli, UsageError } from '../src/lib/cli/run.ts';
import { dataDirFromSourceEnv } from '../src/lib/github/source.ts';
import { dataRoot } from '../src/lib/registry/layout.ts';

const USAGE = `usage: npm run build [-- --out DIR] [--cache DIR] [--fresh] [--format text|github|json] [--verbose]
  Validates ${'$'}REGISTRY_DATA (default registry-data/) and builds the site into --out (default dist/).
  Server pages unchanged since the last build are hard-linked from its output instead of rendered.
  --cache    the page cache: the manifest of the last build's pages (default: the output folder's
             name + .cache, e.g. dist.cache/); keep it and the output between builds, in CI too
  --fresh    render every page (the manifest is rewritten for the next build)
  --verbose  text format: list every warning instead of counting them`;

await runCli(USAGE, async () => {
  const { values, positionals } = parseCliArgs(process.argv.slice(2), {
    out: { type: 'string' },
    format: { type: 'string' },
    verbose: { type: 'boolean' },
    fresh: { type: 'boolean' },
    cache: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const format = parseFormat(values.format);
  const started = performance.now();
  // REGISTRY_SOURCE=github:owner/repo@ref builds from a GitHub repository (see src/lib/github/source.ts).
  const dataDir = (await dataDirFromSourceEnv()) ?? dataRoot();
  process.stdout.write(`building the site from ${dataDir} (Astro reports only warnings and errors)\n`);
  // Astro's own log lists every page it writes: tens of thousands of lines that cost time and hide warnings.
  const result = await buildSite({
    dataDir,
    outDir: values.out,
    cacheDir: values.cache,
    fresh: values.fresh === true,
    logLevel: 'warn',
    removePrevious: 'in-background',
  });
  const report =
    format === 'text'
      ? formatProblemsSummary(result.problems, values.verbose === true)
      : formatProblems(result.problems, format);
  if (report !== '') process.stderr.write(`${report}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (!result.ok) {
    process.stderr.write(`build refused: ${summarise(result.problems)}; ${result.outDir} left unchanged\n`);
    return EXIT_INVALID;
  }
  const { validated, total } = result.timings;
  const api = result.api ? `; API ${result.api.files} files, ${(result.api.bytes / 1_048_576).toFixed(1)} MiB` : '';
  const { rendered, reused } = result.pages;
  process.stdout.write(
    `built ${result.servers} servers, ${result.versions} versions into ${result.outDir} in ${seconds}s (${summarise(result.problems)})\n` +
      `  data validated after ${(validated / 1000).toFixed(1)}s while Astro bundled, pages and API done ${((total - validated) / 1000).toFixed(1)}s later${api}\n` +
      `  server pages: ${rendered} rendered, ${reused} unchanged since the last build and reused\n`,
  );
  return EXIT_OK;
});
