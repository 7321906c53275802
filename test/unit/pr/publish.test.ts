/** The PR report through real octokit against recorded GitHub responses on a loopback server. */
import { afterEach, describe, expect, it } from 'vitest';
import { createGitHubClient, GitHubRateLimitError } from '../../../src/lib/github/client.ts';
import { publishPrReport, STATUS_CONTEXT } from '../../../src/lib/pr/publish.ts';
import type { PrCheckResult } from '../../../src/lib/pr/check.ts';
import { COMMENT_MARKER } from '../../../src/lib/pr/comment.ts';
import { loadFixture, startReplayServer } from '../../support/replay-server.ts';
import type { ReplayServer } from '../../support/replay-server.ts';

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function result(overrides: Partial<PrCheckResult>): PrCheckResult {
  return {
    base: 'b'.repeat(40),
    mergeBase: 'b'.repeat(40),
    head: 'h'.repeat(40),
    author: 'alice',
    changes: [],
    newServers: ['io.github.bob/thing'],
    newVersions: [
      {
        name: 'io.github.bob/thing',
        version: '1.0.0',
        file: 'registry-data/servers/io.github.bob/thing/versions/1.0.0.json',
      },
    ],
    ownership: [],
    problems: [],
    labels: ['new-server'],
    ok: true,
    ...overrides,
  };
}

describe('publishPrReport', () => {
  it('creates the bot comment once (ignoring a user comment that quotes the marker), adds labels, sets a failure status', async () => {
    server = await startReplayServer(loadFixture('pr-report-first-run'));
    const octokit = createGitHubClient({ token: 't', baseUrl: server.baseUrl });
    const failing = result({
      ok: false,
      labels: ['new-server', 'needs-owner'],
      problems: [
        {
          code: 'namespace-github',
          severity: 'error',
          file: 'registry-data/servers/io.github.bob/thing/versions/1.0.0.json',
          path: '$.name',
          line: 3,
          message: 'io.github.bob belongs to bob; <img src=x onerror=alert(1)> @everyone [click](javascript:alert(1))',
          hint: 'Publish under io.github.<your-login>/...',
        },
      ],
    });
    const outcome = await publishPrReport(
      octokit,
      {
        owner: 'octo',
        repo: 'registry',
        pullNumber: 7,
        sha: '0123456789abcdef0123456789abcdef01234567',
        runUrl: 'https://github.com/octo/registry/actions/runs/1',
      },
      failing,
    );
    expect(server.unmatched).toEqual([]);
    expect(outcome).toEqual({
      comment: { id: 2002, action: 'created' },
      labelsAdded: ['new-server', 'needs-owner'],
      labelsRemoved: [],
      state: 'failure',
    });
    const created = server.requests.find((r) => r.method === 'POST' && r.path.endsWith('/comments'))!.body as {
      body: string;
    };
    expect(created.body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(created.body).toContain('namespace-github');
    expect(created.body).not.toMatch(/<img|\[click\]\(|@everyone/);
    const status = server.requests.find((r) => r.path.includes('/statuses/'))!;
    expect(status.body).toEqual({
      state: 'failure',
      context: STATUS_CONTEXT,
      description: '1 error, 0 warnings',
      target_url: 'https://github.com/octo/registry/actions/runs/1',
    });
    expect(status.headers.authorization).toBe('token t');
  });

  it('updates the same comment in place on the next push (across pages) and removes labels that no longer apply', async () => {
    server = await startReplayServer(loadFixture('pr-report-second-run'));
    const octokit = createGitHubClient({ token: 't', baseUrl: server.baseUrl });
    const outcome = await publishPrReport(
      octokit,
      { owner: 'octo', repo: 'registry', pullNumber: 7, sha: '89abcdef0123456789abcdef0123456789abcdef' },
      result({}),
    );
    expect(server.unmatched).toEqual([]);
    expect(outcome).toEqual({
      comment: { id: 2002, action: 'updated' },
      labelsAdded: [],
      labelsRemoved: ['needs-owner'],
      state: 'success',
    });
    expect(server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/comments'))).toEqual([]);
    const patch = server.requests.find((r) => r.method === 'PATCH')!.body as { body: string };
    expect(patch.body).toContain('passed');
  });
});

describe('rate limits', () => {
  it('waits for retry-after and retries, but refuses a reset far in the future with a clear error', async () => {
    server = await startReplayServer(loadFixture('rate-limit'));
    const octokit = createGitHubClient({ token: 't', baseUrl: server.baseUrl, maxRateLimitWaitMs: 5000 });
    const started = performance.now();
    const repo = await octokit.rest.repos.get({ owner: 'octo', repo: 'registry' });
    expect(repo.data.stargazers_count).toBe(42);
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    expect(server.requests.filter((r) => r.path === '/repos/octo/registry')).toHaveLength(2);
    const error = await octokit.rest.repos.get({ owner: 'octo', repo: 'exhausted' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubRateLimitError);
    expect((error as Error).message).toMatch(/rate limit reached on GET \/repos\/octo\/exhausted.*GITHUB_TOKEN/);
    expect(server.requests.filter((r) => r.path === '/repos/octo/exhausted')).toHaveLength(1);
  });
});

describe('the CI pipeline: check-pr --json-out, then pr-report, as subprocesses', () => {
  it('reports a foreign-namespace PR: annotations, one comment, labels and a failure status', async () => {
    const { PrRepo, manifest, runScript } = await import('./pr-repo.ts');
    server = await startReplayServer([...loadFixture('org-membership'), ...loadFixture('pr-report-first-run')]);
    const repo = new PrRepo();
    try {
      repo.addServer('io.github.alice/weather', '1.0.0');
      repo.commitAll('base');
      repo.git('checkout', '-q', '-b', 'pr');
      repo.write(
        'registry-data/servers/io.github.bob/thing/versions/1.0.0.json',
        manifest('io.github.bob/thing', '1.0.0'),
      );
      repo.commitAll('PR');
      const env = { GITHUB_TOKEN: 't', GITHUB_API_URL: server.baseUrl, PR_AUTHOR: 'alice' };
      const report = `${repo.dir}/report.json`;
      const check = await runScript(
        'check-pr.ts',
        ['--repo', repo.dir, '--base', 'main', '--head', 'pr', '--format', 'github', '--json-out', report],
        env,
      );
      expect(check.status).toBe(1);
      expect(check.stdout).toMatch(
        /^::error file=registry-data\/servers\/io\.github\.bob\/thing\/versions\/1\.0\.0\.json,line=3,col=\d+,title=namespace-github::/m,
      );
      const publish = await runScript(
        'pr-report.ts',
        [
          '--report',
          report,
          '--repository',
          'octo/registry',
          '--pr',
          '7',
          '--sha',
          '0123456789abcdef0123456789abcdef01234567',
        ],
        env,
      );
      expect(publish.stderr).toBe('');
      expect(publish.stdout).toBe(
        'pr-report: comment 2002 created; labels +[new-server, needs-owner] -[]; status failure\n',
      );
      expect(server.unmatched).toEqual([]);
      const usage = await runScript(
        'pr-report.ts',
        ['--report', report, '--repository', 'octo/registry', '--pr', 'x', '--sha', 'abc'],
        env,
      );
      expect(usage.status).toBe(2);
      expect(usage.stderr).toMatch(/--pr must be a pull-request number/);
    } finally {
      repo.remove();
    }
  });
});
