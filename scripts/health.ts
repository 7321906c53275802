/**
 * npm run health -- [--issues OWNER/REPO] [--only NAME] [--concurrency 8] [--timeout-ms 10000] [--format text|json]
 * Re-verifies the latest version of every listed server (packages exist, repository not archived or
 * gone, remotes answer MCP initialize). With --issues (and GITHUB_TOKEN) opens, updates and closes
 * one issue per broken server. Exit 0 even when servers are broken: the issues are the report.
 */
import { formatProblems, summarise } from '../src/lib/cli/format.ts';
import { EXIT_INVALID, EXIT_OK, parseCliArgs, parseFormat, runCli, UsageError } from '../src/lib/cli/run.ts';
import { dataRoot } from '../src/lib/registry/layout.ts';
import { loadRegistry } from '../src/lib/registry/load.ts';
import { githubFromEnv } from '../src/lib/github/client.ts';
import { syncHealthIssues } from '../src/lib/verify/health-issues.ts';
import { packageRegistriesFromEnv } from '../src/lib/verify/network.ts';
import type { HealthTarget } from '../src/lib/verify/health.ts';
import { runHealth } from '../src/lib/verify/health.ts';

const USAGE =
  'usage: npm run health -- [--issues OWNER/REPO] [--only NAME] [--concurrency 8] [--timeout-ms 10000] [--format text|json]';

await runCli(USAGE, async () => {
  const { values } = parseCliArgs(process.argv.slice(2), {
    issues: { type: 'string' },
    only: { type: 'string', multiple: true },
    concurrency: { type: 'string', default: '8' },
    'timeout-ms': { type: 'string', default: '10000' },
    format: { type: 'string' },
  });
  const format = parseFormat(values.format);
  const concurrency = Number(values.concurrency);
  const timeoutMs = Number(values['timeout-ms']);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw new UsageError('--concurrency must be 1..64');
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100) throw new UsageError('--timeout-ms must be at least 100');
  const [owner, repo] = (values.issues ?? '').split('/');
  if (values.issues && (!owner || !repo)) throw new UsageError('--issues must be OWNER/REPO');
  if (values.issues && !process.env.GITHUB_TOKEN)
    throw new Error('GITHUB_TOKEN is not set; --issues needs a token with issues: write.');

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
  const results = await runHealth(targets, {
    packages: packageRegistriesFromEnv(process.env),
    github,
    concurrency,
    timeoutMs,
  });
  const found = results.flatMap((result) => result.problems);
  if (format === 'json')
    process.stdout.write(
      `${JSON.stringify({ checked: results.length, results: results.filter((r) => r.problems.length > 0) }, null, 2)}\n`,
    );
  else {
    if (found.length) process.stdout.write(`${formatProblems(found, format)}\n`);
    process.stdout.write(
      `health: ${results.length} servers checked, ${results.filter((r) => r.problems.length).length} with problems (${summarise(found)})\n`,
    );
  }
  if (values.issues) {
    const outcome = await syncHealthIssues(
      github!,
      owner!,
      repo!,
      results,
      new Set(registry.servers.filter((s) => s.latest).map((s) => s.name)),
    );
    process.stdout.write(
      `health: issues created [${outcome.created.join(', ')}], updated [${outcome.updated.join(', ')}], closed [${outcome.closed.join(', ')}]\n`,
    );
  }
  return EXIT_OK;
});
