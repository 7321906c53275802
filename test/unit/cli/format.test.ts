import { describe, expect, it } from 'vitest';
import {
  formatProblemsGithub,
  formatProblemsJson,
  formatProblemsSummary,
  formatProblemsText,
  LISTED_WARNINGS,
  summarise,
} from '../../../src/lib/cli/format.ts';
import type { Problem } from '../../../src/lib/problems.ts';
import type { RuleCode } from '../../../src/lib/rule-codes.ts';

const problem: Problem = {
  code: 'remote-https',
  severity: 'error',
  file: 'registry-data/servers/a,b:c/versions/1.0.0.json',
  path: '$.remotes[0].url',
  message: 'bad URL "http://x"\n::error::injected 100%',
  hint: 'Use https.',
  line: 12,
  column: 7,
};

describe('formatProblemsGithub', () => {
  it('writes one annotation per problem, escaped so untrusted text cannot end it or start another', () => {
    const out = formatProblemsGithub([
      problem,
      { ...problem, severity: 'warning', line: undefined, column: undefined },
    ]);
    const [error, warning] = out.split('\n');
    expect(error).toBe(
      '::error file=registry-data/servers/a%2Cb%3Ac/versions/1.0.0.json,line=12,col=7,title=remote-https::$.remotes[0].url: bad URL "http://x"%0A::error::injected 100%25 (hint: Use https.)',
    );
    expect(warning).toMatch(/^::warning file=[^,]+,title=remote-https::/);
    expect(out.split('\n')).toHaveLength(2);
  });
});

describe('formatProblemsText and JSON', () => {
  it('names file:line:column, severity, code, path, message and hint', () => {
    expect(formatProblemsText([problem])).toBe(
      'registry-data/servers/a,b:c/versions/1.0.0.json:12:7  error  remote-https  $.remotes[0].url\n  bad URL "http://x"\n::error::injected 100%\n  hint: Use https.',
    );
  });
  it('counts errors and warnings', () => {
    const warning = { ...problem, severity: 'warning' as const };
    expect(JSON.parse(formatProblemsJson([problem, warning], { checked: 3 }))).toEqual({
      checked: 3,
      errors: 1,
      warnings: 1,
      problems: [problem, warning],
    });
    expect(summarise([problem, warning, warning])).toBe('1 error, 2 warnings');
    expect(summarise([])).toBe('0 errors, 0 warnings');
  });
});

describe('formatProblemsSummary', () => {
  const warning = (code: RuleCode): Problem => ({ ...problem, severity: 'warning', code });
  it('lists few warnings, and counts many per code unless asked to list them all', () => {
    expect(formatProblemsSummary([problem, warning('schema-missing')], false)).toBe(
      formatProblemsText([problem, warning('schema-missing')]),
    );
    const many = [
      ...Array.from({ length: LISTED_WARNINGS }, () => warning('schema-outdated')),
      warning('duplicate-repository'),
    ];
    expect(formatProblemsSummary([problem, ...many], false)).toBe(
      `${formatProblemsText([problem])}\nwarnings not listed (--verbose lists them): 1 × duplicate-repository, ${LISTED_WARNINGS} × schema-outdated`,
    );
    expect(formatProblemsSummary(many, true)).toBe(formatProblemsText(many));
    expect(formatProblemsSummary([], false)).toBe('');
  });
});
