/**
 * Text normalisation shared by index building and querying, so both see the same tokens.
 */

const COMBINING_MARKS = /\p{M}+/gu;
const WORD = /[\p{L}\p{N}]+/gu;
const ASCII = /^[\x00-\x7f]*$/;

/** Lower case, accents removed (`Café` -> `cafe`), camel case kept as one word. */
export function normalise(text: string): string {
  // Most text is ASCII, where decomposition changes nothing: skip it (index building at 100k records).
  if (ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase();
}

/** Words of a text: runs of letters and digits after normalisation. `mcp-server-git` -> mcp, server, git. */
export function tokenize(text: string): string[] {
  return normalise(text).match(WORD) ?? [];
}

/** A text with punctuation collapsed to single spaces, to compare whole names and titles with a query. */
export function canonical(text: string): string {
  return tokenize(text).join(' ');
}
