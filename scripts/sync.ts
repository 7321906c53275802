/**
 * npm run sync -- --from BASE_URL [--into DIR] [--full] [--max-files N] [--retries N] [--timeout S]
 *                 [--report FILE] [--pr-body FILE]
 * Keeps a data folder current with an upstream registry (docs/sync.md). Progress goes to stderr, the
 * summary to stdout. Exit codes: 0 synced (records refused by the validator are reported, not
 * failures), 2 usage, network, malformed page or invalid policy/state (the data folder unchanged),
 * 3 more files to write than --max-files (a bulk import: nothing written).
 */
import { writeFileSync } from 'node:fs';
import { EXIT_OK, parseCliArgs, runCli, UsageError } from '../src/lib/cli/run.ts';
import { dataRoot } from '../src/lib/registry/layout.ts';
import { DEFAULT_RETRY_POLICY } from '../src/lib/sync/fetch-page.ts';
import { renderPullRequestBody, renderSummary } from '../src/lib/sync/report.ts';
import { runSync } from '../src/lib/sync/sync.ts';

const EXIT_BULK = 3;

const USAGE = `usage: npm run sync -- --from BASE_URL [--into DIR] [--full] [--max-files N]
                    [--retries N] [--timeout SECONDS] [--report FILE] [--pr-body FILE]
  --from BASE_URL  the upstream registry, e.g. https://registry.modelcontextprotocol.io
  --into DIR       the data folder (default: $REGISTRY_DATA or registry-data/)
  --full           list everything, not only what changed since the last run
  --max-files N    write nothing and exit 3 when the run would write more than N files (a bulk
                   import, which is done by hand: see docs/sync.md)
  --retries N      retries of a page after 429, 5xx, timeouts or dropped connections (default ${DEFAULT_RETRY_POLICY.retries})
  --timeout S      seconds before a page request times out (default ${DEFAULT_RETRY_POLICY.timeoutMs / 1000})
  --report FILE    write what the run did as JSON
  --pr-body FILE   write the pull request body (markdown, at most 65,536 characters)`;

function positiveInteger(value: string | undefined, flag: string, allowZero = false): number | undefined {
  if (value === undefined) return undefined;
  const number = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number) || (!allowZero && number === 0))
    throw new UsageError(
      `${flag} takes a ${allowZero ? 'non-negative' : 'positive'} integer, got ${JSON.stringify(value)}`,
    );
  return number;
}

await runCli(USAGE, async () => {
  const { values, positionals } = parseCliArgs(process.argv.slice(2), {
    from: { type: 'string' },
    into: { type: 'string' },
    full: { type: 'boolean' },
    'max-files': { type: 'string' },
    retries: { type: 'string' },
    timeout: { type: 'string' },
    report: { type: 'string' },
    'pr-body': { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  if (values.from === undefined) throw new UsageError('--from BASE_URL is required');
  const retries = positiveInteger(values.retries, '--retries', true);
  const timeout = positiveInteger(values.timeout, '--timeout');
  const maxFiles = positiveInteger(values['max-files'], '--max-files', true);

  const result = await runSync({
    from: values.from,
    into: values.into ?? dataRoot(),
    full: values.full === true,
    retry: {
      ...DEFAULT_RETRY_POLICY,
      ...(retries !== undefined && { retries }),
      ...(timeout !== undefined && { timeoutMs: timeout * 1000 }),
    },
    ...(maxFiles !== undefined && { maxFiles }),
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  const { report } = result;
  if (values.report !== undefined)
    writeFileSync(values.report, `${JSON.stringify({ result: result.kind, ...report }, null, 2)}\n`);
  if (result.kind === 'bulk') {
    process.stdout.write(renderSummary(report));
    process.stderr.write(
      `error: this run would write ${report.files.toLocaleString('en-US')} files, more than --max-files ${maxFiles}: ` +
        'a first sync into an empty or old data folder is a bulk import, done by hand and committed directly ' +
        '(docs/sync.md, "Bulk import"); nothing was written\n',
    );
    return EXIT_BULK;
  }
  if (result.kind === 'completed-interrupted')
    process.stdout.write(
      'completed the writes of a run that was interrupted after planning; run again for newer changes\n',
    );
  process.stdout.write(renderSummary(report));
  if (values['pr-body'] !== undefined) writeFileSync(values['pr-body'], renderPullRequestBody(report));
  return EXIT_OK;
});
