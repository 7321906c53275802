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

/** Standard base64 of the UTF-8 bytes (btoa alone throws on non-Latin-1 text such as emoji). */
export function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
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
  if (!URL.canParse(href)) return false;
  return (INSTALL_LINK_SCHEMES as readonly string[]).includes(new URL(href).protocol);
}
