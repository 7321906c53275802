/** HTTP at the edges: every outside request goes through here, with a timeout and a size cap. */

export const DEFAULT_TIMEOUT_MS = 15_000;

export class HttpError extends Error {
  readonly url: string;
  readonly status: number | undefined;

  constructor(url: string, status: number | undefined, message: string) {
    super(message);
    this.url = url;
    this.status = status;
  }
}

export async function httpFetch(
  url: string,
  init: RequestInit = {},
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<Response> {
  try {
    return await fetch(url, { redirect: 'follow', ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : networkCause(error);
    throw new HttpError(url, undefined, `${url}: ${reason}`);
  }
}

/** GET and parse JSON; undefined on 404, HttpError on any other failure. */
export async function getJson(url: string, init: RequestInit = {}, timeoutMs?: number): Promise<unknown> {
  const response = await httpFetch(
    url,
    { ...init, headers: { accept: 'application/json', ...init.headers } },
    timeoutMs,
  );
  if (response.status === 404) return undefined;
  if (!response.ok) throw new HttpError(url, response.status, `${url}: HTTP ${response.status}`);
  return readJson(response, url);
}

export async function getText(url: string, init: RequestInit = {}, timeoutMs?: number): Promise<string | undefined> {
  const response = await httpFetch(url, init, timeoutMs);
  if (response.status === 404) return undefined;
  if (!response.ok) throw new HttpError(url, response.status, `${url}: HTTP ${response.status}`);
  return (await readCapped(response, 5 * 1024 * 1024, url)).toString('utf8');
}

export async function readJson(response: Response, url: string): Promise<unknown> {
  const text = (await readCapped(response, 20 * 1024 * 1024, url)).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(url, response.status, `${url}: the response is not JSON`);
  }
}

/** Reads a body, refusing more than `maxBytes` (a hostile server cannot exhaust memory). */
export async function readCapped(
  response: Response,
  maxBytes: number,
  url: string,
  onChunk?: (chunk: Uint8Array) => void,
): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (!response.body) return Buffer.alloc(0);
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new HttpError(url, response.status, `${url}: larger than ${maxBytes} bytes`);
    onChunk?.(chunk);
    if (!onChunk) chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The useful part of a fetch failure: `ECONNREFUSED`, `ENOTFOUND`... (undici nests it, sometimes in an AggregateError). */
function networkCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }).cause;
  return cause?.code ?? cause?.errors?.find((e) => e.code)?.code ?? cause?.message ?? (error as Error).message;
}
