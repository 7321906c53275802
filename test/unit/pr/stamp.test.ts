/** The merge stamp: facts for new versions only, stable bytes, idempotent, through the real CLI. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stampNewVersions } from '../../../src/lib/pr/stamp.ts';
import { loadRegistry } from '../../../src/lib/registry/load.ts';
import { manifest, PrRepo, runScript, T0 } from './pr-repo.ts';

const repos: PrRepo[] = [];
afterEach(() => repos.splice(0).forEach((repo) => repo.remove()));

describe('stamp', () => {
  it('adds facts for versions without them, keeps existing facts, and the result loads cleanly', async () => {
    const repo = new PrRepo();
    repos.push(repo);
    repo.addServer('io.github.alice/weather', '1.0.0');
    repo.write(
      'registry-data/servers/io.github.alice/weather/versions/1.1.0.json',
      manifest('io.github.alice/weather', '1.1.0'),
    );
    repo.write('registry-data/servers/io.github.bob/new/versions/0.1.0.json', manifest('io.github.bob/new', '0.1.0'));
    const data = path.join(repo.dir, 'registry-data');
    const first = await runScript('stamp.ts', ['--data', data, '--at', '2025-11-20T10:00:00+01:00'], {});
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('stamp: 2 new version(s) at 2025-11-20T09:00:00.000Z');
    const facts = JSON.parse(readFileSync(path.join(data, 'servers/io.github.alice/weather/registry.json'), 'utf8'));
    expect(facts.versions['1.0.0'].publishedAt).toBe(T0);
    expect(facts.versions['1.1.0']).toEqual({
      status: 'active',
      publishedAt: '2025-11-20T09:00:00.000Z',
      updatedAt: '2025-11-20T09:00:00.000Z',
    });
    const { problems, registry } = await loadRegistry(data);
    expect(problems).toEqual([]);
    expect(registry.servers.map((s) => s.name)).toEqual(['io.github.alice/weather', 'io.github.bob/new']);
    const again = await runScript('stamp.ts', ['--data', data, '--at', '2026-01-01T00:00:00Z'], {});
    expect(again.stdout).toContain('stamp: 0 new version(s)');
  });

  it('is deterministic and leaves unparsable facts alone', () => {
    const files = [
      { path: 'servers/a.b/x/versions/2.0.0.json', text: JSON.stringify(manifest('a.b/x', '2.0.0')) },
      { path: 'servers/a.b/x/versions/1.0.0.json', text: JSON.stringify(manifest('a.b/x', '1.0.0')) },
      { path: 'servers/a.b/y/versions/1.0.0.json', text: JSON.stringify(manifest('a.b/y', '1.0.0')) },
      { path: 'servers/a.b/y/registry.json', text: '{ broken' },
    ];
    const one = stampNewVersions(files, '2025-01-01T00:00:00.000Z');
    expect(one).toEqual(stampNewVersions([...files].reverse(), '2025-01-01T00:00:00.000Z'));
    expect(one.stamped).toEqual([
      { factsFile: 'servers/a.b/x/registry.json', version: '1.0.0' },
      { factsFile: 'servers/a.b/x/registry.json', version: '2.0.0' },
    ]);
  });

  it('refuses a malformed --at', async () => {
    const result = await runScript('stamp.ts', ['--at', 'yesterday'], {});
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--at must be an RFC 3339 time/);
  });
});
