/** `npm run new` as a subprocess on real project folders, then check-pr on what it wrote. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectProject, normaliseRepositoryUrl } from '../../../src/lib/scaffold/detect.ts';
import { resolveAnswers } from '../../../src/lib/scaffold/scaffold.ts';
import { validateManifestText } from '../../../src/lib/validate/manifest.ts';
import { PrRepo, runScript } from '../pr/pr-repo.ts';

const repos: PrRepo[] = [];
afterEach(() => repos.splice(0).forEach((repo) => repo.remove()));

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
    const result = await runScript(
      'new.ts',
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

    const again = await runScript(
      'new.ts',
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
    const result = await runScript(
      'new.ts',
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
    const missing = await runScript(
      'new.ts',
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
    const ok = await runScript(
      'new.ts',
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
    const missing = await runScript('new.ts', [path.join(repo.dir, 'project'), '--data', data], {});
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/missing --name, --description, --version/);
    const invalid = await runScript(
      'new.ts',
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
    expect(repo.git('status', '--porcelain', '--', 'registry-data')).toBe('');
  });
});

describe('detection and answers', () => {
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
