/**
 * Conformance: the zod schema accepts exactly what the official 2025-12-11 JSON Schema accepts,
 * checked with ajv on the real records and on every rule fixture. Reads the official schema from
 * ../shared/reference and skips, saying so, where it is absent.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { ServerJsonSchema } from '../../../src/lib/schema/server.ts';
import { validateManifestText } from '../../../src/lib/validate/manifest.ts';
import { RULE_CASES, VALID_FULL_TEXT } from '../../fixtures/manifests/rule-cases.ts';

const OFFICIAL = new URL('../../../../shared/reference/schemas/server.schema.v2025-12-11.json', import.meta.url);
const present = existsSync(OFFICIAL);
if (!present)
  console.warn(`conformance test skipped: ${OFFICIAL.pathname} is not present (it is not part of the repository)`);

const REAL = new URL('../../fixtures/manifests/real/', import.meta.url);
const DUMP = new URL('../../../../shared/data/official-registry-2025-12-18.json', import.meta.url);

function documents(): [string, unknown][] {
  const docs: [string, unknown][] = [['valid-full', JSON.parse(VALID_FULL_TEXT)]];
  for (const ruleCase of RULE_CASES) {
    for (const [label, text] of [
      ['pass', ruleCase.pass],
      ['fail', ruleCase.fail],
    ] as const) {
      try {
        docs.push([`${ruleCase.code} ${label}`, JSON.parse(text)]);
      } catch {
        // JSON syntax cases have nothing to compare
      }
    }
  }
  for (const name of readdirSync(REAL).filter((file) => file.startsWith('2025-12-11'))) {
    docs.push([name, JSON.parse(readFileSync(new URL(name, REAL), 'utf8'))]);
  }
  return docs;
}

describe.skipIf(!present)('zod schema vs the official 2025-12-11 JSON Schema', () => {
  // vitest still runs a skipped describe body to collect it: read the schema only when a test runs.
  let compiled: ValidateFunction | undefined;
  const official = (document: unknown): boolean => {
    if (!compiled) {
      const ajv = new Ajv({ allErrors: true, strict: false });
      addFormats.default(ajv);
      compiled = ajv.compile(JSON.parse(readFileSync(OFFICIAL, 'utf8')));
    }
    return compiled(document);
  };
  const officialErrors = () => JSON.stringify(compiled?.errors ?? []);

  it.each(documents())('agrees on %s', (_label, document) => {
    const zodAccepts = ServerJsonSchema.safeParse(document).success;
    const officialAccepts = official(document);
    expect(zodAccepts, officialErrors()).toBe(officialAccepts);
  });

  it('accepts every real record of every version once normalised', () => {
    for (const name of readdirSync(REAL).filter((file) => file.endsWith('.json'))) {
      const { server } = validateManifestText(readFileSync(new URL(name, REAL), 'utf8'), name);
      expect(server, name).toBeDefined();
      expect(official(server), `${name}: ${officialErrors()}`).toBe(true);
    }
  });

  it.skipIf(!existsSync(DUMP))('accepts all 2,794 official records once normalised', () => {
    const records = JSON.parse(readFileSync(DUMP, 'utf8')) as { server: { name: string; version: string } }[];
    const rejected = records.flatMap(({ server: record }) => {
      const { server } = validateManifestText(JSON.stringify(record), 'record.json');
      return official(server) ? [] : [`${record.name}@${record.version}: ${officialErrors()}`];
    });
    expect(rejected).toEqual([]);
  });
});
