/**
 * Whole-corpus tests: the committed registry-data (always), and a fresh import of the official dump
 * (only where ../shared/data exists; a newcomer's clone has none).
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importRecords } from '../../../src/lib/import/import.ts';
import { readImportInput } from '../../../src/lib/import/input.ts';
import { serializeFacts } from '../../../src/lib/pr/stamp.ts';
import { ServerFactsSchema } from '../../../src/lib/registry/facts.ts';
import { loadRegistry } from '../../../src/lib/registry/load.ts';
import { readLocalSource } from '../../../src/lib/registry/source.ts';
import { OFFICIAL_META_KEY } from '../../../src/lib/site.ts';

const DUMP = path.resolve('../shared/data/official-registry-2025-12-18.json');

describe('the committed registry-data', () => {
  it('loads with zero errors: 1,108 servers, 2,794 versions, each with a latest version', async () => {
    const { registry, problems } = await loadRegistry('registry-data');
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(registry.servers).toHaveLength(1108);
    expect(registry.servers.reduce((n, s) => n + s.versions.length, 0)).toBe(2794);
    expect(registry.servers.filter((s) => !s.latest)).toEqual([]);
  }, 120_000);

  it('stores every registry.json in the stable format the tools write', async () => {
    const { files } = await readLocalSource('registry-data');
    const facts = files.filter((file) => file.path.endsWith('/registry.json'));
    expect(facts).toHaveLength(1108);
    const unstable = facts.filter(
      (file) => serializeFacts(ServerFactsSchema.parse(JSON.parse(file.text))) !== file.text,
    );
    expect(unstable.map((file) => file.path)).toEqual([]);
  }, 60_000);
});

describe.skipIf(!existsSync(DUMP))('importing the whole official dump (skipped: ../shared/data is absent)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'import-corpus-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports all 2,794 records with no refusal, idempotently, reproducing registry-data', async () => {
    cpSync('registry-data/vocabulary.json', path.join(dir, 'vocabulary.json'));
    const input = await readImportInput(DUMP);
    if (!input.ok) throw new Error(input.error);
    const first = await importRecords(input.records, dir);
    expect(first.counts).toEqual({ added: 2794, updated: 0, unchanged: 0, refused: 0 });
    const second = await importRecords(input.records, dir);
    expect(second.counts).toEqual({ added: 0, updated: 0, unchanged: 2794, refused: 0 });
    expect(second.written).toEqual([]);

    const imported = (await readLocalSource(dir)).files.filter((file) => file.path.includes('/versions/'));
    const committed = new Map((await readLocalSource('registry-data')).files.map((file) => [file.path, file.text]));
    expect(imported).toHaveLength(2794);
    expect(imported.filter((file) => committed.get(file.path) !== file.text).map((file) => file.path)).toEqual([]);

    const { registry, problems } = await loadRegistry(dir);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    const officialLatest = new Set(
      (
        JSON.parse(readFileSync(DUMP, 'utf8')) as {
          server: { name: string; version: string };
          _meta: Record<string, { isLatest: boolean }>;
        }[]
      )
        .filter((record) => record._meta[OFFICIAL_META_KEY]!.isLatest)
        .map((record) => `${record.server.name}@${record.server.version}`),
    );
    expect(new Set(registry.servers.map((s) => `${s.name}@${s.latest!.server.version}`))).toEqual(officialLatest);
  }, 300_000);
});
