import { describe, expect, it } from 'vitest';
import { RULES } from '../../../src/lib/rule-codes.ts';
import { validateManifestText } from '../../../src/lib/validate/manifest.ts';
import { RULE_CASES, VALID_FULL_TEXT } from '../../fixtures/manifests/rule-cases.ts';

describe('manifest rules', () => {
  it('the full fixture passes every rule', () => {
    const result = validateManifestText(VALID_FULL_TEXT, 'valid-full.json');
    expect(result.problems).toEqual([]);
    expect(result.server?.name).toBe('io.github.example/weather');
  });

  it('every manifest-scope code has a passing and a failing case', () => {
    const manifestCodes = Object.entries(RULES)
      .filter(([, rule]) => rule.scope === 'manifest')
      .map(([code]) => code)
      .sort();
    expect(RULE_CASES.map((ruleCase) => ruleCase.code).sort()).toEqual(manifestCodes);
  });

  for (const ruleCase of RULE_CASES) {
    describe(ruleCase.code, () => {
      const rule = RULES[ruleCase.code as keyof typeof RULES];

      it('passes', () => {
        const result = validateManifestText(ruleCase.pass, 'pass.json');
        expect(result.problems.filter((problem) => problem.code === ruleCase.code)).toEqual([]);
      });

      it(`fails with a ${rule.severity} at ${ruleCase.path}`, () => {
        const result = validateManifestText(ruleCase.fail, 'fail.json');
        const found = result.problems.filter((problem) => problem.code === ruleCase.code);
        expect(found.length, JSON.stringify(result.problems, null, 1)).toBeGreaterThan(0);
        const problem = found[0]!;
        expect(problem).toMatchObject({
          severity: rule.severity,
          file: 'fail.json',
          path: ruleCase.path,
          hint: rule.hint,
        });
        expect(problem.message.length).toBeGreaterThan(5);
        expect(problem.line).toBeGreaterThanOrEqual(1);
        expect(problem.column).toBeGreaterThanOrEqual(1);
        // Warnings never block; errors always withhold the server.
        expect(result.server === undefined).toBe(result.problems.some((p) => p.severity === 'error'));
      });
    });
  }
});
