import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadRegistry } from '../../../src/lib/registry/load.ts';
import type { Registry } from '../../../src/lib/registry/model.ts';
import {
  catalogueOf,
  hasNamespacePage,
  namespaceHref,
  preferredIcon,
  summarise,
} from '../../../src/lib/site-data/catalogue.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../../fixtures/registry');
let registry: Registry;

beforeAll(async () => {
  const loaded = await loadRegistry(FIXTURE);
  expect(loaded.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
  registry = loaded.registry;
});

const record = (name: string) => registry.servers.find((server) => server.name === name)!;

describe('summarise', () => {
  test('describes the latest version: kinds, transports, first publish, categories', () => {
    const summary = summarise(record('io.github.Mixed-Case/Server.Name_v2'));
    expect(summary).toMatchObject({
      name: 'io.github.Mixed-Case/Server.Name_v2',
      namespace: 'io.github.Mixed-Case',
      shortName: 'Server.Name_v2',
      title: 'Everything Server',
      status: 'active',
      hasRemote: true,
    });
    expect(summary.packageTypes).toEqual(['npm', 'oci', 'pypi']);
    expect(summary.transports).toEqual([...summary.transports].sort());
  });

  test('the first publish is the earliest over all versions, not the latest version’s', () => {
    const weather = record('io.github.acme/weather');
    expect(summarise(weather).firstPublishedAt).toBe(weather.versions.map((v) => v.publishedAt).sort()[0]);
    expect(summarise(weather).version).toBe('2.0.0-beta.1');
  });

  test('a server whose every version is deleted summarises as deleted, from its newest version', () => {
    const summary = summarise(record('io.github.gone/vanished'));
    expect(summary.status).toBe('deleted');
    expect(summary.version).toBe('0.2.0');
  });

  test('a deprecated latest version makes the server deprecated', () => {
    expect(summarise(record('io.github.legacy/old-tool')).status).toBe('deprecated');
  });
});

describe('catalogueOf', () => {
  test('listings leave out deleted servers; namespace pages keep them', () => {
    const catalogue = catalogueOf(registry);
    expect(catalogue.all).toHaveLength(registry.servers.length);
    expect(catalogue.listed.map((s) => s.name)).not.toContain('io.github.gone/vanished');
    expect(catalogue.byNamespace.get('io.github.gone')?.map((s) => s.name)).toEqual(['io.github.gone/vanished']);
    expect([...catalogue.byNamespace.keys()]).toEqual([...catalogue.byNamespace.keys()].sort());
  });

  test('newest first by first publish; categories carry labels and counts from the vocabulary', () => {
    const catalogue = catalogueOf(registry);
    const dates = catalogue.newest.map((s) => s.firstPublishedAt);
    expect(dates).toEqual([...dates].sort().reverse());
    const location = catalogue.categories.find((c) => c.id === 'location');
    expect(location?.label).toBe('Maps, travel & weather');
    expect(location?.count).toBe(catalogue.byCategory.get('location')?.length);
    expect(catalogue.categoryLabels.get('location')).toBe('Maps, travel & weather');
  });

  test('is computed once per registry object', () => {
    expect(catalogueOf(registry)).toBe(catalogueOf(registry));
  });
});

describe('namespaceHref', () => {
  test('a namespace with several servers links to its page; a one-server namespace to that server', () => {
    const catalogue = catalogueOf(registry);
    expect(hasNamespacePage(catalogue.byNamespace.get('io.github.acme')!)).toBe(true);
    expect(namespaceHref(catalogue, 'io.github.acme')).toBe('/namespaces/io.github.acme/');
    expect(hasNamespacePage(catalogue.byNamespace.get('io.github.flaky')!)).toBe(false);
    expect(namespaceHref(catalogue, 'io.github.flaky')).toBe('/servers/io.github.flaky/nightly/');
  });
});

describe('preferredIcon', () => {
  test('takes the first safe https icon, preferring one without a theme', () => {
    expect(
      preferredIcon([
        { src: 'javascript:alert(1)' },
        { src: 'https://a.example/dark.png', theme: 'dark' },
        { src: 'https://a.example/any.png' },
      ]),
    ).toBe('https://a.example/any.png');
    expect(preferredIcon([{ src: 'https://a.example/dark.png', theme: 'dark' }])).toBe('https://a.example/dark.png');
    expect(preferredIcon([{ src: 'http://a.example/plain.png' }])).toBeUndefined();
    expect(preferredIcon(undefined)).toBeUndefined();
  });
});
