/**
 * Conformance: the zod schema accepts exactly what the official 2025-12-11 JSON Schema accepts,
 * checked with ajv on the real records and on every rule fixture. Reads the official schema from
 * ../shared/reference and skips, saying so, where it is absent.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { ServerJsonSchema } from '../../../src/lib/schema/server.ts';
import { RULE_CASES, VALID_FULL_TEXT } from '../../fixtures/manifests/rule-cases.ts';

const OFFICIAL = new URL('../../../../shared/reference/schemas/server.schema.v2025-12-11.json', import.meta.url);
const present = existsSync(OFFICIAL);
if (!present) console.warn(`conformance test skipped: ${OFFICIAL.pathname} is not present (it is not part of the repository)`);

const REAL = new URL('../../fixtures/manifests/real/', import.meta.url);

function documents(): [string, unknown][] {
  const docs: [string, unknown][] = [['valid-full', JSON.parse(VALID_FULL_TEXT)]];
  for (const ruleCase of RULE_CASES) {
    for (const [label, text] of [['pass', ruleCase.pass], ['fail', ruleCase.fail]] as const) {
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
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const official = ajv.compile(JSON.parse(readFileSync(OFFICIAL, 'utf8')));

  it.each(documents())('agrees on %s', (_label, document) => {
    const zodAccepts = ServerJsonSchema.safeParse(document).success;
    expect(zodAccepts, JSON.stringify(official.errors ?? [])).toBe(official(document));
  });
});
