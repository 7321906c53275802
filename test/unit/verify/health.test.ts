/**
 * The health check against real loopback servers: an MCP endpoint (JSON and SSE answers), one
 * that wants auth, one that is not MCP, one that never answers; a replayed npm registry and
 * GitHub API; then the issue sync against recorded GitHub responses.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../../src/lib/github/client.ts';
import { syncHealthIssues } from '../../../src/lib/verify/health-issues.ts';
import type { ServerJson } from '../../../src/lib/schema/server.ts';
import { runHealth } from '../../../src/lib/verify/health.ts';
import type { HealthEnv, HealthTarget } from '../../../src/lib/verify/health.ts';
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
});

describe('syncHealthIssues', () => {
  it('creates one issue per newly broken server, edits open ones, closes recovered and unlisted ones', async () => {
    const server = await startReplayServer(loadFixture('health-issues'));
    try {
      const octokit = createGitHubClient({ token: 't', baseUrl: server.baseUrl });
      const broken = (name: string) => ({
        name,
        version: '1.0.0',
        problems: [
          {
            code: 'health-remote' as const,
            severity: 'error' as const,
            file: 'f',
            path: '$.remotes[0].url',
            message: 'HTTP 404 <b>',
            hint: 'fix it',
          },
        ],
      });
      const outcome = await syncHealthIssues(
        octokit,
        'octo',
        'registry',
        [
          broken('io.github.alice/new-broken'),
          broken('io.github.alice/still-broken'),
          { name: 'io.github.alice/recovered', version: '1.0.0', problems: [] },
          { name: 'io.github.alice/fine', version: '1.0.0', problems: [] },
        ],
        new Set([
          'io.github.alice/new-broken',
          'io.github.alice/still-broken',
          'io.github.alice/recovered',
          'io.github.alice/fine',
        ]),
      );
      expect(server.unmatched).toEqual([]);
      expect(outcome).toEqual({
        created: ['io.github.alice/new-broken'],
        updated: ['io.github.alice/still-broken'],
        closed: ['io.github.alice/recovered', 'io.github.alice/removed'],
      });
      const created = server.requests.find((r) => r.method === 'POST' && r.path === '/repos/octo/registry/issues')!
        .body as { title: string; body: string; labels: string[] };
      expect(created.title).toBe('Health check failing: io.github.alice/new-broken');
      expect(created.labels).toEqual(['health']);
      expect(created.body).toContain('<!-- mcp-index-health:io.github.alice/new-broken -->');
      expect(created.body).toContain('HTTP 404 &lt;b&gt;');
      expect(
        server.requests.find((r) => r.path === '/repos/octo/registry/issues/11' && r.method === 'PATCH')!.body,
      ).toEqual({ state: 'closed', state_reason: 'completed' });
    } finally {
      await server.close();
    }
  });
});
