import { describe, expect, it } from 'vitest';
import { base64Utf8, isAllowedInstallHref, queryString, shellCommand, shellWord } from '../../../src/lib/install/encode.ts';
import { bashArgv } from './decode.ts';
import { NASTY_STRINGS } from './nasty.ts';

describe('shellWord / shellCommand', () => {
  it('bash splits the command back into exactly the argv, for every nasty string', () => {
    const argv = ['cmd', ...NASTY_STRINGS];
    expect(bashArgv(shellCommand(argv))).toEqual(argv);
  });

  it('leaves safe words bare and quotes everything else', () => {
    expect(shellWord('airtable-mcp-server@1.7.2')).toBe('airtable-mcp-server@1.7.2');
    expect(shellWord('KEY=value')).toBe('KEY=value');
    expect(shellWord('=value')).toBe("'=value'");
    expect(shellWord("it's")).toBe(`'it'\\''s'`);
    expect(shellWord('')).toBe("''");
  });
});

describe('base64Utf8', () => {
  it('encodes UTF-8 bytes (emoji included) so a UTF-8 decoder gets the text back', () => {
    for (const text of NASTY_STRINGS) {
      expect(Buffer.from(base64Utf8(text), 'base64').toString('utf8')).toBe(text);
      expect(base64Utf8(text)).toBe(Buffer.from(text, 'utf8').toString('base64'));
    }
  });

  it('handles configs larger than one chunk', () => {
    const big = '🚀x'.repeat(50_000);
    expect(Buffer.from(base64Utf8(big), 'base64').toString('utf8')).toBe(big);
  });
});

describe('queryString', () => {
  it('round-trips through URLSearchParams, keeping repeated keys and order', () => {
    const params = NASTY_STRINGS.map((value) => ['arg', value] as const);
    const url = new URL(`goose://extension?${queryString([['name', 'a b+c'], ...params])}`);
    expect(url.searchParams.get('name')).toBe('a b+c');
    expect(url.searchParams.getAll('arg')).toEqual([...NASTY_STRINGS]);
  });
});

describe('isAllowedInstallHref', () => {
  it('accepts only the generated schemes', () => {
    expect(isAllowedInstallHref('https://cursor.com/en/install-mcp?name=x')).toBe(true);
    expect(isAllowedInstallHref('vscode:mcp/install?%7B%7D')).toBe(true);
    expect(isAllowedInstallHref('goose://extension?cmd=npx')).toBe(true);
    expect(isAllowedInstallHref('javascript:alert(1)')).toBe(false);
    expect(isAllowedInstallHref('http://example.com')).toBe(false);
    expect(isAllowedInstallHref('data:text/html,x')).toBe(false);
    expect(isAllowedInstallHref('not a url')).toBe(false);
  });
});
