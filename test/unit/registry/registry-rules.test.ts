import { describe, expect, it } from 'vitest';
import { factsFile } from '../../../src/lib/registry/layout.ts';
import type { ManifestEntry } from '../../../src/lib/registry/registry-rules.ts';
import {
  checkDuplicateVersions,
  checkNameCaseCollisions,
  checkRegistryWide,
  checkSharedRemoteUrls,
  checkVersionCount,
  MAX_VERSIONS_PER_SERVER,
} from '../../../src/lib/registry/registry-rules.ts';
import type { ServerJson } from '../../../src/lib/schema/server.ts';

const entry = (
  name: string,
  version: string,
  extra: Partial<ServerJson> = {},
  facts: Partial<ManifestEntry> = {},
): ManifestEntry => ({
  file: `servers/${name}/versions/${version}.json`,
  server: { name, version, description: 'd', ...extra },
  status: 'active',
  publishedAt: '2025-10-01T00:00:00Z',
  ...facts,
});
const remote = (url: string): Partial<ServerJson> => ({ remotes: [{ type: 'streamable-http', url }] });

describe('duplicate-version', () => {
  it('passes distinct versions and reports a second copy of one', () => {
    expect(checkDuplicateVersions([entry('a.b/c', '1.0.0'), entry('a.b/c', '1.0.1'), entry('a.b/d', '1.0.0')])).toEqual(
      [],
    );
    const copy = { ...entry('a.b/c', '1.0.0'), file: 'servers/a.b/z/versions/1.0.0.json' };
    const problems = checkDuplicateVersions([entry('a.b/c', '1.0.0'), copy]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      code: 'duplicate-version',
      file: 'servers/a.b/z/versions/1.0.0.json',
      path: '$.version',
    });
    expect(problems[0]!.message).toContain('servers/a.b/c/versions/1.0.0.json');
  });
});

describe('name-case-collision', () => {
  it('passes different names and reports names equal but for case', () => {
    expect(checkNameCaseCollisions([entry('io.github.a/x', '1.0.0'), entry('io.github.a/y', '1.0.0')])).toEqual([]);
    const later = { publishedAt: '2025-12-01T00:00:00Z' };
    const problems = checkNameCaseCollisions([
      entry('io.github.a/x', '1.0.0'),
      entry('io.github.A/X', '1.0.0', {}, later),
      entry('io.github.a/x', '2.0.0', {}, later),
    ]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      code: 'name-case-collision',
      file: 'servers/io.github.A/X/versions/1.0.0.json',
      path: '$.name',
    });
    expect(problems[0]!.message).toContain('io.github.a/x');
  });
});

describe('remote-url-claimed', () => {
  it('lets one server reuse its URL across versions', () => {
    expect(
      checkSharedRemoteUrls([
        entry('a.b/c', '1.0.0', remote('https://x.example/mcp')),
        entry('a.b/c', '2.0.0', remote('https://x.example/mcp')),
      ]),
    ).toEqual([]);
  });
  it('gives the URL to the server that published it first and reports the other', () => {
    const first = entry('z.b/first', '1.0.0', remote('https://x.example/mcp'), { publishedAt: '2025-01-01T00:00:00Z' });
    const second = entry('a.b/second', '1.0.0', remote('https://x.example/mcp'), {
      publishedAt: '2025-02-01T00:00:00Z',
    });
    const problems = checkSharedRemoteUrls([second, first]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'remote-url-claimed', file: second.file, path: '$.remotes[0].url' });
    expect(problems[0]!.message).toContain('z.b/first');
  });
  it('ignores deleted versions', () => {
    const gone = entry('a.b/old', '1.0.0', remote('https://x.example/mcp'), {
      status: 'deleted',
      publishedAt: '2024-01-01T00:00:00Z',
    });
    expect(checkSharedRemoteUrls([gone, entry('a.b/new', '1.0.0', remote('https://x.example/mcp'))])).toEqual([]);
  });
});

describe('too-many-versions', () => {
  it('allows 10,000 versions and reports the 10,001st on registry.json', () => {
    const many = Array.from({ length: MAX_VERSIONS_PER_SERVER }, (_, i) => entry('a.b/c', `1.0.${i}`));
    expect(checkVersionCount(many, factsFile)).toEqual([]);
    const problems = checkVersionCount([...many, entry('a.b/c', '2.0.0')], factsFile);
    expect(problems).toEqual([
      expect.objectContaining({ code: 'too-many-versions', file: 'servers/a.b/c/registry.json', path: '$.versions' }),
    ]);
  });
});

it('checkRegistryWide runs every rule', () => {
  const problems = checkRegistryWide(
    [
      entry('a.b/c', '1.0.0', remote('https://x.example/mcp')),
      entry('A.b/c', '1.0.0', remote('https://x.example/mcp')),
    ],
    factsFile,
  );
  expect(problems.map((p) => p.code).sort()).toEqual(['name-case-collision', 'remote-url-claimed']);
});
