/**
 * npm run pr-report -- --report report.json --repository OWNER/REPO --pr N --sha SHA [--run-url URL]
 * Publishes a check-pr JSON report on the PR: the bot comment, labels and the commit status.
 * Needs GITHUB_TOKEN (pull-requests, issues and statuses write); GITHUB_API_URL is honoured.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { EXIT_OK, parseCliArgs, runCli, UsageError } from '../src/lib/cli/run.ts';
import { githubFromEnv } from '../src/lib/github/client.ts';
import type { PrCheckResult } from '../src/lib/pr/check.ts';
import { publishPrReport } from '../src/lib/pr/publish.ts';
import type { RuleCode } from '../src/lib/rule-codes.ts';
import { RULES } from '../src/lib/rule-codes.ts';

const USAGE =
  'usage: npm run pr-report -- --report FILE --repository OWNER/REPO --pr NUMBER --sha COMMIT_SHA [--run-url URL]';

/** The report is our own output, but it carries PR-controlled strings: check its shape before use. */
const ReportSchema = z.looseObject({
  ok: z.boolean(),
  labels: z.array(z.string()),
  problems: z.array(
    z.looseObject({
      code: z.enum(Object.keys(RULES) as [RuleCode, ...RuleCode[]]),
      severity: z.enum(['error', 'warning']),
      file: z.string(),
      path: z.string(),
      message: z.string(),
      hint: z.string(),
      line: z.number().optional(),
    }),
  ),
  newServers: z.array(z.string()),
  newVersions: z.array(z.looseObject({ name: z.string(), version: z.string(), file: z.string() })),
  ownership: z.array(z.looseObject({ name: z.string(), via: z.string() })),
});

await runCli(USAGE, async () => {
  const { values } = parseCliArgs(process.argv.slice(2), {
    report: { type: 'string' },
    repository: { type: 'string' },
    pr: { type: 'string' },
    sha: { type: 'string' },
    'run-url': { type: 'string' },
  });
  const [owner, repo] = (values.repository ?? '').split('/');
  const pullNumber = Number(values.pr);
  if (!values.report) throw new UsageError('--report is required');
  if (!owner || !repo) throw new UsageError('--repository must be OWNER/REPO');
  if (!Number.isInteger(pullNumber) || pullNumber <= 0) throw new UsageError('--pr must be a pull-request number');
  if (!/^[0-9a-f]{40}$/.test(values.sha ?? '')) throw new UsageError('--sha must be the 40-character head commit id');
  if (!process.env.GITHUB_TOKEN)
    throw new Error(
      'GITHUB_TOKEN is not set; the workflow passes secrets.GITHUB_TOKEN with pull-requests, issues and statuses write permission.',
    );
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(values.report, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${values.report}: ${(error as Error).message}`);
  }
  const parsed = ReportSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(`${values.report} is not a check-pr JSON report: ${parsed.error.issues[0]?.message}`);
  const outcome = await publishPrReport(
    githubFromEnv(process.env),
    {
      owner,
      repo,
      pullNumber,
      sha: values.sha!,
      runUrl: values['run-url'],
      serverUrl: process.env.GITHUB_SERVER_URL || 'https://github.com',
    },
    parsed.data as unknown as PrCheckResult,
  );
  process.stdout.write(
    `pr-report: comment ${outcome.comment.id} ${outcome.comment.action}; labels +[${outcome.labelsAdded.join(', ')}] -[${outcome.labelsRemoved.join(', ')}]; status ${outcome.state}\n`,
  );
  return EXIT_OK;
});
