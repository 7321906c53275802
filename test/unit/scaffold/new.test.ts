/** `npm run new` as a subprocess on real project folders, then check-pr on what it wrote. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { detectProject, normaliseRepositoryUrl } from '../../../src/lib/scaffold/detect.ts';
import { askUntilValid, resolveAnswers } from '../../../src/lib/scaffold/scaffold.ts';
import { validateManifestText } from '../../../src/lib/validate/manifest.ts';
import { PrRepo, runScript } from '../pr/pr-repo.ts';
import { startReplayServer } from '../../support/replay-server.ts';
import type { ReplayServer } from '../../support/replay-server.ts';

const repos: PrRepo[] = [];
afterEach(() => repos.splice(0).forEach((repo) => repo.remove()));

/** The npm registry `npm run new` asks whether a version is already published. */
let npm: ReplayServer;
beforeAll(async () => {
  npm = await startReplayServer([
    { request: { method: 'GET', path: '/@alice%2fweather-mcp/1.2.3' }, response: { status: 404, body: {} } },
    {
      request: { method: 'GET', path: '/@alice%2fold-mcp/2.0.0' },
      response: { status: 200, body: { name: '@alice/old-mcp', version: '2.0.0' } },
    },
    {
      request: { method: 'GET', path: '/@alice%2fdone-mcp/3.0.0' },
      response: { status: 200, body: { name: '@alice/done-mcp', version: '3.0.0', mcpName: 'io.github.alice/done' } },
    },
  ]);
});
afterAll(() => npm.close());

const runNew = (args: string[], env: Record<string, string> = {}) =>
  runScript('new.ts', args, { NPM_REGISTRY_URL: npm.baseUrl, ...env });

function registryRepo(): PrRepo {
  const repo = new PrRepo();
  repos.push(repo);
  repo.addServer('io.github.someone/else', '1.0.0');
  repo.commitAll('base');
  repo.write('project/README.md', '# my server\n');
  return repo;
}

describe('npm run new', () => {
  it('scaffolds from package.json, writes only the version file, prints next steps, and check-pr accepts it', async () => {
    const repo = registryRepo();
    repo.write('project/package.json', {
      name: '@alice/weather-mcp',
      version: '1.2.3',
      description: 'Weather forecasts for MCP clients',
      repository: { type: 'git', url: 'git+https://github.com/alice/weather-mcp.git' },
      mcpName: 'io.github.alice/weather',
    });
    const result = await runNew(
      [path.join(repo.dir, 'project'), '--data', path.join(repo.dir, 'registry-data'), '--non-interactive'],
      {},
    );
    expect(result.stderr).not.toMatch(/error/);
    expect(result.status).toBe(0);
    const file = 'registry-data/servers/io.github.alice/weather/versions/1.2.3.json';
    const text = readFileSync(path.join(repo.dir, file), 'utf8');
    expect(JSON.parse(text)).toEqual({
      $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
      name: 'io.github.alice/weather',
      description: 'Weather forecasts for MCP clients',
      repository: { url: 'https://github.com/alice/weather-mcp', source: 'github' },
      version: '1.2.3',
      packages: [
        {
          registryType: 'npm',
          registryBaseUrl: 'https://registry.npmjs.org',
          identifier: '@alice/weather-mcp',
          version: '1.2.3',
          transport: { type: 'stdio' },
        },
      ],
    });
    expect(validateManifestText(text, file).problems).toEqual([]);
    expect(repo.git('status', '--porcelain', '--', 'registry-data')).toBe(
      '?? registry-data/servers/io.github.alice/\n',
    );
    expect(result.stdout).toMatch(/Next steps:\n\s+1\. Make sure @alice\/weather-mcp@1\.2\.3 is published/);
    expect(result.stdout).toContain('npm run check-pr -- --base origin/main');

    const check = await runScript(
      'check-pr.ts',
      ['--repo', repo.dir, '--base', 'main', '--author', 'alice', '--offline', '--format', 'json'],
      {},
    );
    const report = JSON.parse(check.stdout) as { ok: boolean; newServers: string[]; problems: { severity: string }[] };
    expect(report.ok).toBe(true);
    expect(report.newServers).toEqual(['io.github.alice/weather']);
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);

    const again = await runNew(
      [
        path.join(repo.dir, 'project'),
        '--data',
        path.join(repo.dir, 'registry-data'),
        '--non-interactive',
        '--description',
        'changed',
      ],
      {},
    );
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/version-immutable[\s\S]*already exists/);
    expect(readFileSync(path.join(repo.dir, file), 'utf8')).toBe(text);
  });

  it('scaffolds a PyPI package from pyproject.toml and names it after the GitHub repository', async () => {
    const repo = registryRepo();
    repo.write(
      'project/pyproject.toml',
      '[project]\nname = "alice-tides"\nversion = "0.3.0"\ndescription = "Tide tables"\n\n[project.urls]\nRepository = "https://github.com/alice/tides"\n',
    );
    const result = await runNew(
      [path.join(repo.dir, 'project'), '--data', path.join(repo.dir, 'registry-data'), '--non-interactive'],
      {},
    );
    expect(result.status).toBe(0);
    const manifest = JSON.parse(
      readFileSync(path.join(repo.dir, 'registry-data/servers/io.github.alice/tides/versions/0.3.0.json'), 'utf8'),
    );
    expect(manifest.packages).toEqual([
      {
        registryType: 'pypi',
        registryBaseUrl: 'https://pypi.org',
        identifier: 'alice-tides',
        version: '0.3.0',
        transport: { type: 'stdio' },
      },
    ]);
    expect(result.stdout).toContain('Put "mcp-name: io.github.alice/tides" in the README');
  });

  it('reads the server name label from a Dockerfile and needs the image', async () => {
    const repo = registryRepo();
    repo.write(
      'project/Dockerfile',
      'FROM node:24\nLABEL io.modelcontextprotocol.server.name="io.github.alice/boat"\n',
    );
    const data = path.join(repo.dir, 'registry-data');
    const missing = await runNew(
      [
        path.join(repo.dir, 'project'),
        '--data',
        data,
        '--non-interactive',
        '--version',
        '2.0.0',
        '--description',
        'Boats',
      ],
      {},
    );
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/missing --identifier/);
    const ok = await runNew(
      [
        path.join(repo.dir, 'project'),
        '--data',
        data,
        '--non-interactive',
        '--version',
        '2.0.0',
        '--description',
        'Boats',
        '--identifier',
        'ghcr.io/alice/boat:2.0.0',
      ],
      {},
    );
    expect(ok.status).toBe(0);
    const manifest = JSON.parse(
      readFileSync(path.join(data, 'servers/io.github.alice/boat/versions/2.0.0.json'), 'utf8'),
    );
    expect(manifest.packages[0]).toEqual({
      registryType: 'oci',
      identifier: 'ghcr.io/alice/boat:2.0.0',
      transport: { type: 'stdio' },
    });
  });

  it('without a terminal, names every missing value and writes nothing; invalid values are refused before writing', async () => {
    const repo = registryRepo();
    const data = path.join(repo.dir, 'registry-data');
    const missing = await runNew([path.join(repo.dir, 'project'), '--data', data], {});
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/missing --name, --description, --version/);
    const invalid = await runNew(
      [
        path.join(repo.dir, 'project'),
        '--data',
        data,
        '--name',
        'io.github.alice/x',
        '--version',
        '1.0.0',
        '--description',
        'x'.repeat(101),
      ],
      {},
    );
    expect(invalid.status).toBe(1);
    expect(invalid.stderr).toMatch(/\$\.description/);
    expect(invalid.stderr).toMatch(/new: nothing was written; fix it with --description and run it again\n$/);
    expect(repo.git('status', '--porcelain', '--', 'registry-data')).toBe('');
  });

  it('knows when the npm version is already published, and says to bump it or that nothing is left to publish', async () => {
    const repo = registryRepo();
    const scaffold = async (pkg: Record<string, unknown>) => {
      repo.write('project/package.json', pkg);
      return runNew([
        path.join(repo.dir, 'project'),
        '--data',
        path.join(repo.dir, 'registry-data'),
        '--non-interactive',
      ]);
    };
    const old = await scaffold({
      name: '@alice/old-mcp',
      version: '2.0.0',
      description: 'Old server',
      mcpName: 'io.github.alice/old',
    });
    expect(old.status).toBe(0);
    expect(old.stdout).toContain(
      '@alice/old-mcp@2.0.0 is already on npm without "mcpName", and a published npm version cannot change: add "mcpName": "io.github.alice/old" to package.json, bump the version (npm version patch), publish it',
    );
    const done = await scaffold({
      name: '@alice/done-mcp',
      version: '3.0.0',
      description: 'Done',
      mcpName: 'io.github.alice/done',
    });
    expect(done.stdout).toContain(
      '@alice/done-mcp@3.0.0 is already on npm with "mcpName": "io.github.alice/done": nothing to publish.',
    );
    expect(npm.unmatched).toEqual([]);
  });

  it('warns when --name differs from the package mcpName, and takes --env NAME[:secret]', async () => {
    const repo = registryRepo();
    repo.write('project/package.json', {
      name: '@alice/weather-mcp',
      version: '1.2.3',
      description: 'Weather forecasts for MCP clients',
      mcpName: 'io.github.alice/weather',
    });
    const result = await runNew([
      path.join(repo.dir, 'project'),
      '--data',
      path.join(repo.dir, 'registry-data'),
      '--non-interactive',
      '--name',
      'io.github.alice/forecast',
      '--env',
      'WEATHER_API_KEY:secret',
      '--env',
      'REGION',
    ]);
    expect(result.stderr).toContain(
      `warning: --name io.github.alice/forecast differs from package.json's "mcpName": "io.github.alice/weather"; the npm ownership check needs them equal`,
    );
    const written = JSON.parse(
      readFileSync(path.join(repo.dir, 'registry-data/servers/io.github.alice/forecast/versions/1.2.3.json'), 'utf8'),
    ) as { packages: { environmentVariables: unknown }[] };
    expect(written.packages[0]!.environmentVariables).toEqual([
      { name: 'WEATHER_API_KEY', isRequired: true, isSecret: true },
      { name: 'REGION', isRequired: true },
    ]);
    const bad = await runNew([path.join(repo.dir, 'project'), '--env', 'not a name']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^error: --env "not a name": use NAME or NAME:secret/);
  });
});

describe('detection and answers', () => {
  it('prefers a pyproject Source or Repository URL over a Homepage that is a docs site', async () => {
    const repo = registryRepo();
    repo.write(
      'project/pyproject.toml',
      '[project]\nname = "tides"\nversion = "1.0.0"\n[project.urls]\nHomepage = "https://github.com/alice/tides-docs"\nSource = "https://github.com/alice/tides"\n',
    );
    const facts = await detectProject(path.join(repo.dir, 'project'));
    expect(facts.repositoryUrl).toBe('https://github.com/alice/tides');
    expect(facts.serverName).toBe('io.github.alice/tides');
  });

  it('on a terminal, asks again for an answer that does not validate', async () => {
    const facts = { declaresName: false, warnings: [] };
    const replies = ['A description that fits'];
    const asked: string[] = [];
    const answers = await askUntilValid(
      { name: 'io.github.alice/tides', version: '1.0.0', description: 'x'.repeat(124) },
      facts,
      async (question) => {
        asked.push(question);
        return replies.shift() ?? '';
      },
    );
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatch(/^description is not valid \(.+\); enter it again$/);
    expect(answers.description).toBe('A description that fits');
  });

  it('normalises repository URLs as npm writes them', () => {
    expect(normaliseRepositoryUrl('git+https://github.com/a/b.git')).toBe('https://github.com/a/b');
    expect(normaliseRepositoryUrl('github:a/b')).toBe('https://github.com/a/b');
    expect(normaliseRepositoryUrl('a/b')).toBe('https://github.com/a/b');
    expect(normaliseRepositoryUrl('git@gitlab.com:a/b.git')).toBe('https://gitlab.com/a/b');
    expect(normaliseRepositoryUrl('https://example.com/a/b')).toBeUndefined();
  });

  it('asks only for what neither flags nor files provide', async () => {
    const repo = registryRepo();
    writeFileSync(path.join(repo.dir, 'project/package.json'), JSON.stringify({ name: 'x', version: '1.0.0' }));
    const asked: string[] = [];
    const replies = ['io.github.alice/x', 'An answer'];
    const answers = await resolveAnswers({}, await detectProject(path.join(repo.dir, 'project')), async (question) => {
      asked.push(question.split(' ')[0]!);
      return replies.shift() ?? '';
    });
    expect(asked).toEqual(['Server', 'One-line']);
    expect(answers).toMatchObject({
      name: 'io.github.alice/x',
      description: 'An answer',
      version: '1.0.0',
      identifier: 'x',
    });
  });
});
