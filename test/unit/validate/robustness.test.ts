/**
 * Property test: thousands of seeded random corruptions of a full manifest (wrong types, hostile
 * strings, deleted fields, old schema versions) never make the validator throw, and every problem
 * it returns is well-formed: a known code with its table severity, a parseable path, a position.
 */
import { describe, expect, it } from 'vitest';
import { parseJsonPath } from '../../../src/lib/json/parse.ts';
import { RULES, isRuleCode } from '../../../src/lib/rule-codes.ts';
import { RELEASED_SCHEMA_VERSIONS } from '../../../src/lib/schema/server.ts';
import { validateManifestText } from '../../../src/lib/validate/manifest.ts';
import { VALID_FULL_TEXT } from '../../fixtures/manifests/rule-cases.ts';

const HOSTILE_VALUES: unknown[] = [
  null,
  0,
  -1,
  1e308,
  true,
  '',
  ' ',
  'latest',
  '^1.0.0',
  '..',
  'constructor',
  '__proto__',
  'javascript:alert(1)',
  'data:text/html,x',
  'http://localhost/{x}',
  '\u0000\u001b[31m',
  'é'.repeat(300),
  [],
  {},
  [null],
  { type: 'sse' },
  { $ref: '#' },
  '{{VERSION}}',
  'https://example.com/{a}{b}',
  ['x', 1, null],
];

/** A small deterministic PRNG (mulberry32), so every failure is reproducible from its seed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every container (object or array) in the document with the keys it holds. */
function containers(value: unknown, found: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (typeof value !== 'object' || value === null) return found;
  found.push(value as Record<string, unknown>);
  for (const child of Object.values(value)) containers(child, found);
  return found;
}

function corrupt(seed: number): string {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const manifest = JSON.parse(VALID_FULL_TEXT) as Record<string, unknown>;
  if (next() < 0.5)
    manifest.$schema = `https://static.modelcontextprotocol.io/schemas/${pick(RELEASED_SCHEMA_VERSIONS)}/server.schema.json`;
  const edits = 1 + Math.floor(next() * 4);
  for (let edit = 0; edit < edits; edit++) {
    const target = pick(containers(manifest));
    const keys = Object.keys(target);
    if (keys.length === 0) continue;
    const key = pick(keys);
    if (next() < 0.2) delete target[key];
    else target[key] = structuredClone(pick(HOSTILE_VALUES));
  }
  return JSON.stringify(manifest, null, next() < 0.5 ? 2 : 0);
}

describe('validateManifestText under random corruption', () => {
  it('never throws and always returns well-formed problems (2,000 seeded cases)', () => {
    const seen = new Set<string>();
    for (let seed = 1; seed <= 2000; seed++) {
      const text = corrupt(seed);
      const result = validateManifestText(text, 'fuzz.json');
      const context = `seed ${seed}: ${text.slice(0, 300)}`;
      for (const problem of result.problems) {
        seen.add(problem.code);
        expect(isRuleCode(problem.code), context).toBe(true);
        if (!isRuleCode(problem.code)) continue;
        expect(problem.severity, context).toBe(RULES[problem.code].severity);
        expect(parseJsonPath(problem.path), `${context} ${problem.path}`).toBeDefined();
        expect(problem.line, context).toBeGreaterThanOrEqual(1);
        expect(problem.column, context).toBeGreaterThanOrEqual(1);
        expect(problem.file).toBe('fuzz.json');
      }
      expect(result.server === undefined, context).toBe(
        result.problems.some((problem) => problem.severity === 'error'),
      );
    }
    // The corruptions reach deep into the rules, not only the JSON and schema stages.
    expect(seen.size).toBeGreaterThan(25);
  });
});
