/** Look-alike names and duplicate identities, on the tricky cases impersonators use. */
import { describe, expect, it } from 'vitest';
import { IdentityIndex, packageKey, repositoryKey, urlKey } from '../../../src/lib/verify/duplicates.ts';
import { findResemblances, nameIndex, skeleton } from '../../../src/lib/verify/lookalike.ts';
import type { ServerJson } from '../../../src/lib/schema/server.ts';

const existing = nameIndex([
  'io.github.modelcontextprotocol/servers',
  'io.github.bob/weather',
  'com.example/foo',
  'io.github.alice/weather',
]);
const kinds = (name: string) => findResemblances(name, existing).map((r) => `${r.kind} ${r.name}`);

describe('findResemblances', () => {
  it('flags case, digit, rn/m and Cyrillic homoglyph variants as confusable', () => {
    expect(kinds('io.github.Bob/weather')).toEqual(['confusable io.github.bob/weather']);
    expect(kinds('io.github.modeIcontextprotocol/servers')).toEqual([
      'confusable io.github.modelcontextprotocol/servers',
    ]);
    expect(kinds('io.github.m0delcontextprotoco1/servers')).toEqual([
      'confusable io.github.modelcontextprotocol/servers',
    ]);
    expect(kinds('com.exarnple/foo')).toEqual(['confusable com.example/foo']);
    expect(kinds('com.ex\u0430mple/foo')).toEqual(['confusable com.example/foo']); // Cyrillic а
    expect(kinds('com.exámple/foo')).toEqual(['confusable com.example/foo']);
  });

  it('flags one edit in another namespace, but not near names of the same owner or different short names', () => {
    expect(kinds('io.github.bobb/weather')).toEqual(['lookalike io.github.bob/weather']);
    expect(kinds('io.github.bob/weather2')).toEqual([]);
    expect(kinds('io.github.carol/weather')).toEqual([]);
    expect(kinds('io.github.bob/weather')).toEqual([]);
  });

  it('folds to a stable skeleton', () => {
    expect(skeleton('Io.GitHub.RN_1')).toBe(skeleton('io.github.m-l'));
  });
});

describe('duplicate identities', () => {
  const server = (name: string, extra: Partial<ServerJson>) =>
    ({ name, description: 'd', version: '1.0.0', ...extra }) as ServerJson;

  it('normalises package names per registry, URLs and repositories', () => {
    expect(packageKey({ registryType: 'pypi', identifier: 'My_Package.Name' })).toBe('pypi:my-package-name');
    expect(packageKey({ registryType: 'oci', identifier: 'docker.io/Alice/Img:1.0' })).toBe('oci:alice/img');
    expect(packageKey({ registryType: 'npm', identifier: '@Scope/Pkg' })).toBe('npm:@scope/pkg');
    expect(urlKey('https://MCP.Example.com/mcp/')).toBe(urlKey('https://mcp.example.com/mcp'));
    expect(repositoryKey('https://github.com/Alice/Weather.git/')).toBe(
      repositoryKey('https://github.com/alice/weather'),
    );
    expect(repositoryKey('https://github.com/a/mono', 'servers/x')).not.toBe(
      repositoryKey('https://github.com/a/mono', 'servers/y'),
    );
  });

  it('finds the other server names using a package, remote or repository', () => {
    const index = new IdentityIndex();
    index.add(
      server('io.github.alice/weather', {
        packages: [{ registryType: 'npm', identifier: 'weather', transport: { type: 'stdio' } }],
        remotes: [{ type: 'sse', url: 'https://w.example.com/sse' }],
        repository: { url: 'https://github.com/alice/weather', source: 'github' },
      }),
    );
    const conflicts = index.conflicts(
      server('io.github.mallory/weather', {
        packages: [{ registryType: 'npm', identifier: 'Weather', transport: { type: 'stdio' } }],
        remotes: [{ type: 'streamable-http', url: 'https://w.example.com/sse/' }],
        repository: { url: 'https://github.com/alice/weather.git', source: 'github' },
      }),
    );
    expect(conflicts.map((c) => [c.identity.kind, c.identity.path, c.others])).toEqual([
      ['package', '$.packages[0].identifier', ['io.github.alice/weather']],
      ['remote', '$.remotes[0].url', ['io.github.alice/weather']],
      ['repository', '$.repository.url', ['io.github.alice/weather']],
    ]);
    expect(
      index.conflicts(
        server('io.github.alice/weather', { remotes: [{ type: 'sse', url: 'https://w.example.com/sse' }] }),
      ),
    ).toEqual([]);
    // Already shared before: a new version of either server is not blocked for it.
    index.add(
      server('io.github.alice/weather-fork', {
        packages: [{ registryType: 'npm', identifier: 'weather', transport: { type: 'stdio' } }],
      }),
    );
    expect(
      index.conflicts(
        server('io.github.alice/weather-fork', {
          version: '2.0.0',
          packages: [{ registryType: 'npm', identifier: 'weather', transport: { type: 'stdio' } }],
        }),
      ),
    ).toEqual([]);
  });
});
