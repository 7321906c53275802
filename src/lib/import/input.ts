/**
 * Where import records come from: a local file, or an http(s) URL of the official read API. A URL
 * that answers a ServerList page with `metadata.nextCursor` is followed page by page.
 */
import { readFile } from 'node:fs/promises';
import type { ImportRecord, ResponseParse } from './official.ts';
import { recordsFromResponse } from './official.ts';

/** A guard against a server whose cursor never ends: 1,000 pages of 100 is far beyond today's registry. */
const MAX_PAGES = 1000;

export type InputResult = { ok: true; records: ImportRecord[] } | { ok: false; error: string };

export async function readImportInput(source: string): Promise<InputResult> {
  return /^https?:\/\//i.test(source) ? readUrl(source) : readFileInput(source);
}

async function readFileInput(file: string): Promise<InputResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { ok: false, error: `cannot read ${file}: ${(error as Error).message}` };
  }
  return fromText(text, file);
}

async function readUrl(url: string): Promise<InputResult> {
  const records: ImportRecord[] = [];
  const seenCursors = new Set<string>();
  let next: URL = new URL(url);
  for (let page = 0; page < MAX_PAGES; page++) {
    let text: string;
    try {
      const response = await fetch(next, { headers: { accept: 'application/json' }, redirect: 'follow' });
      text = await response.text();
      if (!response.ok) return { ok: false, error: `${next.href}: HTTP ${response.status} ${response.statusText}` };
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      return { ok: false, error: `cannot fetch ${next.href}: ${cause ?? (error as Error).message}` };
    }
    const parsed = fromText(text, next.href);
    if (!parsed.ok) return parsed;
    records.push(...parsed.records);
    if (parsed.nextCursor === undefined) return { ok: true, records };
    if (seenCursors.has(parsed.nextCursor))
      return { ok: false, error: `${next.href}: the cursor ${JSON.stringify(parsed.nextCursor)} repeats` };
    seenCursors.add(parsed.nextCursor);
    next = new URL(next);
    next.searchParams.set('cursor', parsed.nextCursor);
  }
  return { ok: false, error: `${url}: more than ${MAX_PAGES} pages` };
}

function fromText(text: string, origin: string): ResponseParse {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `${origin}: not valid JSON: ${(error as Error).message}` };
  }
  return recordsFromResponse(body, origin);
}
