/**
 * The fixed query mix of the search benchmarks, typed one keystroke at a time: frequent and rare words
 * of the real descriptions, multi-word queries, a misspelling and a word no server uses.
 */
export const QUERY_MIX: readonly string[] = [
  'github',
  'search',
  'weather',
  'postgresql',
  'kubernetes',
  'file system',
  'browser automation',
  'google calendar',
  'email',
  'pdf',
  'memory',
  'sql database',
  'wether',
  'zyxwvut',
];

/** Every prefix a user types on the way to each query ("w", "we", "wea"...). */
export function keystrokes(queries: readonly string[] = QUERY_MIX): string[] {
  return queries.flatMap((query) => Array.from({ length: query.length }, (_, i) => query.slice(0, i + 1)));
}
