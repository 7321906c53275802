/**
 * npm run check-pr -- --base REF [--head REF] [--author LOGIN] [--format text|github|json] ...
 * Runs on your machine exactly what CI runs on a pull request (same function, same git commands).
 * Exit status: 0 passed, 1 problems found, 2 the check itself could not run.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { formatProblems, summarise } from '../src/lib/cli/format.ts';
import { EXIT_INVALID, EXIT_OK, parseCliArgs, parseFormat, runCli, UsageError } from '../src/lib/cli/run.ts';
import { checkPullRequest } from '../src/lib/pr/check.ts';
import type { PrCheckResult } from '../src/lib/pr/check.ts';
import { renderComment } from '../src/lib/pr/comment.ts';
import { DEFAULT_DATA_DIR } from '../src/lib/pr/read.ts';
import { networkFromEnv } from '../src/lib/verify/network.ts';

const USAGE = `usage: npm run check-pr -- --base REF [--head REF] [--author LOGIN] [--format text|github|json]
                        [--repo DIR] [--data ${DEFAULT_DATA_DIR}] [--json-out FILE] [--offline]
  Compares REF (the branch your PR targets, e.g. origin/main) with --head REF, or with your working
  tree (untracked files included). --author is your GitHub login (default: $PR_AUTHOR).`;

await runCli(USAGE, async () => {
  const { values, positionals } = parseCliArgs(process.argv.slice(2), {
    base: { type: 'string' },
    head: { type: 'string' },
    author: { type: 'string' },
    format: { type: 'string' },
    repo: { type: 'string', default: '.' },
    data: { type: 'string', default: DEFAULT_DATA_DIR },
    'json-out': { type: 'string' },
    offline: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  if (!values.base) throw new UsageError('--base is required (for example --base origin/main)');
  const format = parseFormat(values.format);

  const result = await checkPullRequest({
    repoDir: values.repo!,
    base: values.base,
    head: values.head,
    author: values.author ?? (process.env.PR_AUTHOR || undefined),
    dataDir: values.data,
    network: values.offline ? undefined : networkFromEnv(process.env),
  });
  if (format === 'json') process.stdout.write(`${jsonReport(result)}\n`);
  else {
    const report = formatProblems(result.problems, format);
    if (report) process.stdout.write(`${report}\n`);
    const what = [
      ...result.newServers.map((n) => `new server ${n}`),
      ...result.newVersions.map((v) => `${v.name} ${v.version}`),
    ];
    process.stdout.write(
      `check-pr: ${result.changes.length} changed file(s)${what.length ? ` (${what.join(', ')})` : ''}; ${summarise(result.problems)}; ${result.ok ? 'passed' : 'failed'}\n`,
    );
  }
  if (values['json-out']) writeFileSync(values['json-out'], `${jsonReport(result)}\n`);
  if (format === 'github' && process.env.GITHUB_STEP_SUMMARY)
    appendFileSync(process.env.GITHUB_STEP_SUMMARY, renderComment(result));
  return result.ok ? EXIT_OK : EXIT_INVALID;
});

function jsonReport(result: PrCheckResult): string {
  return JSON.stringify(result, null, 2);
}
