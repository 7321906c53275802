/**
 * Deterministic JSON for everything we publish: object keys sorted by code point at every depth, no
 * whitespace, `undefined` members dropped. The same data gives the same bytes whatever order the
 * publisher or the loader produced the keys in.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  // A null prototype keeps a publisher's `__proto__` key an ordinary member.
  const sorted: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value).sort(compareCodePoints)) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) sorted[key] = sortKeys(member);
  }
  return sorted;
}

/** Binary (UTF-16 code unit) order, never locale order, so output does not depend on the machine. */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One file of the published API: a POSIX path relative to the site root, and its bytes as text. */
export interface ApiFile {
  path: string;
  body: string;
}
