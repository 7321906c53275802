/**
 * The nightly health job as a new registry meets it (issue 15): the real CLI, night after night, on a
 * registry whose one server's package is gone (a replayed npm registry answers 404) and against a
 * replayed GitHub. The first runs are dry runs, the issue comes only after enough failed runs in a
 * row, and the count survives between runs in the state file.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplayServer } from '../support/replay-server.ts';
import type { ReplayServer } from '../support/replay-server.ts';
import { PrRepo, runScript } from '../unit/pr/pr-repo.ts';

const NAME = 'io.github.alice/weather';
let repo: PrRepo;
let npm: ReplayServer;
let github: ReplayServer;
let work: string;

beforeAll(async () => {
  repo = new PrRepo();
  repo.addServer(NAME, '1.0.0', {
    packages: [{ registryType: 'npm', identifier: 'gone-pkg', version: '1.0.0', transport: { type: 'stdio' } }],
  });
  npm = await startReplayServer([
    { request: { method: 'GET', path: '/gone-pkg/1.0.0' }, response: { status: 404, body: { error: 'Not found' } } },
    { request: { method: 'GET', path: '/-/ping' }, response: { status: 200, body: {} } },
  ]);
  github = await startReplayServer([
    { request: { method: 'GET', path: '/repos/octo/fresh/issues' }, response: { status: 200, body: [] } },
    { request: { method: 'POST', path: '/repos/octo/fresh/issues' }, response: { status: 201, body: { number: 1 } } },
  ]);
  work = mkdtempSync(path.join(tmpdir(), 'health-cli-'));
});

afterAll(async () => {
  repo.remove();
  rmSync(work, { recursive: true, force: true });
  await Promise.all([npm.close(), github.close()]);
});

describe('npm run health on a new registry', () => {
  it('dry-runs the first nights, waits for failures in a row, then opens one issue', async () => {
    const state = path.join(work, 'state.json');
    const night = () =>
      runScript(
        'health.ts',
        ['--issues', 'octo/fresh', '--state', state, '--dry-run-first', '2', '--failures-before-issue', '2'],
        {
          REGISTRY_DATA: path.join(repo.dir, 'registry-data'),
          NPM_REGISTRY_URL: npm.baseUrl,
          GITHUB_API_URL: github.baseUrl,
          GITHUB_TOKEN: 't',
          GITHUB_STEP_SUMMARY: path.join(work, 'summary.md'),
        },
      );
    const first = await night();
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/health: 1 servers checked: 0 ok, 1 broken, 0 unknown/);
    expect(first.stdout).toMatch(/dry run, nothing written: would have created \[\]/);
    expect(first.stdout).toMatch(/waiting for 2 failed runs \[io\.github\.alice\/weather 1\]/);

    const second = await night();
    expect(second.stdout).toMatch(/dry run, nothing written: would have created \[io\.github\.alice\/weather\]/);
    expect(github.requests.filter((r) => r.method === 'POST')).toEqual([]);

    const third = await night();
    expect(third.stdout).toMatch(/health: created \[io\.github\.alice\/weather\]/);
    const posts = github.requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => (r.body as { title: string }).title)).toEqual([`Health check failing: ${NAME}`]);

    const saved = JSON.parse(readFileSync(state, 'utf8')) as {
      runs: number;
      failing: Record<string, { failures: number }>;
    };
    expect(saved.runs).toBe(3);
    expect(saved.failing[NAME]!.failures).toBe(3);
    const summary = readFileSync(path.join(work, 'summary.md'), 'utf8');
    expect(summary).toMatch(/## Health check, run 1 \(dry run: no issue was written\)/);
    expect(summary).toMatch(
      /## Health check, run 3\n\n1 servers: 0 ok, 1 broken, 0 unknown\.\n\n- opened: `io\.github\.alice\/weather`/,
    );
    expect(github.unmatched).toEqual([]);
  });
});
