/**
 * Encoders for every context an install value ends up in: JSON text, URL components, base64, POSIX shell
 * words. Each one is exact (the tests decode them back), because a config that almost round-trips breaks
 * for the one server whose argument contains a quote, a `%` or an emoji.
 */

/** Pretty JSON as clients' own docs show it: two-space indent, trailing newline-free. */
export const jsonText = (value: unknown): string => JSON.stringify(value, null, 2);

/** Words a POSIX shell (and zsh) reads literally without quotes; `=` and `~` only matter at the start. */
const BARE_SHELL_WORD = /^[A-Za-z0-9_@%+:,./-][A-Za-z0-9_@%+:,./=-]*$/;

/** One argv word for bash/zsh/sh: bare when safe, otherwise single-quoted with `'` spelled `'\''`. */
export function shellWord(word: string): string {
  if (BARE_SHELL_WORD.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** A command line whose words a POSIX shell splits back into exactly `argv`. */
export const shellCommand = (argv: readonly string[]): string => argv.map(shellWord).join(' ');

const utf8 = new TextEncoder();
const ASCII = /^[\x00-\x7f]*$/;

/** Standard base64 of the UTF-8 bytes (btoa alone throws on non-Latin-1 text such as emoji). */
export function base64Utf8(text: string): string {
  // ASCII text is its own UTF-8 encoding, which btoa reads directly.
  if (ASCII.test(text)) return btoa(text);
  const bytes = utf8.encode(text);
  let binary = '';
  // Chunked so a large config cannot overflow the argument limit of String.fromCharCode.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** `a=1&b=2` with every key and value percent-encoded (never `+` for space); repeated keys allowed. */
export function queryString(params: ReadonlyArray<readonly [string, string]>): string {
  return params.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&');
}

/** The URL schemes the install panel may link to: all generated here, never taken from a manifest. */
export const INSTALL_LINK_SCHEMES = ['https:', 'vscode:', 'vscode-insiders:', 'cursor:', 'goose:'] as const;

/** True when `href` parses and uses one of INSTALL_LINK_SCHEMES. */
export function isAllowedInstallHref(href: string): boolean {
  const url = URL.parse(href);
  return url !== null && (INSTALL_LINK_SCHEMES as readonly string[]).includes(url.protocol);
}

/** Plain (unquoted) YAML scalars we emit: a letter, `/`, `<` or `-x` first, no other indicator, no `: ` or ` #`. */
const YAML_PLAIN = /^(?:[A-Za-z/<]|--?[A-Za-z])(?:[\w./<>@=+&'()!?,-]|:(?! )| (?![ #]))*$/;
/** Plain words some YAML parser (1.1 or 1.2) reads as a boolean or null instead of a string. */
const YAML_NOT_STRING = /^(?:true|false|yes|no|on|off|y|n|null)$/i;
/** Characters YAML forbids raw even in a double-quoted scalar (JSON.stringify leaves them as they are). */
const YAML_NOT_PRINTABLE = /[\x7f-\x84\x86-\x9f\ufeff\ufffe\uffff]/g;

/** A string, number, boolean or null as a YAML scalar: plain when that reads back as the same string, else double-quoted. */
function yamlScalar(value: unknown): string {
  if (typeof value === 'string') {
    if (YAML_PLAIN.test(value) && !/[: ]$/.test(value) && !YAML_NOT_STRING.test(value)) return value;
    // A JSON string is a YAML double-quoted scalar with the same escapes.
    return JSON.stringify(value).replace(
      YAML_NOT_PRINTABLE,
      (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  }
  if (typeof value === 'boolean' || value === null || (typeof value === 'number' && Number.isFinite(value)))
    return String(value);
  throw new TypeError(`no YAML form for ${typeof value}`);
}

/** What follows `key:` or `-`: a scalar or empty collection on the same line, or an indented block. */
function yamlValue(value: unknown, indent: string): string {
  if (typeof value !== 'object' || value === null) return ` ${yamlScalar(value)}`;
  const entries = Array.isArray(value) ? value : Object.entries(value);
  if (entries.length === 0) return Array.isArray(value) ? ' []' : ' {}';
  return `\n${yamlBlock(value as object, indent)}`;
}

function yamlBlock(value: object, indent: string): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) return value.map((item) => `${indent}-${yamlValue(item, inner)}`).join('\n');
  return Object.entries(value)
    .map(([key, item]) => `${indent}${yamlScalar(key)}:${yamlValue(item, inner)}`)
    .join('\n');
}

/**
 * Block-style YAML of JSON-like data (objects, arrays, strings, finite numbers, booleans, null), as
 * YAML 1.1 and 1.2 parsers read it back: strings that could be misread are double-quoted, keys included.
 */
export const yamlText = (value: Readonly<Record<string, unknown>>): string => `${yamlBlock(value, '')}\n`;
