import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { probeJsonSchemas } from '../../../src/lib/registry/probe-facts.ts';

describe('docs/schema/probe*.schema.json', () => {
  it('are the JSON Schemas generated from the zod schemas the loader checks', () => {
    for (const [file, schema] of Object.entries(probeJsonSchemas())) {
      const url = new URL(`../../../docs/schema/${file}`, import.meta.url);
      const expected = `${JSON.stringify(schema, null, 2)}\n`;
      if (process.env.UPDATE_DOCS === '1') writeFileSync(url, expected);
      else
        expect(
          readFileSync(url, 'utf8'),
          `docs/schema/${file} is stale: run UPDATE_DOCS=1 npx vitest run test/unit/probe`,
        ).toBe(expected);
    }
  });
});
