/**
 * npm run health -- [--issues OWNER/REPO] [--state FILE] [--dry-run | --dry-run-first N]
 *                   [--failures-before-issue 3] [--max-new-issues 10]
 *                   [--only NAME] [--concurrency 8] [--timeout-ms 10000] [--format text|json]
 * Re-verifies the latest version of every listed server (packages exist, repository not archived or
 * gone, remotes answer MCP initialize). Each server is ok, broken or unknown (what we could not find
 * out: a registry or GitHub not answering, our own network down). With --issues (and GITHUB_TOKEN)
 * it opens, updates and closes one issue per broken server: only after --failures-before-issue
 * failed runs in a row, which --state FILE counts from run to run, and at most --max-new-issues per
 * run. --dry-run writes nothing to GitHub; --dry-run-first N makes the first N runs of the state
 * file dry runs. Exit 0 even when servers are broken: the issues are the report.
 */
import { appendFile, readFile, rename, writeFile } from 'node:fs/promises';
import { formatProblems, summarise } from '../src/lib/cli/format.ts';
import { EXIT_INVALID, EXIT_OK, parseCliArgs, parseFormat, runCli, UsageError } from '../src/lib/cli/run.ts';
import {
  advanceHealthState,
  DEFAULT_HEALTH_POLICY,
  emptyHealthState,
  parseHealthState,
  serializeHealthState,
  syncHealthIssues,
} from '../src/lib/verify/health-issues.ts';
import type { IssueSyncOutcome } from '../src/lib/verify/health-issues.ts';
import { dataRoot } from '../src/lib/registry/layout.ts';
import { loadRegistry } from '../src/lib/registry/load.ts';
import { githubFromEnv } from '../src/lib/github/client.ts';
import { packageRegistriesFromEnv } from '../src/lib/verify/network.ts';
import type { HealthTarget } from '../src/lib/verify/health.ts';
import { runHealth, verdict } from '../src/lib/verify/health.ts';

const USAGE = `usage: npm run health -- [--issues OWNER/REPO] [--state FILE] [--dry-run | --dry-run-first N]
                          [--failures-before-issue 3] [--max-new-issues 10]
                          [--only NAME] [--concurrency 8] [--timeout-ms 10000] [--format text|json]`;

await runCli(USAGE, async () => {
  const { values } = parseCliArgs(process.argv.slice(2), {
    issues: { type: 'string' },
    state: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    'dry-run-first': { type: 'string', default: '0' },
    'failures-before-issue': { type: 'string', default: String(DEFAULT_HEALTH_POLICY.failuresBeforeIssue) },
    'max-new-issues': { type: 'string', default: String(DEFAULT_HEALTH_POLICY.maxNewIssues) },
    only: { type: 'string', multiple: true },
    concurrency: { type: 'string', default: '8' },
    'timeout-ms': { type: 'string', default: '10000' },
    format: { type: 'string' },
  });
  const format = parseFormat(values.format);
  const count = (flag: keyof typeof values, min: number, max: number) => {
    const value = Number(values[flag]);
    if (!Number.isInteger(value) || value < min || value > max)
      throw new UsageError(`--${flag} must be ${min}..${max}`);
    return value;
  };
  const concurrency = count('concurrency', 1, 64);
  const timeoutMs = count('timeout-ms', 100, 600_000);
  const failuresBeforeIssue = count('failures-before-issue', 1, 365);
  const maxNewIssues = count('max-new-issues', 0, 1000);
  const dryRunFirst = count('dry-run-first', 0, 365);
  const [owner, repo] = (values.issues ?? '').split('/');
  if (values.issues && (!owner || !repo)) throw new UsageError('--issues must be OWNER/REPO');
  if (values.issues && !process.env.GITHUB_TOKEN)
    throw new Error('GITHUB_TOKEN is not set; --issues needs a token with issues: write (issues: read for --dry-run).');

  const state = values.state
    ? await readFile(values.state, 'utf8').then(
        (text) => parseHealthState(text, values.state!),
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return emptyHealthState();
          throw new Error(`cannot read ${values.state}: ${error.message}`);
        },
      )
    : emptyHealthState();
  const dryRun = values['dry-run']! || state.runs < dryRunFirst;

  const root = dataRoot();
  const { registry, problems } = await loadRegistry(root);
  if (problems.some((p) => p.severity === 'error')) {
    process.stderr.write(`${formatProblems(problems, 'text')}\nhealth: the registry does not validate; fix it first\n`);
    return EXIT_INVALID;
  }
  const only = new Set(values.only ?? []);
  const targets: HealthTarget[] = registry.servers
    .filter((server) => server.latest && (only.size === 0 || only.has(server.name)))
    .map((server) => ({
      name: server.name,
      version: server.latest!.server.version,
      file: server.latest!.file,
      server: server.latest!.server,
    }));
  const github = process.env.GITHUB_TOKEN ? githubFromEnv(process.env) : undefined;
  const packages = packageRegistriesFromEnv(process.env);
  const canaries = (process.env.HEALTH_CANARIES ?? `${packages.npm.replace(/\/+$/, '')}/-/ping`)
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean);
  const results = await runHealth(targets, { packages, github, concurrency, timeoutMs, canaries });
  const next = advanceHealthState(state, results, new Date().toISOString());
  const found = results.flatMap((result) => result.problems);
  const tally = { ok: 0, broken: 0, unknown: 0 };
  for (const result of results) tally[verdict(result)]++;
  if (format === 'json')
    process.stdout.write(
      `${JSON.stringify({ checked: results.length, ...tally, results: results.filter((r) => verdict(r) !== 'ok') }, null, 2)}\n`,
    );
  else {
    if (found.length) process.stdout.write(`${formatProblems(found, format)}\n`);
    for (const result of results)
      for (const reason of result.unknown) process.stdout.write(`unknown ${result.name}: ${reason}\n`);
    process.stdout.write(
      `health: ${results.length} servers checked: ${tally.ok} ok, ${tally.broken} broken, ${tally.unknown} unknown (${summarise(found)})\n`,
    );
  }
  let outcome: IssueSyncOutcome | undefined;
  if (values.issues) {
    outcome = await syncHealthIssues(
      github!,
      owner!,
      repo!,
      results,
      new Set(registry.servers.filter((s) => s.latest).map((s) => s.name)),
      next,
      { failuresBeforeIssue, maxNewIssues, dryRun },
    );
    const would = outcome.dryRun ? 'dry run, nothing written: would have ' : '';
    process.stdout.write(
      `health: ${would}created [${outcome.created.join(', ')}], updated [${outcome.updated.join(', ')}], closed [${outcome.closed.join(', ')}]; ` +
        `waiting for ${failuresBeforeIssue} failed runs [${outcome.waiting.map((w) => `${w.name} ${w.failures}`).join(', ')}]; ` +
        `over this run's cap of ${maxNewIssues} [${outcome.capped.join(', ')}]\n`,
    );
  }
  if (values.state) {
    await writeFile(`${values.state}.tmp`, serializeHealthState(next));
    await rename(`${values.state}.tmp`, values.state);
  }
  if (process.env.GITHUB_STEP_SUMMARY)
    await appendFile(process.env.GITHUB_STEP_SUMMARY, stepSummary(results.length, tally, next.runs, outcome));
  return EXIT_OK;
});

/** The run's summary on the workflow page: the place to read a dry run. */
function stepSummary(
  checked: number,
  tally: Record<'ok' | 'broken' | 'unknown', number>,
  run: number,
  outcome: IssueSyncOutcome | undefined,
): string {
  const list = (names: readonly string[]) =>
    names.length === 0
      ? 'none'
      : names
          .slice(0, 50)
          .map((n) => `\`${n}\``)
          .join(', ') + (names.length > 50 ? ` and ${names.length - 50} more` : '');
  const lines = [
    `## Health check, run ${run}${outcome?.dryRun ? ' (dry run: no issue was written)' : ''}`,
    '',
    `${checked} servers: ${tally.ok} ok, ${tally.broken} broken, ${tally.unknown} unknown.`,
  ];
  if (outcome)
    lines.push(
      '',
      `- ${outcome.dryRun ? 'would open' : 'opened'}: ${list(outcome.created)}`,
      `- ${outcome.dryRun ? 'would edit' : 'edited'}: ${list(outcome.updated)}`,
      `- ${outcome.dryRun ? 'would close' : 'closed'}: ${list(outcome.closed)}`,
      `- waiting for more failed runs: ${list(outcome.waiting.map((w) => `${w.name} (${w.failures})`))}`,
      `- over this run's cap, next run: ${list(outcome.capped)}`,
      `- unknown this run: ${list(outcome.unknown)}`,
    );
  return `${lines.join('\n')}\n`;
}
