import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../../src/lib/rule-codes.ts';
import { renderRulesMarkdown } from '../../../src/lib/rules/markdown.ts';

const DOC = new URL('../../../docs/validation.md', import.meta.url);
const START = '<!-- rules:start -->\n';
const END = '<!-- rules:end -->';

describe('docs/validation.md', () => {
  it('lists every rule code exactly as RULES says', () => {
    const doc = readFileSync(DOC, 'utf8');
    const before = doc.slice(0, doc.indexOf(START) + START.length);
    const after = doc.slice(doc.indexOf(END));
    const expected = `${before}${renderRulesMarkdown()}\n${after}`;
    if (process.env.UPDATE_DOCS === '1') {
      writeFileSync(DOC, expected);
      return;
    }
    expect(doc, 'docs/validation.md is stale: run UPDATE_DOCS=1 npx vitest run test/unit/rules/docs.test.ts').toBe(
      expected,
    );
    for (const code of Object.keys(RULES)) expect(doc).toContain(`### \`${code}\``);
  });
});

describe('RULES', () => {
  it('uses kebab-case codes with a title, hint and official counterpart each', () => {
    for (const [code, rule] of Object.entries(RULES)) {
      expect(code).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(rule.title.length).toBeGreaterThan(5);
      expect(rule.hint).toMatch(/\.$/);
      expect(rule.mirrors.length).toBeGreaterThan(5);
    }
  });

  it('includes the registry-wide codes the registry loader reports', () => {
    for (const code of [
      'duplicate-version',
      'name-case-collision',
      'remote-url-claimed',
      'too-many-versions',
      'folder-mismatch',
    ]) {
      expect(RULES).toHaveProperty([code, 'scope'], 'registry');
    }
  });
});
