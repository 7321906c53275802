/**
 * The probe's only way out to the network: a fetch for the SDK's transports that
 *  - connects only to public addresses, checked on the address actually dialled (after DNS, on every
 *    connection, so every redirect hop and a DNS answer that changes between look-ups are covered),
 *  - sends a host named by `--resolve HOST=BASE_URL` to that base URL instead, unchecked: the
 *    operator's explicit choice (tests, an air-gapped mirror's proxy),
 *  - never follows a redirect itself (the SDK follows same-origin ones, each through this fetch again),
 *  - never sends credentials or cookies, and
 *  - caps bytes per response and per server, and stops everything when the server's budget runs out.
 */
import dns from 'node:dns';
import net from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import type { ProbeLimits } from './limits.ts';
import { isPublicAddress } from './address.ts';

export type LookupAll = (hostname: string) => Promise<{ address: string; family: number }[]>;

export interface ProbeNetwork {
  /** Lower-case host name -> base URL its requests go to instead. */
  resolve: ReadonlyMap<string, URL>;
  lookup: LookupAll;
  limits: ProbeLimits;
  /** Connections for public hosts: every address comes from `lookup` and is checked. */
  guarded: Agent;
  /** Connections for hosts mapped by `resolve`. */
  mapped: Agent;
}

/** What went wrong below the SDK, kept so the outcome says why rather than the SDK's generic wrapper. */
export type NetFailureKind = 'blocked' | 'too-large' | 'scheme';

export class NetFailure extends Error {
  readonly kind: NetFailureKind;
  constructor(kind: NetFailureKind, message: string) {
    super(message);
    this.kind = kind;
  }
}

/** One server's traffic: its budget, its byte count, and what the last responses said. */
export interface ProbeSession {
  signal: AbortSignal;
  bytes: number;
  requests: number;
  failure?: NetFailure;
  /** Status and content type of the last response, for telling "not MCP" from "broken". */
  lastStatus?: number;
  lastContentType?: string;
  /** Redirect responses seen, and where the last one pointed (origin only). */
  redirects: number;
  lastRedirect?: string;
  /** The last 401/403: its status and WWW-Authenticate header. */
  challenge?: { status: 401 | 403; wwwAuthenticate: string | undefined; url: string };
}

export function newSession(signal: AbortSignal): ProbeSession {
  return { signal, bytes: 0, requests: 0, redirects: 0 };
}

/** Parses `HOST=BASE_URL` options; undefined error-free result or a message naming the bad one. */
export function parseResolve(values: readonly string[]): Map<string, URL> | string {
  const map = new Map<string, URL>();
  for (const value of values) {
    const eq = value.indexOf('=');
    const host = value.slice(0, eq).trim().toLowerCase();
    const base = value.slice(eq + 1).trim();
    if (eq < 1 || !/^[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$/.test(host))
      return `--resolve ${JSON.stringify(value)}: expected HOST=BASE_URL, e.g. mcp.example.com=http://127.0.0.1:4567`;
    if (!URL.canParse(base) || !/^https?:$/.test(new URL(base).protocol))
      return `--resolve ${JSON.stringify(value)}: BASE_URL must be an http(s) URL`;
    map.set(host, new URL(base));
  }
  return map;
}

/**
 * The system resolver (getaddrinfo, like every other program), or the DNS servers named in
 * MCP_DNS_SERVERS (comma-separated host:port), as the PR check does, so tests can answer look-ups.
 */
export function systemLookup(servers?: readonly string[]): LookupAll {
  if (!servers?.length) return async (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });
  const resolver = new dns.promises.Resolver({ timeout: 5_000, tries: 2 });
  resolver.setServers([...servers]);
  return async (hostname) => {
    const settle = <T>(promise: Promise<T[]>) => promise.catch(() => [] as T[]);
    const [v4, v6] = await Promise.all([settle(resolver.resolve4(hostname)), settle(resolver.resolve6(hostname))]);
    const found = [...v4.map((address) => ({ address, family: 4 })), ...v6.map((address) => ({ address, family: 6 }))];
    if (found.length === 0) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return found;
  };
}

export function createNetwork(resolve: ReadonlyMap<string, URL>, lookup: LookupAll, limits: ProbeLimits): ProbeNetwork {
  const timeouts = {
    headersTimeout: limits.requestTimeoutMs,
    bodyTimeout: limits.requestTimeoutMs,
    connectTimeout: limits.requestTimeoutMs,
  };
  const guardedLookup = (
    hostname: string,
    options: { all?: boolean },
    callback: (error: Error | null, address: string | { address: string; family: number }[], family?: number) => void,
  ) => {
    lookup(hostname).then(
      (addresses) => {
        const refused = addresses.find((entry) => !isPublicAddress(entry.address));
        if (refused || addresses.length === 0) {
          callback(
            new NetFailure(
              'blocked',
              `${hostname} resolves to ${refused?.address ?? 'no address'}, which is not a public address; nothing was sent`,
            ),
            '',
          );
        } else if (options.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: Error) => callback(error, ''),
    );
  };
  return {
    resolve,
    lookup,
    limits,
    guarded: new Agent({ ...timeouts, connect: { lookup: guardedLookup as never, timeout: limits.requestTimeoutMs } }),
    mapped: new Agent(timeouts),
  };
}

export async function closeNetwork(network: ProbeNetwork): Promise<void> {
  await Promise.all([network.guarded.close(), network.mapped.close()]);
}

/** Headers we never send, whatever a manifest or the SDK puts in. */
const NEVER_SENT = new Set(['authorization', 'cookie', 'proxy-authorization']);
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** The fetch to hand to the SDK's transports for one server's session. */
export function probeFetch(network: ProbeNetwork, session: ProbeSession) {
  return async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const fail = (failure: NetFailure): never => {
      session.failure ??= failure;
      throw failure;
    };
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      fail(new NetFailure('scheme', `refused a ${url.protocol} URL; only http and https are probed`));
    const mappedBase = network.resolve.get(url.hostname.toLowerCase());
    const target = mappedBase ? rebase(url, mappedBase) : url;
    if (!mappedBase) {
      const literal = url.hostname.replace(/^\[|\]$/g, '');
      if (net.isIP(literal) && !isPublicAddress(literal))
        fail(new NetFailure('blocked', `${literal} is not a public address; nothing was sent`));
    }
    session.requests++;
    const headers = new Headers(init.headers as HeadersInit | undefined);
    for (const name of NEVER_SENT) headers.delete(name);
    const signal = init.signal ? AbortSignal.any([session.signal, init.signal]) : session.signal;
    let response;
    try {
      response = await undiciFetch(target, {
        method: init.method,
        headers: [...headers],
        body: init.body as string | undefined,
        redirect: 'manual',
        credentials: 'omit',
        signal,
        dispatcher: mappedBase ? network.mapped : network.guarded,
      });
    } catch (error) {
      const blocked = findCause(error, (cause) => cause instanceof NetFailure);
      if (blocked) fail(blocked as NetFailure);
      throw error;
    }
    session.lastStatus = response.status;
    session.lastContentType = response.headers.get('content-type') ?? undefined;
    const location = response.status >= 300 && response.status < 400 ? response.headers.get('location') : null;
    if (location !== null) {
      session.redirects++;
      session.lastRedirect = URL.canParse(location, url) ? new URL(location, url).origin : 'an invalid URL';
    }
    if (response.status === 401 || response.status === 403)
      session.challenge = {
        status: response.status,
        wwwAuthenticate: response.headers.get('www-authenticate') ?? undefined,
        url: url.href,
      };
    const body =
      NULL_BODY_STATUSES.has(response.status) || !response.body
        ? null
        : capped(response.body as ReadableStream<Uint8Array>, network, session);
    return new Response(body as ReadableStream<Uint8Array> | null, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers as unknown as Headers,
    });
  };
}

/** `https://mcp.example.com/a/b?q` with base `http://127.0.0.1:4567/x` -> `http://127.0.0.1:4567/x/a/b?q`. */
function rebase(url: URL, base: URL): URL {
  const prefix = base.pathname.replace(/\/+$/, '');
  return new URL(`${base.protocol}//${base.host}${prefix}${url.pathname}${url.search}`);
}

function capped(body: ReadableStream<Uint8Array>, network: ProbeNetwork, session: ProbeSession) {
  let received = 0;
  const { responseBytes, serverBytes } = network.limits;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        session.bytes += chunk.byteLength;
        if (received > responseBytes || session.bytes > serverBytes) {
          const failure = new NetFailure(
            'too-large',
            received > responseBytes
              ? `a response was larger than ${responseBytes} bytes`
              : `the server sent more than ${serverBytes} bytes in all`,
          );
          session.failure ??= failure;
          controller.error(failure);
        } else controller.enqueue(chunk);
      },
    }),
  );
}

function findCause(error: unknown, test: (cause: unknown) => boolean): unknown {
  for (let cause = error, depth = 0; cause && depth < 8; depth++) {
    if (test(cause)) return cause;
    const nested = (cause as { cause?: unknown; errors?: unknown[] }).errors?.find(test);
    if (nested) return nested;
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}
