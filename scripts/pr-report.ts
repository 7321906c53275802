/**
 * npm run pr-report -- --report report.json --repository OWNER/REPO --pr N --sha SHA [--run-url URL]
 * Publishes a check-pr JSON report on the PR: the bot comment, labels and the commit status.
 * Needs GITHUB_TOKEN (pull-requests, issues and statuses write); GITHUB_API_URL is honoured.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { publishPrReport } from '../src/lib/github/pr-report.ts';
import type { PrCheckResult } from '../src/lib/pr/check.ts';
import { githubFromEnv } from '../src/lib/pr/network.ts';

/** The report is our own output, but it carries PR-controlled strings: check its shape before use. */
const ReportSchema = z.looseObject({
  ok: z.boolean(),
  labels: z.array(z.string()),
  problems: z.array(z.looseObject({ code: z.string(), severity: z.enum(['error', 'warning']), file: z.string(), path: z.string(), message: z.string(), hint: z.string() })),
  newServers: z.array(z.string()),
  newVersions: z.array(z.looseObject({ name: z.string(), version: z.string(), file: z.string() })),
  ownership: z.array(z.looseObject({ name: z.string(), via: z.string() })),
});

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { report: { type: 'string' }, repository: { type: 'string' }, pr: { type: 'string' }, sha: { type: 'string' }, 'run-url': { type: 'string' } },
  });
  const [owner, repo] = (values.repository ?? '').split('/');
  const pullNumber = Number(values.pr);
  if (!values.report || !owner || !repo || !Number.isInteger(pullNumber) || pullNumber <= 0 || !/^[0-9a-f]{40}$/.test(values.sha ?? '')) {
    process.stderr.write('usage: npm run pr-report -- --report FILE --repository OWNER/REPO --pr NUMBER --sha COMMIT_SHA [--run-url URL]\n');
    return 2;
  }
  if (!process.env.GITHUB_TOKEN) {
    process.stderr.write('pr-report: GITHUB_TOKEN is not set; the workflow passes secrets.GITHUB_TOKEN with pull-requests, issues and statuses write permission.\n');
    return 2;
  }
  const parsed = ReportSchema.safeParse(JSON.parse(readFileSync(values.report, 'utf8')));
  if (!parsed.success) {
    process.stderr.write(`pr-report: ${values.report} is not a check-pr JSON report: ${parsed.error.issues[0]?.message}\n`);
    return 2;
  }
  const outcome = await publishPrReport(
    githubFromEnv(),
    { owner, repo, pullNumber, sha: values.sha!, runUrl: values['run-url'] },
    parsed.data as unknown as PrCheckResult,
  );
  process.stdout.write(
    `pr-report: comment ${outcome.comment.id} ${outcome.comment.action}; labels +[${outcome.labelsAdded.join(', ')}] -[${outcome.labelsRemoved.join(', ')}]; status ${outcome.state}\n`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`pr-report: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
