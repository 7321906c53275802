import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ServerFactsSchema, VocabularySchema } from '../../../src/lib/registry/facts.ts';
import { FACTS_FILE, VOCABULARY_FILE } from '../../../src/lib/registry/layout.ts';
import { generateRegistryFiles } from '../../../src/lib/synthetic/generate.ts';
import type { SourceFile } from '../../../src/lib/registry/source.ts';
import { RegistryProfileSchema } from '../../../src/lib/synthetic/profile.ts';
import { validateManifestText } from '../../../src/lib/validate/manifest.ts';

const profile = RegistryProfileSchema.parse(
  JSON.parse(readFileSync(path.join(import.meta.dirname, '../../../bench/registry-profile.json'), 'utf8')),
);
const isManifest = (file: SourceFile): boolean => file.path.includes('/versions/');
const share = (part: number, whole: number): number => part / whole;
const weightedMean = (histogram: [number, number][]): number =>
  histogram.reduce((sum, [value, count]) => sum + value * count, 0) /
  histogram.reduce((sum, [, count]) => sum + count, 0);

describe('generateRegistryFiles', () => {
  const files = [...generateRegistryFiles({ servers: 2000, profile })];
  const manifests = files.filter(isManifest).map((file) => ({ file, server: JSON.parse(file.text) }));
  const facts = files.filter((file) => file.path.endsWith(`/${FACTS_FILE}`));

  it('writes manifests that pass the validator, facts and a vocabulary that pass their schemas', () => {
    for (const { file } of manifests)
      expect(validateManifestText(file.text, file.path).problems, file.path).toEqual([]);
    const vocabulary = VocabularySchema.parse(JSON.parse(files.find((file) => file.path === VOCABULARY_FILE)!.text));
    const terms = new Set([...vocabulary.categories, ...vocabulary.tags].map((term) => term.id));
    const versionsByServer = Map.groupBy(manifests, ({ server }) => server.name);
    for (const file of facts) {
      const parsed = ServerFactsSchema.parse(JSON.parse(file.text));
      for (const id of [...parsed.curation.categories, ...parsed.curation.tags]) expect(terms).toContain(id);
      const name = path.posix.dirname(file.path).slice('servers/'.length);
      expect(Object.keys(parsed.versions).sort()).toEqual(
        versionsByServer
          .get(name)!
          .map(({ server }) => server.version)
          .sort(),
      );
    }
  });

  it('lays files out as servers/<namespace>/<name>/versions/<version>.json', () => {
    for (const { file, server } of manifests)
      expect(file.path).toBe(`servers/${server.name}/versions/${server.version}.json`);
    expect(facts).toHaveLength(2000);
  });

  it('is deterministic, and server i does not depend on how many servers are generated', () => {
    const again = [...generateRegistryFiles({ servers: 2000, profile })];
    expect(again).toEqual(files);
    const fewer = [...generateRegistryFiles({ servers: 300, profile })];
    expect(fewer).toEqual(files.slice(0, fewer.length));
    const otherSeed = [...generateRegistryFiles({ servers: 300, profile, seed: 7 })];
    expect(otherSeed.map((file) => file.path)).not.toEqual(fewer.map((file) => file.path));
  });

  it('gives every server a unique name and every remote URL to one server only', () => {
    const names = new Set(manifests.map(({ server }) => server.name));
    expect(names.size).toBe(2000);
    const owners = new Map<string, string>();
    for (const { server } of manifests) {
      for (const remote of server.remotes ?? []) {
        expect(owners.get(remote.url) ?? server.name).toBe(server.name);
        owners.set(remote.url, server.name);
      }
    }
  });

  it('follows the profile: versions per server, namespaces, package types, descriptions', () => {
    expect(manifests.length / 2000).toBeCloseTo(weightedMean(profile.versionsPerServer), 0);
    const longest = Math.max(...facts.map((file) => Object.keys(JSON.parse(file.text).versions).length));
    expect(longest).toBeGreaterThanOrEqual(20);

    const namespaces = new Set(manifests.map(({ server }) => server.name.split('/')[0]));
    const github = [...namespaces].filter((namespace) => namespace.startsWith('io.github.')).length;
    expect(Math.abs(share(github, namespaces.size) - profile.namespaces.githubShare)).toBeLessThan(0.06);

    const types = manifests.flatMap(({ server }) =>
      (server.packages ?? []).map((pkg: { registryType: string }) => pkg.registryType),
    );
    expect(new Set(types)).toEqual(new Set(profile.packages.registryTypes.map(([type]) => type)));
    const npmShare = share(
      profile.packages.registryTypes.find(([type]) => type === 'npm')![1],
      profile.packages.registryTypes.reduce((sum, [, n]) => sum + n, 0),
    );
    expect(Math.abs(share(types.filter((type) => type === 'npm').length, types.length) - npmShare)).toBeLessThan(0.08);

    const withRemotes = manifests.filter(({ server }) => server.remotes?.length).length;
    const remoteShare =
      1 -
      share(
        profile.remotes.perVersion.find(([count]) => count === 0)![1],
        profile.remotes.perVersion.reduce((sum, [, n]) => sum + n, 0),
      );
    expect(Math.abs(share(withRemotes, manifests.length) - remoteShare)).toBeLessThan(0.1);

    const lengths = manifests.map(({ server }) => server.description.length);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(100);
    expect(
      Math.abs(lengths.reduce((a, b) => a + b, 0) / lengths.length - weightedMean(profile.descriptions.length)),
    ).toBeLessThan(10);
  });

  it('stretches the versions-per-server histogram to a requested mean', () => {
    const servers = 1500;
    const versions = [...generateRegistryFiles({ servers, profile, meanVersions: 4 })].filter(isManifest).length;
    expect(versions / servers).toBeGreaterThan(3.5);
    expect(versions / servers).toBeLessThan(4.5);
  });
});
