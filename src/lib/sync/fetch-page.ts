/**
 * One page of an upstream list, fetched with retries: 408, 429, 5xx, timeouts and dropped connections
 * are retried with exponential backoff (or after the `Retry-After` the server asks for); anything else
 * fails at once. A body that is not JSON is malformed, not a passing fault, and is never retried.
 */
import { httpFetch, HttpError, readCapped } from '../verify/http.ts';

/** A list page of 100 entries is a few hundred kilobytes; this cap only stops a hostile server. */
const MAX_PAGE_BYTES = 32 * 1024 * 1024;
const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

export interface RetryPolicy {
  /** Attempts after the first one. */
  retries: number;
  /** Timeout of each attempt, headers and body together. */
  timeoutMs: number;
  /** First backoff; each further one doubles, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** The longest `Retry-After` honoured; a server that asks for more makes the run fail. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 5,
  timeoutMs: 30_000,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  maxRetryAfterMs: 10 * 60_000,
};

export interface FetchedPage {
  body: unknown;
  /** The body exactly as received. */
  text: string;
  /** The response's `Date` header as an ISO time, when it has a valid one. */
  date?: string;
}

/** The run cannot go on: the message says which URL and why, in one line. */
export class SyncFetchError extends Error {}

export interface RetryNotice {
  url: string;
  attempt: number;
  reason: string;
  delayMs: number;
}

export async function fetchPage(
  url: URL,
  policy: RetryPolicy,
  onRetry: (notice: RetryNotice) => void = () => {},
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<FetchedPage> {
  for (let attempt = 0; ; attempt++) {
    const outcome = await attemptOnce(url, policy);
    if (outcome.ok) return outcome.page;
    if (!outcome.retryable || attempt >= policy.retries) {
      const tries = attempt === 0 ? '' : ` (after ${attempt + 1} attempts)`;
      throw new SyncFetchError(`${url.href}: ${outcome.reason}${tries}`);
    }
    let delayMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
    delayMs = Math.round(delayMs / 2 + (Math.random() * delayMs) / 2);
    if (outcome.retryAfterMs !== undefined) {
      if (outcome.retryAfterMs > policy.maxRetryAfterMs)
        throw new SyncFetchError(
          `${url.href}: ${outcome.reason}, and the server asks to wait ${Math.round(outcome.retryAfterMs / 1000)} s (more than ${policy.maxRetryAfterMs / 1000} s)`,
        );
      delayMs = outcome.retryAfterMs;
    }
    onRetry({ url: url.href, attempt: attempt + 1, reason: outcome.reason, delayMs });
    await sleep(delayMs);
  }
}

type Attempt =
  { ok: true; page: FetchedPage } | { ok: false; retryable: boolean; reason: string; retryAfterMs?: number };

async function attemptOnce(url: URL, policy: RetryPolicy): Promise<Attempt> {
  let response: Response;
  try {
    response = await httpFetch(url.href, { headers: { accept: 'application/json' } }, policy.timeoutMs);
  } catch (error) {
    return { ok: false, retryable: true, reason: reasonOf(error, url) };
  }
  let text: string;
  try {
    text = (await readCapped(response, MAX_PAGE_BYTES, url.href)).toString('utf8');
  } catch (error) {
    const tooLarge = error instanceof HttpError && /larger than/.test(error.message);
    return { ok: false, retryable: !tooLarge, reason: reasonOf(error, url) };
  }
  if (!response.ok) {
    const retryable = RETRYABLE_STATUS.has(response.status);
    const detail = errorDetail(text);
    return {
      ok: false,
      retryable,
      reason: `HTTP ${response.status}${detail ? ` (${detail})` : ''}`,
      ...(retryable && { retryAfterMs: retryAfter(response.headers.get('retry-after')) }),
    };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return { ok: false, retryable: false, reason: `malformed page: not JSON (${(error as Error).message})` };
  }
  const date = Date.parse(response.headers.get('date') ?? '');
  return {
    ok: true,
    page: { body, text, ...(Number.isFinite(date) && { date: new Date(date).toISOString() }) },
  };
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds from now; undefined when absent or unreadable. */
export function retryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

function reasonOf(error: unknown, url: URL): string {
  const name = (error as Error).name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'timed out';
  const message = error instanceof Error ? error.message : String(error);
  return message.startsWith(`${url.href}: `) ? message.slice(url.href.length + 2) : message;
}

/** The official error body `{"error": "..."}`, or the start of a text body, for the message. */
function errorDetail(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown; detail?: unknown; title?: unknown };
    for (const field of [body.error, body.detail, body.title])
      if (typeof field === 'string') return field.slice(0, 200);
  } catch {
    // not JSON
  }
  return text.trim().replace(/\s+/g, ' ').slice(0, 120);
}
