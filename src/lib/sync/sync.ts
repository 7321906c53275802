/**
 * `npm run sync`: keeps a data folder current with an upstream registry that serves the official v0.1
 * list API, as the official subregistry guidance describes. It lists `GET {base}/v0.1/servers` with
 * `limit=100` and `include_deleted=true`, following `metadata.nextCursor` until there is none; later
 * runs ask only for entries with `updated_since` after the newest `updatedAt` already seen (remembered
 * in sync-state.json; `--full` ignores it). What it gets goes through the import (src/lib/import):
 * new versions become files, status changes update the facts, nothing published is ever rewritten, and
 * records the validator refuses are reported with their rule code and skipped.
 *
 * All or nothing: pages are kept beside the data folder as they arrive (run-dir.ts), and only once the
 * listing is complete and planned is anything in the data folder written. A run that fails leaves the
 * data folder as it was; the next run resumes at the remembered cursor with the same `updated_since`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { formatProblemsText } from '../cli/format.ts';
import { applyImport, planImport } from '../import/import.ts';
import type { ImportRecord } from '../import/official.ts';
import { recordsFromResponse } from '../import/official.ts';
import type { Problem } from '../problems.ts';
import { POLICY_FILE, SYNC_STATE_FILE, versionFile } from '../registry/layout.ts';
import { comparePublishTimes } from '../registry/latest.ts';
import { parsePolicy, parseSyncState } from '../registry/load.ts';
import type { Policy } from '../registry/policy.ts';
import { DEFAULT_POLICY, policyRefusal, policySubject } from '../registry/policy.ts';
import { listServerFolders } from '../registry/source.ts';
import type { SyncState } from '../registry/sync-state.ts';
import { EMPTY_SYNC_STATE, serializeSyncState, sourceState, withSourceState } from '../registry/sync-state.ts';
import type { RetryPolicy } from './fetch-page.ts';
import { fetchPage, SyncFetchError } from './fetch-page.ts';
import type { SyncReport } from './report.ts';
import { buildReport } from './report.ts';
import type { RunHeader } from './run-dir.ts';
import { readCommit, readRunHeader, readStoredPage, removeRun, startRun, storePage, writeCommit } from './run-dir.ts';

export const PAGE_LIMIT = 100;
/** A guard against a server whose cursor never ends: a million entries is far beyond today's registry. */
const MAX_PAGES = 10_000;
/**
 * The next run asks for changes since the newest `updatedAt` seen, but never since later than this long
 * before the run started: an entry updated while the run was paging past it, or committed upstream with
 * an earlier time, is then listed again next time (importing it twice changes nothing).
 */
export const SAFETY_MARGIN_MS = 5 * 60_000;

export interface SyncOptions {
  /** The upstream base URL, e.g. https://registry.modelcontextprotocol.io. */
  from: string;
  into: string;
  full: boolean;
  retry: RetryPolicy;
  /** Stop before writing when the run would write more files than this (a bulk import). */
  maxFiles?: number;
  /** Progress lines (pages, records, rate, ETA, retries). */
  progress: (line: string) => void;
}

export type SyncResult =
  | { kind: 'synced'; report: SyncReport }
  /** A run that stopped after planning was completed first; nothing new was fetched. */
  | { kind: 'completed-interrupted'; report: SyncReport }
  /** More files than maxFiles: nothing was written. */
  | { kind: 'bulk'; report: SyncReport };

/** Bad configuration or data in the data folder: the message names the file, JSON path and rule code. */
export class SyncDataError extends Error {}

export async function runSync(options: SyncOptions): Promise<SyncResult> {
  const started = performance.now();
  const source = normaliseBaseUrl(options.from);
  const into = path.resolve(options.into);

  const interrupted = readCommit(into);
  if (interrupted) {
    applyImport(into, interrupted.writes);
    removeRun(into);
    return { kind: 'completed-interrupted', report: interrupted.summary as SyncReport };
  }

  const policy = readPolicy(into);
  const state = readState(into);
  const previous = sourceState(state, source);
  const since = options.full ? undefined : previous?.updatedSince;

  const listing = await listUpstream(source, into, options, since, previous?.listed);
  const records = listing.records;

  // What to take: versions already here always (their status may have changed); new versions when the
  // policy takes them and they are not deleted upstream.
  const taken: ImportRecord[] = [];
  const skippedPolicy: { label: string; reason: string }[] = [];
  const skippedDeleted: string[] = [];
  for (const record of records) {
    if (isPresent(into, record)) taken.push(record);
    else if (record.facts.ok && record.facts.value.status === 'deleted') skippedDeleted.push(labelOf(record));
    else {
      const reason = policyRefusal(policy, policySubject(record.server));
      if (reason === undefined) taken.push(record);
      else skippedPolicy.push({ label: labelOf(record), reason });
    }
  }

  const plan = await planImport(taken, into, { upstream: { source, seenAt: listing.startedAt } });

  const nextSince = nextUpdatedSince(previous?.updatedSince, records, listing.startedAt);
  const nextState = withSourceState(state, {
    url: source,
    ...(nextSince !== undefined && { updatedSince: nextSince }),
    ...((options.full ? records.length : previous?.listed) !== undefined && {
      listed: options.full ? records.length : previous!.listed!,
    }),
  });
  const writes = new Map(plan.writes);
  const stateText = serializeSyncState(nextState);
  if (readText(path.join(into, SYNC_STATE_FILE)) !== stateText) writes.set(SYNC_STATE_FILE, stateText);

  const report = buildReport({
    source,
    into: options.into,
    full: options.full,
    since,
    nextSince,
    startedAt: listing.startedAt,
    pages: listing.pages,
    resumedPages: listing.resumedPages,
    records: records.length,
    outcomes: plan.outcomes,
    skippedPolicy,
    skippedDeleted,
    files: writes.size,
    publish: policy.publish,
    seconds: (performance.now() - started) / 1000,
  });
  if (options.maxFiles !== undefined && writes.size > options.maxFiles) return { kind: 'bulk', report };

  writeCommit(into, report, writes);
  applyImport(into, writes);
  removeRun(into);
  return { kind: 'synced', report };
}

/** `https://host/prefix/` -> `https://host/prefix`; only http(s), no query or fragment. */
export function normaliseBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SyncDataError(`--from ${JSON.stringify(value)} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new SyncDataError(`--from must be an http(s) URL, got ${url.protocol}`);
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '')
    throw new SyncDataError('--from must be a base URL without query, fragment or credentials');
  return url.href.replace(/\/+$/, '');
}

interface Listing {
  records: ImportRecord[];
  pages: number;
  resumedPages: number;
  startedAt: string;
}

async function listUpstream(
  source: string,
  into: string,
  options: SyncOptions,
  since: string | undefined,
  listed: number | undefined,
): Promise<Listing> {
  const stored = readRunHeader(into);
  const resumable =
    stored !== undefined && stored.source === source && stored.full === options.full && stored.since === since;
  let header: RunHeader;
  const records: ImportRecord[] = [];
  const seenCursors = new Set<string>();
  if (resumable) {
    header = stored;
    for (let index = 0; index < header.pages; index++) {
      const page = parsePage(parseStored(into, index), pageUrl(source, since, undefined).href, index);
      records.push(...page.records);
      if (page.nextCursor !== undefined) seenCursors.add(page.nextCursor);
    }
    if (!header.complete)
      options.progress(
        `resuming the interrupted run: ${header.pages} pages (${records.length} records) already fetched, continuing at cursor ${JSON.stringify(header.nextCursor ?? '')}`,
      );
  } else {
    if (stored !== undefined) options.progress('discarding an interrupted run that listed something else');
    header = {
      source,
      full: options.full,
      ...(since !== undefined && { since }),
      startedAt: '',
      pages: 0,
      complete: false,
    };
  }
  const resumedPages = header.pages;
  const estimate = progressEstimator(into, options.full ? listed : undefined);
  const began = performance.now();
  let lastReport = 0;
  while (!header.complete) {
    if (header.pages >= MAX_PAGES) throw new SyncFetchError(`${source}: more than ${MAX_PAGES} pages`);
    const url = pageUrl(source, since, header.nextCursor);
    const fetched = await fetchPage(url, options.retry, (notice) =>
      options.progress(
        `retrying page ${header.pages + 1} in ${(notice.delayMs / 1000).toFixed(1)} s (attempt ${notice.attempt + 1} of ${options.retry.retries + 1}): ${notice.reason}`,
      ),
    );
    const page = parsePage(fetched.body, url.href, header.pages);
    if (page.nextCursor !== undefined && seenCursors.has(page.nextCursor))
      throw new SyncFetchError(`${url.href}: malformed page: the cursor ${JSON.stringify(page.nextCursor)} repeats`);
    if (page.nextCursor !== undefined) seenCursors.add(page.nextCursor);
    if (header.pages === 0 && header.startedAt === '') {
      header.startedAt = fetched.date ?? new Date().toISOString();
      startRun(into, header);
    }
    records.push(...page.records);
    header = {
      ...header,
      pages: header.pages + 1,
      complete: page.nextCursor === undefined,
      ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}),
    };
    if (header.complete) delete header.nextCursor;
    storePage(into, header, fetched.text);
    const now = performance.now();
    if (header.complete || now - lastReport >= 1000 || header.pages - resumedPages === 1) {
      lastReport = now;
      options.progress(
        progressLine(
          header.pages,
          records.length,
          (now - began) / 1000,
          header.pages - resumedPages,
          header.complete ? 1 : estimate(page),
        ),
      );
    }
  }
  return { records, pages: header.pages, resumedPages, startedAt: header.startedAt || new Date().toISOString() };
}

export function pageUrl(source: string, since: string | undefined, cursor: string | undefined): URL {
  const url = new URL(`${source}/v0.1/servers`);
  url.searchParams.set('limit', String(PAGE_LIMIT));
  url.searchParams.set('include_deleted', 'true');
  if (since !== undefined) url.searchParams.set('updated_since', since);
  if (cursor !== undefined) url.searchParams.set('cursor', cursor);
  return url;
}

interface Page {
  records: ImportRecord[];
  nextCursor?: string;
  /** Name of the last entry, for the progress estimate. */
  lastName?: string;
}

function parseStored(into: string, index: number): unknown {
  try {
    return JSON.parse(readStoredPage(into, index));
  } catch (error) {
    throw new SyncFetchError(
      `stored page ${index + 1} of the interrupted run cannot be read: ${(error as Error).message}`,
    );
  }
}

/** A ServerList page, or a SyncFetchError saying why it is malformed. */
function parsePage(body: unknown, url: string, index: number): Page {
  if (
    typeof body !== 'object' ||
    body === null ||
    Array.isArray(body) ||
    !Array.isArray((body as { servers?: unknown }).servers)
  )
    throw new SyncFetchError(`${url}: malformed page ${index + 1}: expected {"servers": [...], "metadata": {...}}`);
  const metadata = (body as { metadata?: unknown }).metadata;
  const cursor =
    typeof metadata === 'object' && metadata !== null ? (metadata as { nextCursor?: unknown }).nextCursor : undefined;
  if (cursor !== undefined && cursor !== null && typeof cursor !== 'string')
    throw new SyncFetchError(`${url}: malformed page ${index + 1}: metadata.nextCursor is not a string`);
  const parsed = recordsFromResponse(body, `page ${index + 1}`);
  if (!parsed.ok) throw new SyncFetchError(`${url}: malformed page: ${parsed.error}`);
  const last = parsed.records.at(-1)?.server.name;
  return {
    records: parsed.records,
    ...(parsed.nextCursor !== undefined && { nextCursor: parsed.nextCursor }),
    ...(typeof last === 'string' && { lastName: last }),
  };
}

/**
 * How far through the listing a page is, from 0 to 1, or undefined. With the count of the last full
 * run it is the share of that; otherwise the share of this folder's servers whose name sorts before
 * the page's last entry (the list is in name order, and a folder synced before holds a fair sample).
 */
function progressEstimator(into: string, listed: number | undefined): (page: Page) => number | undefined {
  const names = listServerFolders(into).map((folder) => folder.split('/').slice(1).join('/'));
  let records = 0;
  return (page) => {
    records += page.records.length;
    if (listed !== undefined && listed > 0) return Math.min(1, records / listed);
    if (names.length < 100 || page.lastName === undefined) return undefined;
    let low = 0;
    let high = names.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (names[mid]! <= page.lastName) low = mid + 1;
      else high = mid;
    }
    return low / names.length;
  };
}

function progressLine(pages: number, records: number, seconds: number, fetched: number, share?: number): string {
  const rate = seconds > 0 ? fetched / seconds : 0;
  let eta = 'ETA unknown';
  if (share === 1) eta = 'done';
  else if (share !== undefined && share > 0 && rate > 0) {
    const remainingPages = pages / share - pages;
    eta = `ETA ${formatDuration(remainingPages / rate)} (about ${Math.round(share * 100)}%)`;
  }
  return `page ${pages}: ${records.toLocaleString('en-US')} records, ${rate.toFixed(1)} pages/s, ${eta}`;
}

function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  return `${Math.round(seconds / 60)} min`;
}

/**
 * The newest `updatedAt` among the records, but no later than the run's start less the safety margin,
 * and never earlier than where the last run left off.
 */
export function nextUpdatedSince(
  previous: string | undefined,
  records: readonly ImportRecord[],
  startedAt: string,
): string | undefined {
  let newest: string | undefined;
  for (const record of records) {
    if (!record.facts.ok) continue;
    const time = record.facts.value.updatedAt;
    if (newest === undefined || comparePublishTimes(time, newest) > 0) newest = time;
  }
  if (newest === undefined) return previous;
  const cap = new Date(Date.parse(startedAt) - SAFETY_MARGIN_MS).toISOString();
  const bounded = comparePublishTimes(newest, cap) > 0 ? cap : newest;
  return previous !== undefined && comparePublishTimes(previous, bounded) > 0 ? previous : bounded;
}

/** Whether the record's version is already in the data folder (judged only for well-formed names). */
function isPresent(into: string, record: ImportRecord): boolean {
  const { name, version } = record.server;
  if (typeof name !== 'string' || typeof version !== 'string') return false;
  if (!/^[a-zA-Z0-9][a-zA-Z0-9.-]*[a-zA-Z0-9]\/[a-zA-Z0-9][a-zA-Z0-9._-]*[a-zA-Z0-9]$/.test(name)) return false;
  if (version === '' || version.split('/').some((part) => part === '' || part === '.' || part === '..')) return false;
  if (/[\\\0]/.test(version)) return false;
  return existsSync(path.join(into, ...versionFile(name, version).split('/')));
}

function labelOf(record: ImportRecord): string {
  const { name, version } = record.server;
  return typeof name === 'string' && typeof version === 'string' ? `${name}@${version}` : record.origin;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function readManaged<T>(
  into: string,
  file: string,
  parse: (file: { path: string; text: string }, problems: Problem[]) => T | undefined,
): T | undefined {
  const text = readText(path.join(into, file));
  if (text === undefined) return undefined;
  const problems: Problem[] = [];
  const value = parse({ path: file, text }, problems);
  if (value === undefined)
    throw new SyncDataError(
      `${path.join(into, file)} is not valid:\n${formatProblemsText(problems.map((p) => ({ ...p, file: path.join(into, p.file) })))}`,
    );
  return value;
}

function readPolicy(into: string): Policy {
  return readManaged(into, POLICY_FILE, parsePolicy) ?? DEFAULT_POLICY;
}

function readState(into: string): SyncState {
  return readManaged(into, SYNC_STATE_FILE, parseSyncState) ?? EMPTY_SYNC_STATE;
}
