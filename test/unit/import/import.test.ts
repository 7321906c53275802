import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importRecords } from '../../../src/lib/import/import.ts';
import type { ImportRecord } from '../../../src/lib/import/official.ts';
import { recordsFromResponse } from '../../../src/lib/import/official.ts';
import { loadRegistry } from '../../../src/lib/registry/load.ts';
import { OFFICIAL_META_KEY } from '../../../src/lib/site.ts';

const SCHEMA = 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';
const server = (name: string, version: string, extra: Record<string, unknown> = {}) => ({
  $schema: SCHEMA,
  name,
  description: 'Query a PostgreSQL database & more',
  version,
  packages: [
    {
      registryType: 'npm',
      registryBaseUrl: 'https://registry.npmjs.org',
      identifier: 'pg-mcp',
      version,
      transport: { type: 'stdio' },
    },
  ],
  ...extra,
});
const response = (body: Record<string, unknown>, meta: Record<string, unknown> = {}) => ({
  server: body,
  _meta: {
    [OFFICIAL_META_KEY]: {
      status: 'active',
      publishedAt: '2025-10-01T10:00:00.123456Z',
      updatedAt: '2025-10-01T10:00:00.123456Z',
      isLatest: true,
      ...meta,
    },
  },
});
const records = (...responses: unknown[]): ImportRecord[] => {
  const parsed = recordsFromResponse(responses, 'test.json');
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.records;
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'import-'));
  cpSync('registry-data/vocabulary.json', path.join(dir, 'vocabulary.json'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');
const PG = 'servers/io.github.someone/pg';

describe('recordsFromResponse', () => {
  it('reads a ServerList page, an array and a single ServerResponse', () => {
    const one = response(server('io.github.someone/pg', '1.0.0'));
    const page = recordsFromResponse(
      { servers: [one, one], metadata: { count: 2, nextCursor: 'io.github.someone/pg:1.0.0' } },
      'page',
    );
    expect(page).toMatchObject({ ok: true, nextCursor: 'io.github.someone/pg:1.0.0' });
    expect(page.ok && page.records.map((r) => r.origin)).toEqual(['page#0', 'page#1']);
    expect(recordsFromResponse([one], 'dump')).toMatchObject({ ok: true, records: [{ origin: 'dump#0' }] });
    expect(recordsFromResponse(one, 'single')).toMatchObject({ ok: true, records: [{ server: { version: '1.0.0' } }] });
  });
  it('rejects what is not an API response, naming the entry', () => {
    expect(recordsFromResponse({ hello: 1 }, 'x.json')).toMatchObject({
      ok: false,
      error: expect.stringContaining('not an official API response'),
    });
    expect(recordsFromResponse([{ server: 'nope' }], 'x.json')).toMatchObject({
      ok: false,
      error: 'x.json#0: entry has no "server" object',
    });
  });
  it('keeps only the registry-managed facts, without isLatest', () => {
    const parsed = recordsFromResponse(
      response(server('a.b/c', '1.0.0'), { status: 'deprecated', statusMessage: 'use d' }),
      'x',
    );
    expect(parsed.ok && parsed.records[0]!.facts).toEqual({
      ok: true,
      value: {
        status: 'deprecated',
        statusMessage: 'use d',
        publishedAt: '2025-10-01T10:00:00.123456Z',
        updatedAt: '2025-10-01T10:00:00.123456Z',
      },
    });
  });
});

describe('importRecords', () => {
  it('writes the server verbatim and the facts, then changes nothing on a second run', async () => {
    const input = records(
      response(server('io.github.someone/pg', '1.0.0', { _meta: { 'x.unknown/key': { kept: true } } })),
    );
    const first = await importRecords(input, dir);
    expect(first.counts).toEqual({ added: 1, updated: 0, unchanged: 0, refused: 0 });
    expect(first.written).toEqual([`${PG}/registry.json`, `${PG}/versions/1.0.0.json`]);
    expect(read(`${PG}/versions/1.0.0.json`)).toBe(`${JSON.stringify(input[0]!.server, null, 2)}\n`);
    const facts = JSON.parse(read(`${PG}/registry.json`));
    expect(facts.versions['1.0.0']).toEqual({
      status: 'active',
      publishedAt: '2025-10-01T10:00:00.123456Z',
      updatedAt: '2025-10-01T10:00:00.123456Z',
    });
    expect(facts.curation.categories).toContain('databases');
    expect(facts.curation.tags).toContain('postgres');
    const before = read(`${PG}/registry.json`);
    const second = await importRecords(input, dir);
    expect(second.counts).toEqual({ added: 0, updated: 0, unchanged: 1, refused: 0 });
    expect(second.written).toEqual([]);
    expect(read(`${PG}/registry.json`)).toBe(before);
    expect((await loadRegistry(dir)).problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('updates changed facts (a deprecation) without touching the version file', async () => {
    const body = server('io.github.someone/pg', '1.0.0');
    await importRecords(records(response(body)), dir);
    const manifest = read(`${PG}/versions/1.0.0.json`);
    const result = await importRecords(
      records(response(body, { status: 'deprecated', statusMessage: 'Moved', updatedAt: '2025-11-01T00:00:00Z' })),
      dir,
    );
    expect(result.counts.updated).toBe(1);
    expect(result.written).toEqual([`${PG}/registry.json`]);
    expect(read(`${PG}/versions/1.0.0.json`)).toBe(manifest);
    expect(JSON.parse(read(`${PG}/registry.json`)).versions['1.0.0']).toMatchObject({
      status: 'deprecated',
      statusMessage: 'Moved',
    });
  });

  it('never overwrites a published version with different content (version-immutable)', async () => {
    await importRecords(records(response(server('io.github.someone/pg', '1.0.0'))), dir);
    const manifest = read(`${PG}/versions/1.0.0.json`);
    const changed = server('io.github.someone/pg', '1.0.0', { description: 'Something else entirely' });
    const result = await importRecords(records(response(changed)), dir);
    expect(result.counts.refused).toBe(1);
    expect(result.outcomes[0]!.problems.map((p) => p.code)).toEqual(['version-immutable']);
    expect(result.written).toEqual([]);
    expect(read(`${PG}/versions/1.0.0.json`)).toBe(manifest);
  });

  it('treats an existing file with the same JSON in another format as unchanged', async () => {
    const body = server('io.github.someone/pg', '1.0.0');
    await importRecords(records(response(body)), dir);
    writeFileSync(path.join(dir, `${PG}/versions/1.0.0.json`), JSON.stringify(body));
    expect((await importRecords(records(response(body)), dir)).counts.unchanged).toBe(1);
  });

  it('refuses what the official registry refuses, with rule codes, and imports the rest', async () => {
    const input = records(
      response(server('io.github.someone/pg', '^1.0.0')),
      { server: server('io.github.someone/pg', '2.0.0') },
      response(server('io.github.someone/pg', '3.0.0')),
    );
    const result = await importRecords(input, dir);
    expect(result.outcomes.map((o) => o.kind)).toEqual(['refused', 'refused', 'added']);
    expect(result.outcomes[0]!.problems.map((p) => p.code)).toContain('version-range');
    expect(result.outcomes[1]!.problems.map((p) => p.code)).toEqual(['official-meta-missing']);
    expect(result.written).toEqual([`${PG}/registry.json`, `${PG}/versions/3.0.0.json`]);
  });

  it('refuses a remote URL that already belongs to another server (remote-url-claimed)', async () => {
    const remote = { remotes: [{ type: 'streamable-http', url: 'https://pg.example.com/mcp' }] };
    await importRecords(records(response(server('io.github.first/pg', '1.0.0', remote))), dir);
    const later = response(server('io.github.second/pg', '1.0.0', remote), {
      publishedAt: '2025-12-01T00:00:00Z',
      updatedAt: '2025-12-01T00:00:00Z',
    });
    const result = await importRecords(records(later), dir);
    expect(result.outcomes[0]).toMatchObject({
      kind: 'refused',
      problems: [expect.objectContaining({ code: 'remote-url-claimed' })],
    });
    expect(result.written).toEqual([]);
  });

  it('refuses a second, different copy of one version within the same input', async () => {
    const result = await importRecords(
      records(
        response(server('io.github.someone/pg', '1.0.0')),
        response(server('io.github.someone/pg', '1.0.0', { description: 'Other' })),
      ),
      dir,
    );
    expect(result.outcomes.map((o) => o.kind)).toEqual(['added', 'refused']);
    expect(result.outcomes[1]!.problems[0]!.code).toBe('version-immutable');
  });

  it("keeps a curator's curation, even an empty one", async () => {
    await importRecords(records(response(server('io.github.someone/pg', '1.0.0'))), dir);
    const file = path.join(dir, `${PG}/registry.json`);
    const facts = JSON.parse(readFileSync(file, 'utf8'));
    facts.curation = { categories: [], tags: [] };
    writeFileSync(file, `${JSON.stringify(facts, null, 2)}\n`);
    await importRecords(records(response(server('io.github.someone/pg', '1.1.0'))), dir);
    expect(JSON.parse(readFileSync(file, 'utf8')).curation).toEqual({ categories: [], tags: [] });
  });
});
