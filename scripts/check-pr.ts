/**
 * npm run check-pr -- --base REF [--head REF] [--author LOGIN] [--format text|github|json]
 *                     [--repo DIR] [--data registry-data] [--json-out FILE] [--offline]
 * Runs on your machine exactly what CI runs on a pull request (same function, same git commands).
 * Exit status: 0 passed, 1 problems found, 2 the check itself could not run.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatProblems, OUTPUT_FORMATS, summarise } from '../src/lib/cli/format.ts';
import type { OutputFormat } from '../src/lib/cli/format.ts';
import { checkPullRequest, DEFAULT_DATA_DIR } from '../src/lib/pr/check.ts';
import { renderComment } from '../src/lib/pr/comment.ts';
import { networkFromEnv } from '../src/lib/pr/network.ts';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      base: { type: 'string' },
      head: { type: 'string' },
      author: { type: 'string' },
      format: { type: 'string', default: 'text' },
      repo: { type: 'string', default: '.' },
      data: { type: 'string', default: DEFAULT_DATA_DIR },
      'json-out': { type: 'string' },
      offline: { type: 'boolean', default: false },
    },
  });
  if (!values.base) return usage('--base is required (for example --base origin/main)');
  if (!(OUTPUT_FORMATS as readonly string[]).includes(values.format!)) return usage(`--format must be one of ${OUTPUT_FORMATS.join(', ')}`);
  const format = values.format as OutputFormat;
  const author = values.author ?? process.env.PR_AUTHOR ?? undefined;

  const result = await checkPullRequest({
    repoDir: values.repo!,
    base: values.base,
    head: values.head,
    author,
    dataDir: values.data,
    network: values.offline ? undefined : networkFromEnv(),
  });
  const report = formatProblems(result.problems, format === 'json' ? 'json' : format);
  if (format === 'json') process.stdout.write(`${jsonReport(result)}\n`);
  else {
    if (report) process.stdout.write(`${report}\n`);
    const what = [...result.newServers.map((n) => `new server ${n}`), ...result.newVersions.map((v) => `${v.name} ${v.version}`)];
    process.stdout.write(`check-pr: ${result.changes.length} changed file(s)${what.length ? ` (${what.join(', ')})` : ''}; ${summarise(result.problems)}; ${result.ok ? 'passed' : 'failed'}\n`);
  }
  if (values['json-out']) writeFileSync(values['json-out'], `${jsonReport(result)}\n`);
  if (format === 'github' && process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, renderComment(result));
  return result.ok ? 0 : 1;
}

function jsonReport(result: Awaited<ReturnType<typeof checkPullRequest>>): string {
  return JSON.stringify(result, null, 2);
}

function usage(message: string): number {
  process.stderr.write(`check-pr: ${message}\nusage: npm run check-pr -- --base REF [--head REF] [--author LOGIN] [--format text|github|json]\n`);
  return 2;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`check-pr: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
