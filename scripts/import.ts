/**
 * npm run import -- FILE_OR_URL... [--into DIR] [--format text|json]
 * Imports official registry API responses (a ServerList page, an array of ServerResponse, or one)
 * into a data folder (default: REGISTRY_DATA or registry-data/). Idempotent; see registry-data/README.md.
 * Exit codes: 0 all imported or unchanged, 1 some records refused, 2 usage or I/O error.
 */
import { formatProblemsText } from '../src/lib/cli/format.ts';
import { EXIT_INVALID, EXIT_OK, parseCliArgs, runCli, UsageError } from '../src/lib/cli/run.ts';
import type { ImportRecord } from '../src/lib/import/official.ts';
import { importRecords } from '../src/lib/import/import.ts';
import { readImportInput } from '../src/lib/import/input.ts';
import { dataRoot } from '../src/lib/registry/layout.ts';

const USAGE = `usage: npm run import -- FILE_OR_URL... [--into DIR] [--format text|json]
  FILE_OR_URL  an official API response: {"servers": [...], "metadata": {...}} (pages are followed
               for URLs), an array of {"server", "_meta"}, or a single {"server", "_meta"}
  --into DIR   the data folder to import into (default: $REGISTRY_DATA or registry-data/)
  --format     text (default) or json`;

await runCli(USAGE, async () => {
  const { values, positionals } = parseCliArgs(process.argv.slice(2), {
    into: { type: 'string' },
    format: { type: 'string' },
  });
  if (positionals.length === 0) throw new UsageError('name at least one file or URL to import');
  if (values.format !== undefined && values.format !== 'text' && values.format !== 'json')
    throw new UsageError(`unknown --format ${JSON.stringify(values.format)}; use text or json`);
  const into = values.into ?? dataRoot();

  const records: ImportRecord[] = [];
  for (const source of positionals) {
    const input = await readImportInput(source);
    if (!input.ok) throw new Error(input.error);
    records.push(...input.records);
  }
  const summary = await importRecords(records, into);
  const { added, updated, unchanged, refused } = summary.counts;
  if (values.format === 'json') {
    process.stdout.write(`${JSON.stringify({ into, ...summary }, null, 2)}\n`);
  } else {
    for (const outcome of summary.outcomes.filter((o) => o.kind === 'refused')) {
      const codes = [...new Set(outcome.problems.map((p) => p.code))].join(', ');
      process.stdout.write(
        `refused ${outcome.label} from ${outcome.origin} (${codes})\n${formatProblemsText(outcome.problems).replace(/^/gm, '  ')}\n`,
      );
    }
    const line = `added ${added}, updated ${updated}, unchanged ${unchanged}, refused ${refused} (${records.length} records) in ${into}`;
    process.stdout.write(
      summary.written.length === 0
        ? `nothing to change: ${line}\n`
        : `${line}; wrote ${summary.written.length} files\n`,
    );
  }
  return refused > 0 ? EXIT_INVALID : EXIT_OK;
});
