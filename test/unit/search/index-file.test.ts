import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { loadRegistry } from '../../../src/lib/registry/load.ts';
import {
  buildSearchIndex,
  initialSearchResults,
  listedServers,
  searchableIdentifier,
  toSearchResultItem,
} from '../../../src/lib/search/build.ts';
import { decodeSearchIndex } from '../../../src/lib/search/index-file.ts';
import { registryOf } from './records.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../../fixtures/registry');

describe('search index file', () => {
  test('lists every server with a live latest version, newest update first; deleted servers are left out', async () => {
    const { registry } = await loadRegistry(FIXTURE);
    const file = buildSearchIndex(registry);
    expect(file.name).not.toContain('io.github.gone/vanished');
    expect(file.name).toHaveLength(registry.servers.filter((s) => s.latest).length);
    const docs = decodeSearchIndex(file);
    const days = docs.map((doc) => doc.updated);
    expect([...days].sort().reverse()).toEqual(days);
    expect(docs.find((doc) => doc.name === 'io.github.legacy/old-tool')?.status).toBe('deprecated');
  });

  test('decoding gives back exactly the result items the build made', async () => {
    const { registry } = await loadRegistry(FIXTURE);
    const docs = decodeSearchIndex(JSON.parse(JSON.stringify(buildSearchIndex(registry))));
    const expected = listedServers(registry).map(toSearchResultItem);
    expect(
      docs.map(
        ({
          packages: _packages,
          tags: _tags,
          updateRank: _rank,
          owner: _owner,
          ownRepository: _own,
          archived: _archived,
          stars: _stars,
          ...item
        }) => item,
      ),
    ).toEqual(expected);
    const everything = docs.find((doc) => doc.name === 'io.github.Mixed-Case/Server.Name_v2');
    expect(everything).toMatchObject({
      kinds: ['local', 'remote'],
      packageTypes: ['npm', 'pypi', 'oci'],
      transports: ['streamable-http'],
      categories: ['cloud', 'databases'],
      tags: ['postgres'],
    });
  });

  test('the same registry gives byte-identical JSON', async () => {
    const first = JSON.stringify(buildSearchIndex((await loadRegistry(FIXTURE)).registry));
    const second = JSON.stringify(buildSearchIndex((await loadRegistry(FIXTURE)).registry));
    expect(second).toBe(first);
  });

  test('the server-rendered first page is the head of the index order', async () => {
    const { registry } = await loadRegistry(FIXTURE);
    const { items, total } = initialSearchResults(registry, 3);
    expect(total).toBe(listedServers(registry).length);
    expect(items.map((item) => item.name)).toEqual(buildSearchIndex(registry).name.slice(0, 3));
  });

  test('package identifiers are shortened to their searchable part and dropped when the name already says it', () => {
    expect(
      searchableIdentifier({
        registryType: 'mcpb',
        identifier: 'https://github.com/acme/tool/releases/download/v1/tool.mcpb',
      }),
    ).toBe('acme/tool');
    expect(searchableIdentifier({ registryType: 'mcpb', identifier: 'https://cdn.example.com/dl/tool-1.2.mcpb' })).toBe(
      'tool-1.2.mcpb',
    );
    expect(searchableIdentifier({ registryType: 'oci', identifier: 'ghcr.io/acme/files:1.2.0' })).toBe('acme/files');
    expect(searchableIdentifier({ registryType: 'oci', identifier: 'acme/files@sha256:abc' })).toBe('acme/files');
    expect(searchableIdentifier({ registryType: 'npm', identifier: '@acme/weather-mcp' })).toBe('@acme/weather-mcp');
    const file = buildSearchIndex(
      registryOf([
        {
          name: 'io.github.acme/weather-mcp',
          description: 'Weather.',
          packages: [{ registryType: 'npm', identifier: 'weather-mcp' }],
        },
        {
          name: 'io.github.acme/forecast',
          description: 'Forecasts.',
          packages: [{ registryType: 'npm', identifier: '@skies/forecast-mcp' }],
        },
      ]),
    );
    expect(file.name).toEqual(['io.github.acme/forecast', 'io.github.acme/weather-mcp']);
    expect(file.packages).toEqual(['@skies/forecast-mcp', '']);
  });

  test('stays under 100 bytes per server gzipped on the fixture registry', async () => {
    const file = buildSearchIndex((await loadRegistry(FIXTURE)).registry);
    expect(gzipSync(JSON.stringify(file)).length / file.name.length).toBeLessThan(100);
  });

  test('a file of another format version is refused with a clear message', () => {
    expect(() => decodeSearchIndex({ version: 1 } as never)).toThrow(/search index version 1 .* supported version 2/);
  });
});
