import { beforeAll, describe, expect, it } from 'vitest';
import { apiPathProblems } from '../../../src/lib/registry/api-paths.ts';
import { factsFile, versionFile } from '../../../src/lib/registry/layout.ts';
import { loadRegistryFromFiles } from '../../../src/lib/registry/load.ts';
import type { ServerRecord } from '../../../src/lib/registry/model.ts';
import type { SourceFile } from '../../../src/lib/registry/source.ts';
import { CURRENT_SCHEMA_URL } from '../../../src/lib/schema/server.ts';
import { apiTestRegistry, ODD_SERVER } from '../api/support/registry.ts';

let servers: ServerRecord[];
beforeAll(async () => {
  servers = (await apiTestRegistry()).servers;
});

describe('apiPathProblems', () => {
  it('accepts the API test registry, awkward versions included', () => {
    expect(apiPathProblems(servers)).toEqual([]);
  });

  it('reports versions that cannot be a path, naming the version file', () => {
    const record = servers.find((server) => server.name === ODD_SERVER)!;
    const withVersions = (...versions: string[]): ServerRecord[] => [
      {
        ...record,
        versions: versions.map((version) => ({
          ...record.versions[0]!,
          file: `file of ${version}`,
          server: { ...record.versions[0]!.server, version },
        })),
      },
    ];
    const problems = apiPathProblems(withVersions('1.0', '1.0/beta', 'index.json', '../x', 'a//b'));
    expect(problems.map((problem) => `${problem.code} ${problem.path} ${problem.file}`)).toEqual([
      'api-unservable-path $.version file of 1.0/beta',
      'api-unservable-path $.version file of index.json',
      'api-unservable-path $.version file of ../x',
      'api-unservable-path $.version file of a//b',
    ]);
    expect(problems[0]!.hint).toMatch(/"1\.0\/beta"/);
    expect(apiPathProblems(withVersions('2.0/beta'))).toEqual([]);
  });
});

describe('loading a registry', () => {
  it('refuses a version named like an API file, at its line in the manifest', () => {
    const name = 'io.github.paths/clash';
    const files: SourceFile[] = ['1.0', 'index.json'].map((version) => ({
      path: versionFile(name, version),
      text: JSON.stringify(
        {
          $schema: CURRENT_SCHEMA_URL,
          name,
          description: 'Clashing versions.',
          version,
          remotes: [{ type: 'sse', url: 'https://clash.example.com/sse' }],
        },
        null,
        2,
      ),
    }));
    const facts = { status: 'active', publishedAt: '2025-10-01T00:00:00Z', updatedAt: '2025-10-01T00:00:00Z' };
    files.push({
      path: factsFile(name),
      text: JSON.stringify({ versions: { '1.0': facts, 'index.json': facts }, curation: { categories: [], tags: [] } }),
    });

    const { problems } = loadRegistryFromFiles(files);
    const unservable = problems.filter((problem) => problem.code === 'api-unservable-path');
    expect(unservable).toEqual([
      expect.objectContaining({ severity: 'error', file: versionFile(name, 'index.json'), path: '$.version', line: 5 }),
    ]);
  });
});
