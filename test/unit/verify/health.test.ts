/**
 * The health check against real loopback servers: an MCP endpoint (JSON and SSE answers), one
 * that wants auth, one that is not MCP, one that never answers; a replayed npm registry and
 * GitHub API; then the issue sync against recorded GitHub responses.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../../src/lib/github/client.ts';
import {
  advanceHealthState,
  DEFAULT_HEALTH_POLICY,
  emptyHealthState,
  parseHealthState,
  serializeHealthState,
  syncHealthIssues,
} from '../../../src/lib/verify/health-issues.ts';
import type { HealthState } from '../../../src/lib/verify/health-issues.ts';
import type { ServerJson } from '../../../src/lib/schema/server.ts';
import { runHealth, verdict } from '../../../src/lib/verify/health.ts';
import type { HealthEnv, HealthResult, HealthTarget } from '../../../src/lib/verify/health.ts';
import { DEFAULT_REGISTRIES } from '../../../src/lib/verify/packages.ts';
import { loadFixture, startReplayServer } from '../../support/replay-server.ts';
import type { ReplayServer } from '../../support/replay-server.ts';

let mcp: http.Server;
let mcpUrl: string;
let npm: ReplayServer;
let github: ReplayServer;
let env: HealthEnv;

beforeAll(async () => {
  mcp = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const initialize = req.method === 'POST' && body.includes('"method":"initialize"');
      const answer = JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        result: { protocolVersion: '2025-06-18', capabilities: {}, serverInfo: { name: 't', version: '1' } },
      });
      if (req.url === '/json' && initialize) res.writeHead(200, { 'content-type': 'application/json' }).end(answer);
      else if (req.url === '/stream' && initialize)
        res.writeHead(200, { 'content-type': 'text/event-stream' }).write(`event: message\ndata: ${answer}\n\n`); // stays open
      else if (req.url === '/auth') res.writeHead(401, { 'www-authenticate': 'Bearer resource_metadata="x"' }).end();
      else if (req.url === '/html') res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>');
      else if (req.url === '/events' && req.method === 'GET')
        res.writeHead(200, { 'content-type': 'text/event-stream' }).write(': hi\n\n');
      else if (req.url === '/hang')
        return; // never answers
      else res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => mcp.listen(0, '127.0.0.1', resolve));
  mcpUrl = `http://127.0.0.1:${(mcp.address() as AddressInfo).port}`;
  npm = await startReplayServer([
    {
      request: { method: 'GET', path: '/alive/1.0.0' },
      response: { status: 200, body: { name: 'alive', version: '1.0.0' } },
    },
    { request: { method: 'GET', path: '/gone-pkg/1.0.0' }, response: { status: 404, body: { error: 'Not found' } } },
    { request: { method: 'GET', path: '/flaky-pkg/1.0.0' }, response: { status: 502, bodyText: 'Bad gateway' } },
    { request: { method: 'GET', path: '/-/ping' }, response: { status: 200, body: {} } },
  ]);
  github = await startReplayServer(loadFixture('health-repos'));
  env = {
    packages: { ...DEFAULT_REGISTRIES, npm: npm.baseUrl },
    github: createGitHubClient({ token: 't', baseUrl: github.baseUrl }),
    timeoutMs: 2_000,
    concurrency: 3,
  };
});

afterAll(async () => {
  mcp.closeAllConnections();
  await Promise.all([new Promise((r) => mcp.close(r)), npm.close(), github.close()]);
});

function target(name: string, extra: Partial<ServerJson>): HealthTarget {
  return {
    name,
    version: '1.0.0',
    file: `registry-data/servers/${name}/versions/1.0.0.json`,
    server: { name, description: 'd', version: '1.0.0', ...extra },
  };
}
const remote = (path: string, type: 'streamable-http' | 'sse' = 'streamable-http') => ({
  remotes: [{ type, url: `${mcpUrl}${path}` }],
});

describe('runHealth', () => {
  it('accepts live MCP endpoints (JSON, SSE, auth-protected, templated) and reports dead, non-MCP and silent ones', async () => {
    const results = await runHealth(
      [
        target('a/json', remote('/json')),
        target('a/stream', remote('/stream')),
        target('a/auth', remote('/auth')),
        target('a/events', remote('/events', 'sse')),
        target('a/templated', {
          remotes: [{ type: 'streamable-http', url: 'https://{tenant}.example.com/mcp', variables: { tenant: {} } }],
        }),
        target('b/missing', remote('/nothing')),
        target('b/html', remote('/html')),
        target('b/hang', remote('/hang')),
      ],
      env,
    );
    expect(results.map((r) => [r.name, r.problems.map((p) => `${p.code} ${p.message.replace(mcpUrl, '')}`)])).toEqual([
      ['a/auth', []],
      ['a/events', []],
      ['a/json', []],
      ['a/stream', []],
      ['a/templated', []],
      ['b/hang', ['health-remote /hang: timed out after 2000 ms']],
      ['b/html', ['health-remote /html: the answer to initialize is not a JSON-RPC response']],
      ['b/missing', ['health-remote /nothing: HTTP 404']],
    ]);
  });

  it('reports a package that disappeared and an archived or deleted repository', async () => {
    const npmPkg = (identifier: string) => ({
      packages: [{ registryType: 'npm', identifier, version: '1.0.0', transport: { type: 'stdio' as const } }],
    });
    const repo = (name: string) => ({ repository: { url: `https://github.com/alice/${name}`, source: 'github' } });
    const results = await runHealth(
      [
        target('c/ok', { ...npmPkg('alive'), ...repo('fine') }),
        target('c/gone', npmPkg('gone-pkg')),
        target('c/archived', repo('archived')),
        target('c/deleted', repo('deleted')),
      ],
      env,
    );
    expect(results.map((r) => [r.name, r.problems.map((p) => `${p.code} ${p.severity}`)])).toEqual([
      ['c/archived', ['health-repository warning']],
      ['c/deleted', ['health-repository warning']],
      ['c/gone', ['health-package-missing error']],
      ['c/ok', []],
    ]);
    expect(github.unmatched).toEqual([]);
  });

  it('counts a GitHub outage and a package registry that fails as unknown, never as healthy or broken', async () => {
    const results = await runHealth(
      [
        target('d/outage', { repository: { url: 'https://github.com/alice/outage', source: 'github' } }),
        target('d/flaky', {
          packages: [{ registryType: 'npm', identifier: 'flaky-pkg', version: '1.0.0', transport: { type: 'stdio' } }],
        }),
      ],
      env,
    );
    expect(results.map((r) => [r.name, verdict(r), r.problems.length])).toEqual([
      ['d/flaky', 'unknown', 0],
      ['d/outage', 'unknown', 0],
    ]);
    expect(results[1]!.unknown[0]).toMatch(/^GitHub did not answer for https:\/\/github\.com\/alice\/outage: /);
  });

  it('counts unreachable remotes as unknown when our own network is down, and HTTP answers as broken anyway', async () => {
    const refused = 'http://127.0.0.1:1/mcp'; // nothing listens on port 1
    const targets = [
      target('e/refused', { remotes: [{ type: 'streamable-http', url: refused }] }),
      target('e/html', remote('/html')),
    ];
    const down = await runHealth(targets, { ...env, canaries: ['http://127.0.0.1:1/-/ping'] });
    expect(down.map((r) => [r.name, verdict(r)])).toEqual([
      ['e/html', 'broken'],
      ['e/refused', 'unknown'],
    ]);
    expect(down[1]!.unknown[0]).toMatch(/our network was down during the run/);
    const up = await runHealth(targets, { ...env, canaries: [`${npm.baseUrl}/-/ping`] });
    expect(up.map((r) => [r.name, verdict(r)])).toEqual([
      ['e/html', 'broken'],
      ['e/refused', 'broken'],
    ]);
  });
});

const broken = (name: string): HealthResult => ({
  name,
  version: '1.0.0',
  unknown: [],
  problems: [
    {
      code: 'health-remote',
      severity: 'error',
      file: 'f',
      path: '$.remotes[0].url',
      message: 'HTTP 404 <b>',
      hint: 'fix it',
    },
  ],
});
const ok = (name: string): HealthResult => ({ name, version: '1.0.0', problems: [], unknown: [] });
const unknown = (name: string): HealthResult => ({
  name,
  version: '1.0.0',
  problems: [],
  unknown: ['GitHub did not answer'],
});

/** A state in which each named server has failed that many runs in a row, since 2026-01-0N. */
const failing = (counts: Record<string, number>): HealthState => ({
  runs: 5,
  failing: new Map(
    Object.entries(counts).map(([name, failures]) => [name, { failures, since: `2026-01-0${failures}T03:17:00.000Z` }]),
  ),
});

describe('the health state between runs', () => {
  it('counts consecutive failures, clears them on success, and leaves unknown servers as they were', () => {
    let state = emptyHealthState();
    state = advanceHealthState(state, [broken('a'), broken('b'), ok('c')], '2026-01-01T03:17:00.000Z');
    state = advanceHealthState(state, [broken('a'), unknown('b'), ok('c')], '2026-01-02T03:17:00.000Z');
    state = advanceHealthState(state, [broken('a'), broken('b'), broken('c')], '2026-01-03T03:17:00.000Z');
    expect(state.runs).toBe(3);
    expect(Object.fromEntries(state.failing)).toEqual({
      a: { failures: 3, since: '2026-01-01T03:17:00.000Z' },
      b: { failures: 2, since: '2026-01-01T03:17:00.000Z' },
      c: { failures: 1, since: '2026-01-03T03:17:00.000Z' },
    });
    state = advanceHealthState(state, [ok('a')], '2026-01-04T03:17:00.000Z');
    expect([...state.failing.keys()]).toEqual(['b', 'c']);
  });

  it('is written deterministically and read back; a damaged file is an error naming it', () => {
    const text = serializeHealthState(failing({ 'z/one': 1, 'a/two': 2 }));
    expect(text).toBe(serializeHealthState(parseHealthState(text, 'state.json')));
    expect(Object.keys(JSON.parse(text).failing)).toEqual(['a/two', 'z/one']);
    expect(() => parseHealthState('{', 'health.json')).toThrow(
      /^health\.json is not JSON .*delete it to start counting again$/,
    );
    expect(() => parseHealthState('{"runs":"x"}', 'health.json')).toThrow(/health\.json is not a health state file/);
  });
});

describe('syncHealthIssues', () => {
  it('creates one issue per newly broken server, edits open ones, closes recovered and unlisted ones', async () => {
    const server = await startReplayServer(loadFixture('health-issues'));
    try {
      const octokit = createGitHubClient({ token: 't', baseUrl: server.baseUrl });
      const outcome = await syncHealthIssues(
        octokit,
        'octo',
        'registry',
        [
          broken('io.github.alice/new-broken'),
          broken('io.github.alice/still-broken'),
          ok('io.github.alice/recovered'),
          ok('io.github.alice/fine'),
        ],
        new Set([
          'io.github.alice/new-broken',
          'io.github.alice/still-broken',
          'io.github.alice/recovered',
          'io.github.alice/fine',
        ]),
        failing({ 'io.github.alice/new-broken': 3, 'io.github.alice/still-broken': 4 }),
      );
      expect(server.unmatched).toEqual([]);
      expect(outcome).toEqual({
        created: ['io.github.alice/new-broken'],
        updated: ['io.github.alice/still-broken'],
        closed: ['io.github.alice/recovered', 'io.github.alice/removed'],
        waiting: [],
        capped: [],
        unknown: [],
        dryRun: false,
      });
      const created = server.requests.find((r) => r.method === 'POST' && r.path === '/repos/octo/registry/issues')!
        .body as { title: string; body: string; labels: string[] };
      expect(created.title).toBe('Health check failing: io.github.alice/new-broken');
      expect(created.labels).toEqual(['health']);
      expect(created.body).toContain('<!-- mcp-index-health:io.github.alice/new-broken -->');
      expect(created.body).toContain('HTTP 404 &lt;b&gt;');
      expect(created.body).toContain('failing since 2026-01-03');
      expect(
        server.requests.find((r) => r.path === '/repos/octo/registry/issues/11' && r.method === 'PATCH')!.body,
      ).toEqual({ state: 'closed', state_reason: 'completed' });
    } finally {
      await server.close();
    }
  });
});

describe('syncHealthIssues on a new registry', () => {
  const LIST = { request: { method: 'GET', path: '/repos/octo/fresh/issues' }, response: { status: 200, body: [] } };

  it('opens nothing before enough failed runs, and at most the cap per run, the longest-failing first', async () => {
    const server = await startReplayServer([
      LIST,
      { request: { method: 'POST', path: '/repos/octo/fresh/issues' }, response: { status: 201, body: { number: 1 } } },
    ]);
    try {
      const names = ['a/new', 'b/three', 'c/five', 'd/four'];
      const outcome = await syncHealthIssues(
        createGitHubClient({ token: 't', baseUrl: server.baseUrl }),
        'octo',
        'fresh',
        names.map(broken),
        new Set(names),
        failing({ 'a/new': 1, 'b/three': 3, 'c/five': 5, 'd/four': 4 }),
        { ...DEFAULT_HEALTH_POLICY, maxNewIssues: 2 },
      );
      expect(outcome.created).toEqual(['c/five', 'd/four']);
      expect(outcome.capped).toEqual(['b/three']);
      expect(outcome.waiting).toEqual([{ name: 'a/new', failures: 1 }]);
      expect(
        server.requests.filter((r) => r.method === 'POST').map((r) => (r.body as { title: string }).title),
      ).toEqual(['Health check failing: c/five', 'Health check failing: d/four']);
      expect(server.unmatched).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('writes nothing to GitHub in a dry run, and leaves the issue of an unknown server open', async () => {
    const fixture = loadFixture('health-issues').filter((e) => e.request.method === 'GET');
    const server = await startReplayServer(fixture);
    try {
      const outcome = await syncHealthIssues(
        createGitHubClient({ token: 't', baseUrl: server.baseUrl }),
        'octo',
        'registry',
        [
          broken('io.github.alice/new-broken'),
          unknown('io.github.alice/still-broken'),
          ok('io.github.alice/recovered'),
        ],
        new Set(['io.github.alice/new-broken', 'io.github.alice/still-broken', 'io.github.alice/recovered']),
        failing({ 'io.github.alice/new-broken': 3 }),
        { ...DEFAULT_HEALTH_POLICY, dryRun: true },
      );
      expect(outcome).toMatchObject({
        dryRun: true,
        created: ['io.github.alice/new-broken'],
        updated: [],
        closed: ['io.github.alice/recovered', 'io.github.alice/removed'],
        unknown: ['io.github.alice/still-broken'],
      });
      expect(server.requests.map((r) => r.method)).toEqual(['GET']);
      expect(server.unmatched).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
