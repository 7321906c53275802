/**
 * The PR check's offline stages on snapshots built in memory (check-pr.test.ts runs all four stages
 * through git and the network): the policy, the offline ownership stage and the labels.
 */
import { describe, expect, it } from 'vitest';
import { pickLabels } from '../../../src/lib/pr/labels.ts';
import { checkOwnership } from '../../../src/lib/pr/ownership.ts';
import { applyPolicy } from '../../../src/lib/pr/policy.ts';
import type { ClassifiedChange, PrSnapshot } from '../../../src/lib/pr/read.ts';
import { classify } from '../../../src/lib/pr/read.ts';
import { REGULAR_FILE_MODE } from '../../../src/lib/pr/git.ts';
import type { ChangeStatus } from '../../../src/lib/pr/git.ts';
import { facts, manifest } from './pr-repo.ts';

const DATA = 'registry-data';
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const versionPath = (name: string, version: string) => `${DATA}/servers/${name}/versions/${version}.json`;
const factsPath = (name: string) => `${DATA}/servers/${name}/registry.json`;

/** The base branch lists io.github.alice/weather 1.0.0, with an npm package and a repository. */
function baseTexts(): Map<string, string> {
  return new Map([
    [
      versionPath('io.github.alice/weather', '1.0.0'),
      json(
        manifest('io.github.alice/weather', '1.0.0', {
          repository: { url: 'https://github.com/alice/weather', source: 'github' },
          packages: [
            { registryType: 'npm', identifier: 'alice-weather', version: '1.0.0', transport: { type: 'stdio' } },
          ],
        }),
      ),
    ],
    [factsPath('io.github.alice/weather'), json(facts(['1.0.0']))],
  ]);
}

function snapshot(
  changed: Record<string, { status: ChangeStatus; text?: string }>,
  options: { isMaintainer?: boolean } = {},
): PrSnapshot {
  const changes: ClassifiedChange[] = Object.entries(changed)
    .map(([path, { status }]) => classify({ path, status, mode: REGULAR_FILE_MODE }, `${DATA}/`))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  const headTexts = new Map<string, string>();
  for (const [path, { text }] of Object.entries(changed)) if (text !== undefined) headTexts.set(path, text);
  return {
    base: 'b'.repeat(40),
    head: undefined,
    mergeBase: 'b'.repeat(40),
    author: 'alice',
    isMaintainer: options.isMaintainer ?? false,
    dataDir: DATA,
    changes,
    baseTexts: baseTexts(),
    headTexts,
    baseTime: '2025-11-01T00:00:00.000Z',
  };
}

const summary = (problems: { code: string; severity: string; file: string }[]) =>
  problems.map((p) => `${p.severity} ${p.code} ${p.file}`).sort();

describe('applyPolicy', () => {
  it('hands on each new version with its validated manifest, and tells new servers from new versions', () => {
    const added = versionPath('io.github.alice/newsvc', '1.0.0');
    const next = versionPath('io.github.alice/weather', '2.0.0');
    const policy = applyPolicy(
      snapshot({
        [added]: { status: 'added', text: json(manifest('io.github.alice/newsvc', '1.0.0')) },
        [next]: { status: 'added', text: json(manifest('io.github.alice/weather', '2.0.0')) },
      }),
    );
    expect(policy.problems).toEqual([]);
    expect(policy.newVersions.map((v) => [v.file, v.server.name, v.server.version])).toEqual([
      [added, 'io.github.alice/newsvc', '1.0.0'],
      [next, 'io.github.alice/weather', '2.0.0'],
    ]);
    expect(policy.newServers).toEqual(['io.github.alice/newsvc']);
    expect([...policy.existingNames]).toEqual(['io.github.alice/weather']);
  });

  it('keeps a new version that the merged registry refuses, so its ownership is still checked', () => {
    const file = versionPath('io.github.alice/broken', '1.0.0');
    const policy = applyPolicy(
      snapshot({ [file]: { status: 'added', text: json(manifest('io.github.alice/broken', '1.0.1')) } }),
    );
    expect(summary(policy.problems)).toEqual([`error folder-mismatch ${file}`]);
    expect(policy.newVersions.map((v) => v.version)).toEqual(['1.0.1']);
  });

  it('refuses changing a published version, and leaves code and vocabulary to maintainers', () => {
    const published = versionPath('io.github.alice/weather', '1.0.0');
    const changed = {
      [published]: { status: 'modified' as const, text: json(manifest('io.github.alice/weather', '1.0.0')) },
      'src/lib/site.ts': { status: 'modified' as const },
      [`${DATA}/vocabulary.json`]: { status: 'modified' as const, text: json({ categories: [], tags: [] }) },
    };
    expect(summary(applyPolicy(snapshot(changed)).problems)).toEqual([
      `error maintainer-only ${DATA}/vocabulary.json`,
      `error version-immutable ${published}`,
      'warning maintainer-only src/lib/site.ts',
    ]);
    expect(summary(applyPolicy(snapshot(changed, { isMaintainer: true })).problems)).toEqual([
      `error version-immutable ${published}`,
    ]);
  });

  it('reports a new server that claims a listed package', () => {
    const file = versionPath('io.github.mallory/weather', '1.0.0');
    const text = json(
      manifest('io.github.mallory/weather', '1.0.0', {
        packages: [
          { registryType: 'npm', identifier: 'alice-weather', version: '1.0.0', transport: { type: 'stdio' } },
        ],
      }),
    );
    const policy = applyPolicy(snapshot({ [file]: { status: 'added', text } }));
    expect(summary(policy.problems)).toEqual([`error duplicate-package ${file}`]);
  });

  it('leaves registry.json timestamps to the registry and its status to the namespace owner', () => {
    const file = factsPath('io.github.alice/weather');
    const deprecated = facts(['1.0.0']) as { versions: Record<string, Record<string, string>> };
    deprecated.versions['1.0.0']!.status = 'deprecated';
    let policy = applyPolicy(snapshot({ [file]: { status: 'modified', text: json(deprecated) } }));
    expect(policy.problems).toEqual([]);
    expect(policy.factsNeedingOwner).toEqual([{ file, server: 'io.github.alice/weather' }]);

    deprecated.versions['1.0.0']!.updatedAt = '2030-01-01T00:00:00Z';
    policy = applyPolicy(snapshot({ [file]: { status: 'modified', text: json(deprecated) } }));
    expect(summary(policy.problems)).toEqual([`error facts-registry-managed ${file}`]);

    policy = applyPolicy(snapshot({ [file]: { status: 'deleted' } }));
    expect(summary(policy.problems).filter((p) => p.includes('maintainer-only'))).toEqual([
      `error maintainer-only ${file}`,
    ]);
    expect(applyPolicy(snapshot({ [file]: { status: 'deleted' } }, { isMaintainer: true })).factsNeedingOwner).toEqual(
      [],
    );
  });
});

describe('checkOwnership without a network', () => {
  it('warns that each namespace and package was not checked, once per server', async () => {
    const one = versionPath('io.github.alice/newsvc', '1.0.0');
    const two = versionPath('io.github.alice/newsvc', '1.1.0');
    const withPackage = (version: string) =>
      json(
        manifest('io.github.alice/newsvc', version, {
          packages: [{ registryType: 'npm', identifier: 'alice-newsvc', version, transport: { type: 'stdio' } }],
        }),
      );
    const pr = snapshot({
      [one]: { status: 'added', text: withPackage('1.0.0') },
      [two]: { status: 'added', text: withPackage('1.1.0') },
    });
    const outcome = await checkOwnership(pr, applyPolicy(pr), undefined);
    expect(summary(outcome.problems)).toEqual([
      `warning namespace-unverified ${one}`,
      `warning package-unverified ${one}`,
      `warning package-unverified ${two}`,
    ]);
    expect(outcome.ownership).toEqual([]);
  });
});

describe('pickLabels', () => {
  it('sorts the PR for reviewers from what the stages found', () => {
    const problem = (code: 'namespace-github' | 'name-lookalike' | 'schema-type', severity: 'error' | 'warning') => ({
      code,
      severity,
      file: 'f',
      path: '$',
      message: 'm',
      hint: 'h',
    });
    expect(pickLabels({ problems: [], newServer: true, newVersionOfExisting: false, changesCode: false })).toEqual([
      'new-server',
    ]);
    expect(
      pickLabels({
        problems: [problem('namespace-github', 'error'), problem('name-lookalike', 'error')],
        newServer: true,
        newVersionOfExisting: true,
        changesCode: true,
      }),
    ).toEqual(['new-server', 'new-version', 'needs-owner', 'needs-maintainer', 'possible-impersonation']);
    expect(
      pickLabels({
        problems: [problem('schema-type', 'error')],
        newServer: false,
        newVersionOfExisting: false,
        changesCode: false,
      }),
    ).toEqual(['invalid']);
  });
});
