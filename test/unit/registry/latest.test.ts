import { readFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OFFICIAL_META_KEY } from '../../../src/lib/site.ts';
import type { VersionStatus } from '../../../src/lib/registry/facts.ts';
import {
  compareSemanticVersions,
  compareVersions,
  isSemanticVersion,
  pickLatest,
} from '../../../src/lib/registry/latest.ts';

const candidate = (version: string, publishedAt: string, status: VersionStatus = 'active') => ({
  server: { version },
  publishedAt,
  status,
});
const day = (n: number) => `2025-10-${String(n).padStart(2, '0')}T00:00:00Z`;
const latestOf = (...candidates: ReturnType<typeof candidate>[]) => pickLatest(candidates)?.server.version;

describe('isSemanticVersion (three numeric parts, Go semver syntax)', () => {
  it.each([
    '1.2.3',
    'v1.2.3',
    '0.0.0',
    '1.2.3-rc.1',
    '1.2.3-beta-2',
    '1.0.0+build',
    '2025.11.26+pr150-394827a',
    '1.2.3-0.a.b+x.y',
  ])('accepts %s', (version) => expect(isSemanticVersion(version)).toBe(true));
  it.each([
    '1.2',
    '2.1',
    '1',
    '1.2.3.4',
    '01.2.3',
    '1.02.3',
    '1.2.3-01',
    'V1.2.3',
    'vv1.2.3',
    '1.2.3-',
    '1.2.3+',
    'latest',
    'nightly',
    '{{VERSION}}',
    '1.0.1º',
    '0.5.2rc4',
    ' 1.2.3',
  ])('rejects %s', (version) => expect(isSemanticVersion(version)).toBe(false));
});

describe('compareSemanticVersions (SemVer 2.0 precedence)', () => {
  it.each([
    ['1.0.0', '2.0.0', -1],
    ['1.10.0', '1.9.0', 1],
    ['1.0.0-alpha', '1.0.0', -1],
    ['1.0.0-alpha', '1.0.0-alpha.1', -1],
    ['1.0.0-alpha.1', '1.0.0-alpha.beta', -1],
    ['1.0.0-beta.2', '1.0.0-beta.11', -1],
    ['1.0.0-rc.1', '1.0.0-beta.11', 1],
    ['1.0.0+a', '1.0.0+b', 0],
    ['v1.0.0', '1.0.0', 0],
    ['99999999999999999999.0.0', '99999999999999999998.0.0', 1],
  ] as const)('%s vs %s -> %i', (a, b, expected) => {
    expect(compareSemanticVersions(a, b)).toBe(expected);
    expect(compareSemanticVersions(b, a)).toBe(-expected || 0);
  });
});

describe('pickLatest', () => {
  it('compares two semver versions as semver, whatever the publish order', () => {
    expect(latestOf(candidate('2.0.0', day(1)), candidate('1.9.9', day(2)))).toBe('2.0.0');
  });
  it('orders prereleases below their release and above the previous one', () => {
    expect(latestOf(candidate('1.0.0', day(1)), candidate('1.1.0-rc.1', day(2)), candidate('1.1.0-beta', day(3)))).toBe(
      '1.1.0-rc.1',
    );
    expect(latestOf(candidate('1.1.0', day(1)), candidate('1.1.0-rc.1', day(2)))).toBe('1.1.0');
  });
  it('compares two non-semver versions by publish time', () => {
    expect(latestOf(candidate('nightly-b', day(1)), candidate('nightly-a', day(2)))).toBe('nightly-a');
    expect(latestOf(candidate('2.1', day(5)), candidate('2.10', day(4)))).toBe('2.1');
  });
  it('counts sub-millisecond digits of publish times', () => {
    expect(latestOf(candidate('b', '2025-10-01T00:00:00.0001Z'), candidate('a', '2025-10-01T00:00:00.0002Z'))).toBe(
      'a',
    );
  });
  it('lets semver beat non-semver even when the non-semver one is newer', () => {
    expect(latestOf(candidate('0.0.1', day(1)), candidate('2.0', day(9)), candidate('v9', day(10)))).toBe('0.0.1');
  });
  it('keeps the earliest published among versions that compare equal', () => {
    expect(latestOf(candidate('1.0.0+b', day(3)), candidate('1.0.0', day(5)), candidate('v1.0.0', day(1)))).toBe(
      'v1.0.0',
    );
  });
  it('never picks a deleted version and returns undefined when all are deleted', () => {
    expect(latestOf(candidate('2.0.0', day(2), 'deleted'), candidate('1.0.0', day(1)))).toBe('1.0.0');
    expect(latestOf(candidate('1.0.0', day(1), 'deleted'))).toBeUndefined();
    expect(latestOf()).toBeUndefined();
  });
  it('can pick a deprecated version', () => {
    expect(latestOf(candidate('2.0.0', day(2), 'deprecated'), candidate('1.0.0', day(3)))).toBe('2.0.0');
  });
  it('does not depend on input order', () => {
    const versions = [candidate('a', day(1)), candidate('b', day(1)), candidate('c', day(1))];
    expect(latestOf(...versions)).toBe(latestOf(...[...versions].reverse()));
    expect(compareVersions(versions[0]!, versions[1]!)).toBe(0);
  });
});

const DUMP = new URL('../../../../shared/data/official-registry-2025-12-18.json', import.meta.url);
describe.skipIf(!existsSync(DUMP))(
  'pickLatest against the official registry (skipped: ../shared/data is absent)',
  () => {
    it('agrees with isLatest of every server in the 2025-12-18 dump', () => {
      type Entry = {
        server: { name: string; version: string };
        _meta: Record<string, { status: VersionStatus; publishedAt: string; isLatest: boolean }>;
      };
      const records = JSON.parse(readFileSync(DUMP, 'utf8')) as Entry[];
      const byName = new Map<string, Entry[]>();
      for (const record of records) byName.set(record.server.name, [...(byName.get(record.server.name) ?? []), record]);
      const disagreements: string[] = [];
      for (const [name, entries] of byName) {
        const candidates = entries.map((entry) => ({ ...entry._meta[OFFICIAL_META_KEY]!, server: entry.server }));
        const expected = candidates.find((c) => c.isLatest)?.server.version;
        const actual = pickLatest(candidates)?.server.version;
        if (actual !== expected) disagreements.push(`${name}: ${actual} != ${expected}`);
      }
      expect(byName.size).toBe(1108);
      expect(disagreements).toEqual([]);
    });
  },
);
