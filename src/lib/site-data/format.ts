/** Text formatting for pages and feeds. Fixed locale and UTC, so a build is byte-identical wherever it runs. */

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 12345 -> "12,345". */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** An RFC 3339 timestamp -> "18 Dec 2025" (UTC). */
export function formatDay(timestamp: string): string {
  const date = new Date(timestamp);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** `2025-12` -> "Dec 2025". */
export function formatMonth(month: string): string {
  return `${MONTHS[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}

/** "1 server", "2 servers". */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${formatCount(count)} ${count === 1 ? noun : pluralNoun}`;
}

/** "1.2.0" -> "v1.2.0", but "v1.0" and "nightly" stay as they are. */
export function versionLabel(version: string): string {
  return /^[0-9]/.test(version) ? `v${version}` : version;
}
