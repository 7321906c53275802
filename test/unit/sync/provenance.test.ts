/** Provenance written by a sync reaches the model and the API's server documents, as published. */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import { schemaDocument, serverDocument } from '../../../src/lib/api/ours.ts';
import { importRecords } from '../../../src/lib/import/import.ts';
import { recordsFromResponse } from '../../../src/lib/import/official.ts';
import { loadRegistry } from '../../../src/lib/registry/load.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mcp-provenance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('provenance', () => {
  it('is in the model and the server document, and validates against the published schema', async () => {
    cpSync('registry-data/vocabulary.json', path.join(dir, 'vocabulary.json'));
    const sample = JSON.parse(readFileSync('test/fixtures/official/sample-2025-12-18.json', 'utf8'));
    const parsed = recordsFromResponse(sample, 'sample');
    if (!parsed.ok) throw new Error(parsed.error);
    // One server from upstream, one imported by hand (no provenance).
    const [fromUpstream, byHand] = [
      parsed.records.filter((r) => r.server.name === 'md.install/try'),
      parsed.records.filter((r) => r.server.name === 'app.getdialer/dialer'),
    ];
    await importRecords(fromUpstream, dir, {
      upstream: { source: 'https://registry.modelcontextprotocol.io', seenAt: '2026-01-01T00:00:00.000Z' },
    });
    await importRecords(byHand, dir);
    const { registry, problems } = await loadRegistry(dir);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    const [dialer, tryServer] = registry.servers;
    expect(tryServer!.listing).toEqual({
      source: 'https://registry.modelcontextprotocol.io',
      listedSince: '2025-09-09T07:04:48.602632Z',
      firstSyncedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(dialer!.listing).toBeUndefined();

    const ajv = new Ajv2020({ allErrors: true, strictTypes: false });
    addFormats.default(ajv);
    const validate = ajv.compile(schemaDocument('server.json', 'https://mcp.example'));
    for (const record of registry.servers) {
      const document = serverDocument(record, 'https://mcp.example');
      expect(validate(JSON.parse(JSON.stringify(document))), JSON.stringify(validate.errors)).toBe(true);
    }
    expect(serverDocument(tryServer!, 'https://mcp.example').listing).toEqual(tryServer!.listing);
    expect('listing' in serverDocument(dialer!, 'https://mcp.example')).toBe(false);
  });
});
