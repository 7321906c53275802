/**
 * check-pr end to end: real git repositories (main + a PR branch), the real CLI as a subprocess,
 * GitHub replayed from recorded responses, a loopback npm registry, a loopback DNS server and a
 * loopback well-known endpoint.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadFixture, startReplayServer } from '../../support/replay-server.ts';
import type { ReplayServer } from '../../support/replay-server.ts';
import { startDnsServer } from '../../support/dns-server.ts';
import type { DnsServer } from '../../support/dns-server.ts';
import { facts, manifest, PrRepo, runScript } from './pr-repo.ts';

const KEY = 'v=MCPv1; k=ed25519; p=MCowBQYDK2VwAyEAq1Jx5mK2yq8hJ0b0Vq3c1Z6vS8nq2Y0aWl9b3Jk3rU0=';
const npmExchange = (path: string, body: Record<string, unknown>) => ({
  request: { method: 'GET', path },
  response: { status: 200, body },
});

let github: ReplayServer;
let npm: ReplayServer;
let web: ReplayServer;
let dns: DnsServer;
let env: Record<string, string>;
const repos: PrRepo[] = [];

beforeAll(async () => {
  github = await startReplayServer(loadFixture('org-membership'));
  npm = await startReplayServer([
    npmExchange('/alice-newsvc/1.0.0', { name: 'alice-newsvc', version: '1.0.0', mcpName: 'io.github.alice/newsvc' }),
    npmExchange('/@acme%2ftools/2.0.0', { name: '@acme/tools', version: '2.0.0', mcpName: 'io.github.acme/tools' }),
    npmExchange('/alice-unmarked/1.0.0', { name: 'alice-unmarked', version: '1.0.0' }),
  ]);
  web = await startReplayServer([
    {
      request: { method: 'GET', path: '/wellknown.dev/.well-known/mcp-registry-auth' },
      response: { status: 200, bodyText: `${KEY}\n` },
    },
  ]);
  dns = await startDnsServer({ 'example.com': ['google-site-verification=abc', KEY], 'nokey.org': ['v=spf1 -all'] });
  env = {
    GITHUB_API_URL: github.baseUrl,
    GITHUB_TOKEN: 'test-token',
    NPM_REGISTRY_URL: npm.baseUrl,
    MCP_DNS_SERVERS: dns.address,
    MCP_WELL_KNOWN_BASE: web.baseUrl,
  };
});

afterAll(async () => {
  await Promise.all([github.close(), npm.close(), web.close(), dns.close()]);
});

afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

function baseRepo(): PrRepo {
  const repo = new PrRepo();
  repos.push(repo);
  repo.write('.github/MAINTAINERS', '# registry maintainers\nmaint\n');
  repo.addServer('io.github.alice/weather', '1.0.0', {
    repository: { url: 'https://github.com/alice/weather', source: 'github' },
    packages: [{ registryType: 'npm', identifier: 'alice-weather', version: '1.0.0', transport: { type: 'stdio' } }],
  });
  repo.addServer('com.example/remote-svc', '1.0.0', {
    remotes: [{ type: 'streamable-http', url: 'https://mcp.example.com/mcp' }],
  });
  repo.addServer('io.github.modelcontextprotocol/everything', '1.0.0');
  repo.commitAll('base registry');
  repo.git('checkout', '-q', '-b', 'pr');
  return repo;
}

interface Report {
  ok: boolean;
  labels: string[];
  newServers: string[];
  problems: { code: string; severity: string; file: string; path: string; line?: number; hint: string }[];
}

async function check(
  repo: PrRepo,
  author: string,
  extra: string[] = [],
): Promise<{ status: number; report: Report; stderr: string }> {
  const result = await runScript(
    'check-pr.ts',
    ['--repo', repo.dir, '--base', 'main', '--author', author, '--format', 'json', ...extra],
    env,
  );
  return { status: result.status, report: JSON.parse(result.stdout) as Report, stderr: result.stderr };
}

const codes = (report: Report) => report.problems.filter((p) => p.severity === 'error').map((p) => p.code);

describe('check-pr on real git repositories', () => {
  it('passes a valid new server whose npm package names it (working tree, uncommitted)', async () => {
    const repo = baseRepo();
    repo.write(
      'registry-data/servers/io.github.alice/newsvc/versions/1.0.0.json',
      manifest('io.github.alice/newsvc', '1.0.0', {
        packages: [{ registryType: 'npm', identifier: 'alice-newsvc', version: '1.0.0', transport: { type: 'stdio' } }],
      }),
    );
    const { status, report, stderr } = await check(repo, 'alice');
    expect(stderr).toBe('');
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.newServers).toEqual(['io.github.alice/newsvc']);
    expect(report.labels).toEqual(['new-server']);
    expect(status).toBe(0);
  });

  it('passes a committed PR compared as refs (the CI mode), for an org member', async () => {
    const repo = baseRepo();
    repo.write(
      'registry-data/servers/io.github.acme/tools/versions/2.0.0.json',
      manifest('io.github.acme/tools', '2.0.0', {
        packages: [{ registryType: 'npm', identifier: '@acme/tools', version: '2.0.0', transport: { type: 'stdio' } }],
      }),
    );
    repo.commitAll('add acme tools');
    repo.git('checkout', '-q', 'main');
    const { status, report } = await check(repo, 'alice', ['--head', 'pr']);
    expect(report.problems).toEqual([]);
    expect(status).toBe(0);
  });

  it('counts changes from the fork point: versions merged on main meanwhile are not seen as deleted, but taking one is refused', async () => {
    const repo = baseRepo();
    repo.write(
      'registry-data/servers/io.github.alice/newsvc/versions/1.0.0.json',
      manifest('io.github.alice/newsvc', '1.0.0', {
        packages: [{ registryType: 'npm', identifier: 'alice-newsvc', version: '1.0.0', transport: { type: 'stdio' } }],
      }),
    );
    repo.commitAll('PR: add newsvc');
    repo.git('checkout', '-q', 'main');
    repo.addServer('io.github.alice/weather', '2.0.0');
    repo.commitAll('main moves on');
    repo.git('checkout', '-q', 'pr');
    expect((await check(repo, 'alice')).report.problems).toEqual([]);
    repo.write(
      'registry-data/servers/io.github.alice/weather/versions/2.0.0.json',
      manifest('io.github.alice/weather', '2.0.0'),
    );
    expect(codes((await check(repo, 'alice')).report)).toEqual(['version-immutable']);
  });

  it('refuses editing a published version (version-immutable), on the line of the file', async () => {
    const repo = baseRepo();
    repo.write(
      'registry-data/servers/io.github.alice/weather/versions/1.0.0.json',
      manifest('io.github.alice/weather', '1.0.0', { description: 'changed' }),
    );
    const { status, report } = await check(repo, 'alice');
    expect(codes(report)).toEqual(['version-immutable']);
    expect(report.problems[0]).toMatchObject({
      file: 'registry-data/servers/io.github.alice/weather/versions/1.0.0.json',
      line: 1,
    });
    expect(report.labels).toContain('invalid');
    expect(status).toBe(1);
  });

  it('refuses deleting a published version', async () => {
    const repo = baseRepo();
    repo.git('rm', '-q', 'registry-data/servers/com.example/remote-svc/versions/1.0.0.json');
    const { report } = await check(repo, 'maint');
    expect(codes(report)).toContain('version-immutable');
  });

  it('refuses a namespace the author does not own (namespace-github)', async () => {
    const repo = baseRepo();
    repo.write(
      'registry-data/servers/io.github.bob/thing/versions/1.0.0.json',
      manifest('io.github.bob/thing', '1.0.0'),
    );
    const { status, report } = await check(repo, 'alice');
    expect(codes(report)).toEqual(['namespace-github']);
    expect(report.problems[0]!.path).toBe('$.name');
    expect(report.problems[0]!.line).toBe(3);
    expect(report.labels).toEqual(['new-server', 'needs-owner']);
    expect(status).toBe(1);
  });

  it('refuses an npm package without the mcpName marker (package-ownership)', async () => {
    const repo = baseRepo();
    repo.write(
      'registry-data/servers/io.github.alice/unmarked/versions/1.0.0.json',
      manifest('io.github.alice/unmarked', '1.0.0', {
        packages: [
          { registryType: 'npm', identifier: 'alice-unmarked', version: '1.0.0', transport: { type: 'stdio' } },
        ],
      }),
    );
    const { report } = await check(repo, 'alice');
    expect(codes(report)).toEqual(['package-ownership']);
    expect(report.problems[0]!.path).toBe('$.packages[0].identifier');
  });

  it('refuses a remote URL already used by another server (duplicate-remote)', async () => {
    const repo = baseRepo();
    repo.write(
      'registry-data/servers/io.github.alice/mirror/versions/1.0.0.json',
      manifest('io.github.alice/mirror', '1.0.0', {
        remotes: [{ type: 'streamable-http', url: 'https://MCP.example.com/mcp/' }],
      }),
    );
    const { report } = await check(repo, 'alice');
    expect(codes(report)).toEqual(['duplicate-remote']);
    expect(report.labels).toContain('possible-impersonation');
  });

  it('refuses names that imitate an existing server (name-confusable, name-lookalike)', async () => {
    const repo = baseRepo();
    repo.write(
      'registry-data/servers/io.github.rnodelcontextprotocol/everything/versions/1.0.0.json',
      manifest('io.github.rnodelcontextprotocol/everything', '1.0.0'),
    );
    let result = await check(repo, 'rnodelcontextprotocol');
    expect(codes(result.report)).toEqual(['name-confusable']);
    repo.git('clean', '-fdq');
    repo.write(
      'registry-data/servers/io.github.modelcontextprotocoI/everything/versions/1.0.0.json',
      manifest('io.github.modelcontextprotocoI/everything', '1.0.0'),
    );
    result = await check(repo, 'modelcontextprotocoI');
    expect(codes(result.report)).toEqual(['name-confusable']);
    repo.git('clean', '-fdq');
    repo.write(
      'registry-data/servers/io.github.modelcontextprotocl/everything/versions/1.0.0.json',
      manifest('io.github.modelcontextprotocl/everything', '1.0.0'),
    );
    result = await check(repo, 'modelcontextprotocl');
    expect(codes(result.report)).toEqual(['name-lookalike']);
  });

  it('accepts reverse-DNS namespaces proven by a TXT record at the apex (subdomains included) or the well-known URL', async () => {
    const repo = baseRepo();
    repo.write(
      'registry-data/servers/com.example.api/svc/versions/1.0.0.json',
      manifest('com.example.api/svc', '1.0.0'),
    );
    repo.write('registry-data/servers/dev.wellknown/svc/versions/1.0.0.json', manifest('dev.wellknown/svc', '1.0.0'));
    repo.write('registry-data/servers/org.nokey/svc/versions/1.0.0.json', manifest('org.nokey/svc', '1.0.0'));
    const { report } = await check(repo, 'alice');
    expect(report.problems.map((p) => `${p.code} ${p.file}`)).toEqual([
      'namespace-dns registry-data/servers/org.nokey/svc/versions/1.0.0.json',
    ]);
    expect(dns.queries).toContain('api.example.com');
  });

  it('lets only the owner or a maintainer change registry.json, and never its timestamps', async () => {
    const repo = baseRepo();
    const file = 'registry-data/servers/io.github.alice/weather/registry.json';
    repo.write(file, facts(['1.0.0'], { curation: { categories: [], tags: [] } }));
    const deprecated = facts(['1.0.0']) as { versions: Record<string, Record<string, string>> };
    deprecated.versions['1.0.0']!.status = 'deprecated';
    repo.write(file, deprecated);
    expect((await check(repo, 'alice')).report.problems).toEqual([]);
    expect(codes((await check(repo, 'mallory')).report)).toEqual(['facts-need-owner']);
    expect((await check(repo, 'maint')).report.problems).toEqual([]);
    deprecated.versions['1.0.0']!.publishedAt = '2020-01-01T00:00:00Z';
    repo.write(file, deprecated);
    expect(codes((await check(repo, 'alice')).report)).toEqual(['facts-registry-managed']);
  });

  it('validates the manifest itself and reports the file path mismatch', async () => {
    const repo = baseRepo();
    repo.write(
      'registry-data/servers/io.github.alice/broken/versions/1.0.0.json',
      manifest('io.github.alice/broken', '1.0.1'),
    );
    const { report, status } = await check(repo, 'alice');
    expect(codes(report)).toContain('folder-mismatch');
    expect(status).toBe(1);
  });

  it('prints annotations in github format and explains usage errors without a stack trace', async () => {
    const repo = baseRepo();
    repo.write('registry-data/servers/io.github.alice/weather/versions/1.0.0.json', '{}\n');
    const github = await runScript(
      'check-pr.ts',
      ['--repo', repo.dir, '--base', 'main', '--author', 'alice', '--format', 'github'],
      env,
    );
    expect(github.stdout).toMatch(
      /^::error file=registry-data\/servers\/io\.github\.alice\/weather\/versions\/1\.0\.0\.json,line=1,col=1,title=version-immutable::/m,
    );
    const missing = await runScript('check-pr.ts', ['--repo', repo.dir, '--base', 'no-such-branch'], env);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/no-such-branch is not a commit/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });
});
