import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  base64Utf8,
  isAllowedInstallHref,
  queryString,
  shellCommand,
  shellWord,
  yamlText,
} from '../../../src/lib/install/encode.ts';
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

  it('encodes Latin-1 text as UTF-8 too, not as the one-byte characters btoa alone would take', () => {
    for (const text of ['plain ascii {"a":1}', '\x00\x7f', 'café', '\x80\xff', 'ü🚀']) {
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

describe('yamlText', () => {
  /** Both YAML versions: Goose and other readers may resolve `yes`, `on` or `0x1F` the YAML 1.1 way. */
  const readsBack = (value: Record<string, unknown>) => {
    const text = yamlText(value);
    expect(parseYaml(text), text).toEqual(value);
    expect(parseYaml(text, { version: '1.1' }), text).toEqual(value);
  };
  /** Strings a YAML reader could take for a number, boolean, null, comment, indicator or line break. */
  const LOOK_ALIKES = [
    'true',
    'False',
    'yes',
    'No',
    'on',
    'OFF',
    'y',
    'n',
    'null',
    '~',
    '123',
    '-1',
    '1.5',
    '.5',
    '1e3',
    '0x1F',
    '0o17',
    '.inf',
    '-.nan',
    '1:20',
    '2001-12-14',
    '-',
    '--',
    '---',
    '...',
    'a: b',
    'a:',
    'key: ',
    ' lead',
    'trail ',
    'a #b',
    '#c',
    '@at',
    '`tick',
    '!tag',
    '&anchor',
    '*alias',
    '?q',
    '|pipe',
    '>fold',
    '%dir',
    '[x]',
    '{y}',
    "'q'",
    '"dq"',
    'a\u2028b',
    '\u0085',
    '\u007f',
    '\ufeff',
    '\ud800',
    '\u0000',
  ];

  it('reads back with yaml.parse (1.2 and 1.1) for every nasty string and look-alike of another type, as key and value', () => {
    for (const text of [...NASTY_STRINGS, ...LOOK_ALIKES]) {
      readsBack({ [text]: text, list: [text, [text], { [text]: [text] }] });
    }
  });

  it('reads back for random strings over YAML-significant characters', () => {
    const alphabet = [...'aZ09 -_:#@&*!|>\'"%?,[]{}~.=/<\\\t\n\r\u0085\u2028é🚀'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % alphabet.length;
    for (let round = 0; round < 2000; round++) {
      const text = Array.from({ length: 1 + (round % 9) }, () => alphabet[next()]).join('');
      readsBack({ [text]: [text] });
    }
  });

  it('writes block style with plain scalars where they read back unchanged', () => {
    const text = yamlText({
      extensions: {
        weather: {
          enabled: true,
          name: 'Weather & Forecasts',
          args: ['-y', '@acme/weather@1.0', '8080'],
          envs: {},
          timeout: 300,
        },
      },
    });
    expect(text).toBe(
      'extensions:\n  weather:\n    enabled: true\n    name: Weather & Forecasts\n    args:\n      - -y\n      - "@acme/weather@1.0"\n      - "8080"\n    envs: {}\n    timeout: 300\n',
    );
  });
});
