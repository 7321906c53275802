import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasErrors } from '../../../src/lib/problems.ts';
import type { Problem } from '../../../src/lib/problems.ts';
import { loadRegistry, loadRegistryFromFiles } from '../../../src/lib/registry/load.ts';
import type { SourceFile } from '../../../src/lib/registry/source.ts';
import { readLocalSource } from '../../../src/lib/registry/source.ts';

const FIXTURE = path.resolve('test/fixtures/registry');
let fixture: SourceFile[];
beforeAll(async () => {
  const source = await readLocalSource(FIXTURE);
  expect(source.problems).toEqual([]);
  fixture = source.files;
});

const edit = (changes: Record<string, string | null>): SourceFile[] => {
  const files = fixture.filter((file) => !(file.path in changes));
  for (const [filePath, text] of Object.entries(changes)) if (text !== null) files.push({ path: filePath, text });
  return files;
};
const text = (filePath: string) => fixture.find((file) => file.path === filePath)!.text;
const codes = (problems: readonly Problem[]) => problems.map((p) => `${p.code} ${p.file} ${p.path}`);
const WEATHER = 'servers/io.github.acme/weather';

describe('the fixture registry', () => {
  it('loads with no problem, servers sorted by name, versions newest publish first', async () => {
    const { registry, problems } = await loadRegistry(FIXTURE);
    expect(problems).toEqual([]);
    expect(registry.servers.map((s) => s.name)).toEqual([...registry.servers.map((s) => s.name)].sort());
    expect(registry.servers).toHaveLength(12);
    for (const server of registry.servers) {
      const times = server.versions.map((v) => Date.parse(v.publishedAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect(server.versions.filter((v) => v.isLatest).length).toBe(server.latest ? 1 : 0);
      expect(server.latest?.status).not.toBe('deleted');
    }
    expect(registry.vocabulary?.categories.map((c) => c.id)).toContain('search');
  });

  it('computes latest, status and timestamps from registry.json', async () => {
    const { registry } = await loadRegistry(FIXTURE);
    const byName = new Map(registry.servers.map((s) => [s.name, s]));
    expect(byName.get('io.github.acme/weather')!.latest!.server.version).toBe('2.0.0-beta.1');
    expect(byName.get('io.github.acme/py-tools')!.latest!.server.version).toBe('0.3.1');
    expect(byName.get('io.github.flaky/nightly')!.latest!.server.version).toBe('v1.0');
    expect(byName.get('io.github.build/meta')!.latest!.server.version).toBe('1.0.0+build');
    expect(byName.get('io.github.gone/vanished')!.latest).toBeUndefined();
    const legacy = byName.get('io.github.legacy/old-tool')!;
    expect(legacy.latest!.status).toBe('deprecated');
    expect(legacy.latest!.statusMessage).toMatch(/^Replaced by/);
    expect(legacy.updatedAt).toBe(legacy.latest!.statusChangedAt);
    expect(byName.get('io.github.Mixed-Case/Server.Name_v2')!.shortName).toBe('Server.Name_v2');
  });

  it('is deterministic: the same files in any order give the same model', () => {
    const a = loadRegistryFromFiles(fixture);
    const b = loadRegistryFromFiles([...fixture].reverse());
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});

describe('layout and facts', () => {
  it('reports a manifest in the wrong folder or under the wrong file name (folder-mismatch)', () => {
    const { problems } = loadRegistryFromFiles(
      edit({
        [`${WEATHER}/versions/1.0.0.json`]: null,
        [`${WEATHER}/versions/one.json`]: text(`${WEATHER}/versions/1.0.0.json`),
      }),
    );
    expect(codes(problems)).toContain(`folder-mismatch ${WEATHER}/versions/one.json $.version`);
    expect(codes(problems)).toContain(`facts-orphan ${WEATHER}/registry.json $.versions["1.0.0"]`);
    const moved = loadRegistryFromFiles(
      edit({ 'servers/io.github.acme/other/versions/1.0.0.json': text(`${WEATHER}/versions/1.0.0.json`) }),
    );
    expect(codes(moved.problems)).toContain('folder-mismatch servers/io.github.acme/other/versions/1.0.0.json $.name');
  });

  it('requires facts for every version, with a line to point at (facts-missing)', () => {
    const facts = JSON.parse(text(`${WEATHER}/registry.json`));
    delete facts.versions['1.1.0'];
    const { registry, problems } = loadRegistryFromFiles(
      edit({ [`${WEATHER}/registry.json`]: JSON.stringify(facts, null, 2) }),
    );
    const missing = problems.find((p) => p.code === 'facts-missing')!;
    expect(missing).toMatchObject({ file: `${WEATHER}/versions/1.1.0.json`, path: '$.version', severity: 'error' });
    expect(missing.line).toBeGreaterThan(1);
    expect(missing.hint).toMatch(/import/);
    expect(registry.servers.find((s) => s.name === 'io.github.acme/weather')!.versions).toHaveLength(3);
    const noFacts = loadRegistryFromFiles(edit({ [`${WEATHER}/registry.json`]: null }));
    expect(noFacts.problems.filter((p) => p.code === 'facts-missing')).toHaveLength(4);
    expect(noFacts.registry.servers.some((s) => s.name === 'io.github.acme/weather')).toBe(false);
  });

  it('validates registry.json with its schema, naming the JSON path and position', () => {
    const facts = JSON.parse(text(`${WEATHER}/registry.json`));
    facts.versions['1.0.0'].status = 'gone';
    facts.versions['1.1.0'].publishedAt = 'yesterday';
    const { problems } = loadRegistryFromFiles(edit({ [`${WEATHER}/registry.json`]: JSON.stringify(facts, null, 2) }));
    const invalid = problems.filter((p) => p.code === 'facts-invalid');
    expect(invalid.map((p) => p.path)).toEqual(['$.versions["1.0.0"].status', '$.versions["1.1.0"].publishedAt']);
    expect(invalid.every((p) => p.line! > 1)).toBe(true);
    const broken = loadRegistryFromFiles(edit({ [`${WEATHER}/registry.json`]: '{"versions": {' }));
    expect(broken.problems.find((p) => p.file === `${WEATHER}/registry.json`)).toMatchObject({
      code: 'json-syntax',
      line: 1,
    });
  });

  it('checks curation ids against vocabulary.json', () => {
    const facts = JSON.parse(text(`${WEATHER}/registry.json`));
    facts.curation = { categories: ['location', 'astrology'], tags: ['weather', 'nope'] };
    const { problems } = loadRegistryFromFiles(edit({ [`${WEATHER}/registry.json`]: JSON.stringify(facts) }));
    expect(codes(problems)).toEqual([
      `unknown-category ${WEATHER}/registry.json $.curation.categories[1]`,
      `unknown-tag ${WEATHER}/registry.json $.curation.tags[1]`,
    ]);
    const vocabulary = JSON.parse(text('vocabulary.json'));
    vocabulary.tags.push({ id: 'weather', label: 'Again' }, { id: 'Bad Id', label: 'x' });
    expect(codes(loadRegistryFromFiles(edit({ 'vocabulary.json': JSON.stringify(vocabulary) })).problems)).toContain(
      'vocabulary-invalid vocabulary.json $.tags[7].id',
    );
  });

  it('reports files outside the layout: JSON as an error, anything else as a warning', () => {
    const { problems } = loadRegistryFromFiles(
      edit({ 'servers/io.github.acme/weather.json': '{}', 'servers/io.github.acme/weather/notes.txt': 'hi' }),
    );
    expect(problems.map((p) => [p.code, p.severity])).toEqual([
      ['misplaced-file', 'error'],
      ['unexpected-file', 'warning'],
    ]);
  });

  it('keeps checking the other files when one manifest is malformed', () => {
    const { registry, problems } = loadRegistryFromFiles(
      edit({ [`${WEATHER}/versions/1.1.0.json`]: '{ "name": "io.github.acme/weather", ' }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'json-syntax', file: `${WEATHER}/versions/1.1.0.json` });
    expect(registry.servers).toHaveLength(12);
    expect(
      registry.servers.find((s) => s.name === 'io.github.acme/weather')!.versions.map((v) => v.server.version),
    ).not.toContain('1.1.0');
  });

  it('prefixes problem files with the display root', () => {
    const { problems } = loadRegistryFromFiles(edit({ 'stray.json': '{}' }), { root: 'registry-data' });
    expect(problems[0]!.file).toBe('registry-data/stray.json');
  });
});

describe('readLocalSource and loadRegistry on disk', () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('refuses oversized files unread and never follows symbolic links', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'registry-load-'));
    cpSync(FIXTURE, dir, { recursive: true });
    writeFileSync(path.join(dir, 'servers/io.github.acme/weather/versions/9.9.9.json'), ' '.repeat(1024 * 1024 + 1));
    symlinkSync('/etc', path.join(dir, 'servers/io.github.acme/link'));
    const { problems } = await loadRegistry(dir);
    expect(problems.map((p) => p.code).sort()).toEqual(['json-too-large', 'symlink']);
    expect(problems.find((p) => p.code === 'json-too-large')!.file).toMatch(
      /servers\/io.github.acme\/weather\/versions\/9.9.9.json$/,
    );
  });

  it('reports a missing data folder as a problem, not an exception', async () => {
    const { registry, problems } = await loadRegistry('/nonexistent/registry-data');
    expect(registry.servers).toEqual([]);
    expect(hasErrors(problems)).toBe(true);
    expect(problems[0]!.code).toBe('io-error');
  });
});
