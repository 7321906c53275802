import { describe, expect, test } from 'vitest';
import type { ServerJson } from '../../../src/lib/schema/server.ts';
import { packagePageLink } from '../../../src/lib/site-data/packages.ts';
import {
  linkServerNames,
  mentionedServers,
  namespaceOwnership,
  settingRows,
  verificationStatements,
} from '../../../src/lib/site-data/server-view.ts';

const server: ServerJson = {
  name: 'io.github.acme/everything',
  description: 'd',
  version: '1.0.0',
  packages: [
    {
      registryType: 'npm',
      identifier: '@acme/everything',
      version: '1.0.0',
      transport: { type: 'stdio' },
      runtimeArguments: [{ type: 'named', name: '--max-old-space-size', value: '4096' }],
      packageArguments: [
        { type: 'positional', valueHint: 'root_dir', isRequired: true, description: 'Folder to serve' },
      ],
      environmentVariables: [
        { name: 'API_KEY', isSecret: true, isRequired: true, description: 'Key' },
        { name: 'MODE', default: 'fast', choices: ['fast', 'safe'] },
      ],
    },
  ],
  remotes: [
    {
      type: 'streamable-http',
      url: 'https://{tenant}.example.com/mcp',
      headers: [
        {
          name: 'Authorization',
          value: 'Bearer {token}',
          variables: { token: { isSecret: true, description: 'Token' } },
        },
      ],
      variables: { tenant: { description: 'Your tenant', isRequired: true } },
    },
  ],
};

describe('settingRows', () => {
  test('flattens every input in manifest order, with secrets, requirement and variables', () => {
    const rows = settingRows(server);
    expect(rows.map((row) => [row.source, row.kind, row.name, row.secret, row.required])).toEqual([
      ['npm @acme/everything', 'Environment variable', 'API_KEY', true, true],
      ['npm @acme/everything', 'Environment variable', 'MODE', false, false],
      ['npm @acme/everything', 'Runtime argument', '--max-old-space-size', false, false],
      ['npm @acme/everything', 'Package argument', 'root_dir', false, true],
      ['Remote (streamable-http)', 'Header', 'Authorization', false, false],
      ['Remote (streamable-http)', 'Variable', 'token', true, false],
      ['Remote (streamable-http)', 'URL variable', 'tenant', false, true],
    ]);
    expect(rows[1]).toMatchObject({ defaultValue: 'fast', choices: ['fast', 'safe'] });
    expect(rows[4]).toMatchObject({ value: 'Bearer {token}' });
    expect(rows[5]).toMatchObject({ partOf: 'Authorization' });
  });

  test('a server with nothing to configure has no rows', () => {
    expect(settingRows({ name: 'a.b/c', description: 'd', version: '1' })).toEqual([]);
  });
});

describe('verificationStatements', () => {
  const record = (overrides: Partial<ServerJson>, versions = 1) => {
    const version = {
      server: { ...server, ...overrides },
      sourceSchemaVersion: '2025-12-11',
      file: 'f',
      status: 'active' as const,
      publishedAt: 't',
      updatedAt: 't',
      isLatest: true,
    };
    return {
      name: server.name,
      namespace: 'io.github.acme',
      shortName: 'everything',
      versions: Array.from({ length: versions }, () => version),
      latest: version,
      curation: { categories: [], tags: [] },
      updatedAt: 't',
    };
  };

  test('says what the build checked: schema and rules, the namespace rule, and remote endpoint rules when there are remotes', () => {
    const statements = verificationStatements(record({}, 3));
    expect(statements[0]).toMatch(/^All 3 versions’ server.json files pass the official schema/);
    expect(statements[1]).toContain('“acme”');
    expect(statements[2]).toMatch(/remote endpoint uses https/);
    expect(verificationStatements(record({ remotes: undefined }))).toHaveLength(2);
    for (const statement of statements) expect(statement).not.toMatch(/\bverified\b|\bofficial server\b|\btrusted\b/i);
  });
});

describe('namespaceOwnership', () => {
  test('states the official rule for GitHub and domain namespaces', () => {
    expect(namespaceOwnership('io.github.acme')).toContain('GitHub account or organization “acme”');
    expect(namespaceOwnership('com.example.api')).toContain('the domain api.example.com');
  });
});

describe('packagePageLink', () => {
  test.each([
    [{ registryType: 'npm', identifier: '@acme/weather-mcp' }, 'https://www.npmjs.com/package/@acme/weather-mcp'],
    [{ registryType: 'pypi', identifier: 'mcp-server-git' }, 'https://pypi.org/project/mcp-server-git/'],
    [{ registryType: 'nuget', identifier: 'Acme.Mcp' }, 'https://www.nuget.org/packages/Acme.Mcp'],
    [{ registryType: 'oci', identifier: 'docker.io/acme/server:1.2' }, 'https://hub.docker.com/r/acme/server'],
    [{ registryType: 'oci', identifier: 'mcp/fetch:latest' }, 'https://hub.docker.com/r/mcp/fetch'],
    [{ registryType: 'oci', identifier: 'postgres' }, 'https://hub.docker.com/_/postgres'],
    [{ registryType: 'oci', identifier: 'ghcr.io/acme/server@sha256:abc' }, 'https://ghcr.io/acme/server'],
    [{ registryType: 'oci', identifier: 'quay.io/acme/server:v1' }, 'https://quay.io/repository/acme/server'],
    [
      { registryType: 'mcpb', identifier: 'https://github.com/acme/x/releases/download/v1/x.mcpb' },
      'https://github.com/acme/x/releases/download/v1/x.mcpb',
    ],
  ])('%j -> %s', (pkg, url) => {
    expect(packagePageLink(pkg)?.url).toBe(url);
  });

  test('no link for unsafe, unknown or private-registry packages; identifiers are encoded', () => {
    expect(packagePageLink({ registryType: 'mcpb', identifier: 'javascript:alert(1)' })).toBeUndefined();
    expect(packagePageLink({ registryType: 'cargo', identifier: 'x' })).toBeUndefined();
    expect(
      packagePageLink({ registryType: 'npm', identifier: 'x', registryBaseUrl: 'https://npm.internal.example' }),
    ).toBeUndefined();
    expect(
      packagePageLink({ registryType: 'npm', identifier: 'x', registryBaseUrl: 'https://registry.npmjs.org/' })?.url,
    ).toBe('https://www.npmjs.com/package/x');
    expect(packagePageLink({ registryType: 'pypi', identifier: 'a?b#c' })?.url).toBe(
      'https://pypi.org/project/a%3Fb%23c/',
    );
  });
});

describe('linkServerNames', () => {
  const known = new Set(['io.github.acme/py-tools', 'com.example/x']);
  const link = (text: string) =>
    linkServerNames(
      text,
      (name) => known.has(name),
      (name) => `/servers/${name}/`,
    );

  test('links names the registry knows, keeping the text around them (and a sentence’s full stop) as text', () => {
    expect(link('Replaced by io.github.acme/py-tools.')).toEqual([
      { text: 'Replaced by ' },
      { text: 'io.github.acme/py-tools', href: '/servers/io.github.acme/py-tools/' },
      { text: '.' },
    ]);
  });

  test('leaves unknown names, markup and plain text alone', () => {
    expect(link('See io.github.other/tool or <b>com.example/x</b>')).toEqual([
      { text: 'See io.github.other/tool or <b>' },
      { text: 'com.example/x', href: '/servers/com.example/x/' },
      { text: '</b>' },
    ]);
    expect(link('no names here')).toEqual([{ text: 'no names here' }]);
    expect(link('')).toEqual([]);
  });
});

describe('mentionedServers', () => {
  test('the known servers a text names, each once, in order: what a page that links them depends on', () => {
    const known = new Set(['io.github.acme/py-tools', 'io.github.acme/weather']);
    const text =
      'Use io.github.acme/weather or io.github.acme/py-tools; io.github.acme/weather is newer. Not io.github.nobody/tool.';
    expect(mentionedServers(text, (name) => known.has(name))).toEqual([
      'io.github.acme/weather',
      'io.github.acme/py-tools',
    ]);
    expect(mentionedServers('No names here.', () => true)).toEqual([]);
  });
});
