/**
 * Probes one remote of a server with the official SDK client: handshake (the SDK offers every
 * protocol version it supports and checks the answer), then tools, prompts and resources, each
 * list followed page by page within the limits. Every failure becomes an outcome with a short reason.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  discoverOAuthProtectedResourceMetadata,
  extractWWWAuthenticateParams,
} from '@modelcontextprotocol/sdk/client/auth.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import {
  ErrorCode,
  ListPromptsResultSchema,
  ListResourcesResultSchema,
  ListToolsResultSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { ProbeOutcome, ProbedRemote } from '../registry/probe-facts.ts';
import type { Remote } from '../schema/server.ts';
import type { ListedTool } from './tools.ts';
import type { ProbeNetwork, ProbeSession } from './net.ts';
import type { ProbeLimits } from './limits.ts';
import { newSession, probeFetch } from './net.ts';
import { DEFAULT_LIMITS } from './limits.ts';

const DEFAULT_REDIRECTS = DEFAULT_LIMITS.redirects;

export const PROBE_CLIENT = { name: 'mcp-index-probe', version: '1.0.0' };

/** What one remote said, before it is compared with the previous probe.json. */
export interface RemoteObservation {
  remote: Omit<ProbedRemote, 'since'>;
  /** Present when the handshake succeeded and the server offers tools. */
  tools?: ListedTool[];
  toolsTruncated?: boolean;
}

export type Observed = Omit<ProbedRemote, 'since'>;

/** Probes `remote` within `signal` (the server's budget). Never throws. */
export async function probeRemote(
  remote: Remote,
  network: ProbeNetwork,
  signal: AbortSignal,
): Promise<RemoteObservation> {
  const base: Observed = { type: remote.type, url: remote.url, outcome: 'error' };
  const config = needsConfig(remote);
  if (config) return { remote: { ...base, outcome: 'needs-config', reason: config } };
  const session = newSession(signal);
  const fetch = probeFetch(network, session);
  const url = new URL(remote.url);
  const requestInit = { headers: fixedHeaders(remote) };
  const inner =
    remote.type === 'sse'
      ? new SSEClientTransport(url, { fetch, requestInit })
      : new StreamableHTTPClientTransport(url, { fetch, requestInit, reconnectionOptions: NO_RECONNECT });
  const transport = new ObservedTransport(inner);
  const client = new Client(PROBE_CLIENT, { capabilities: {} });
  client.onerror = () => {}; // errors of background streams; the awaited calls report what matters
  const timeout = network.limits.requestTimeoutMs;
  try {
    try {
      await client.connect(transport, { signal, timeout });
    } catch (error) {
      return { remote: await failedRemote(base, error, session, transport, network, remote.url) };
    }
    return await listConnected(client, transport, base, network.limits, signal, session);
  } finally {
    await client.close().catch(() => {});
  }
}

/**
 * After a successful handshake: what the server says it is, then its tools, prompts and resources,
 * each list followed page by page within the limits. Shared by remote and sandboxed stdio probes.
 */
export async function listConnected(
  client: Client,
  transport: { protocolVersion?: string },
  base: Observed,
  limits: ProbeLimits,
  signal: AbortSignal,
  session: ProbeSession,
): Promise<RemoteObservation> {
  const timeout = limits.requestTimeoutMs;
  const observed: Observed = { ...base, outcome: 'ok' };
  if (transport.protocolVersion) observed.protocolVersion = transport.protocolVersion.slice(0, 40);
  const info = client.getServerVersion();
  if (info) {
    observed.serverInfo = { name: String(info.name).slice(0, 200), version: String(info.version).slice(0, 200) };
    if (typeof info.title === 'string') observed.serverInfo.title = info.title.slice(0, 200);
  }
  const capabilities = client.getServerCapabilities() ?? {};
  const result: RemoteObservation = { remote: observed };
  const notes: string[] = [];
  const list = async <S extends z.ZodType>(
    method: 'tools/list' | 'prompts/list' | 'resources/list',
    schema: S,
    take: (page: z.infer<S>) => unknown[],
    max: number,
  ): Promise<{ items: unknown[]; truncated: boolean } | undefined> => {
    const items: unknown[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; ; page++) {
      if (page === limits.pages) {
        notes.push(`${method} stopped after ${limits.pages} pages`);
        return { items, truncated: true };
      }
      let answer: z.infer<S>;
      try {
        answer = await client.request({ method, params: cursor === undefined ? {} : { cursor } }, schema as never, {
          signal,
          timeout,
        });
      } catch (error) {
        // A listing cut short by a failure is no listing: comparing it would report tools as removed.
        notes.push(`${method} failed${page ? ` on page ${page + 1}` : ''}: ${describe(error, session)}`);
        return undefined;
      }
      items.push(...take(answer).slice(0, max - items.length));
      const next = (answer as { nextCursor?: unknown }).nextCursor;
      if (items.length >= max && typeof next === 'string') return { items, truncated: true };
      if (typeof next !== 'string') return { items, truncated: false };
      if (seen.has(next)) {
        notes.push(`${method} repeated a cursor`);
        return { items, truncated: true };
      }
      seen.add(next);
      cursor = next;
    }
  };
  if (capabilities.tools) {
    const tools = await list('tools/list', ListToolsResultSchema, (page) => page.tools, limits.tools);
    if (tools) {
      result.tools = tools.items as ListedTool[];
      observed.tools = tools.items.length;
      if (tools.truncated) result.toolsTruncated = true;
    }
  } else result.tools = [];
  if (capabilities.prompts) {
    const prompts = await list('prompts/list', ListPromptsResultSchema, (page) => page.prompts, Infinity);
    if (prompts) observed.prompts = prompts.items.length;
  }
  if (capabilities.resources) {
    const resources = await list('resources/list', ListResourcesResultSchema, (page) => page.resources, Infinity);
    if (resources) observed.resources = resources.items.length;
  }
  if (notes.length) observed.reason = notes.join('; ').slice(0, 300);
  return result;
}

const NO_RECONNECT = {
  maxRetries: 0,
  initialReconnectionDelay: 1000,
  maxReconnectionDelay: 1000,
  reconnectionDelayGrowFactor: 1,
};

/** Why a remote cannot be probed without a user's input: URL variables or required headers. */
export function needsConfig(remote: Remote): string | undefined {
  const variables = [...remote.url.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
  if (variables.length) return `the URL needs ${variables.map((v) => `{${v}}`).join(', ')}, which only a user can fill`;
  const required = (remote.headers ?? []).filter((header) => header.isRequired && !sendable(header));
  if (required.length)
    return `requires the header ${required.map((h) => h.name).join(', ')}, which is never guessed or sent`;
  return undefined;
}

/** Only fixed, non-secret header values without placeholders are sent; never credentials. */
function sendable(header: NonNullable<Remote['headers']>[number]): boolean {
  return (
    header.value !== undefined &&
    !header.isSecret &&
    !/\{[^}]*\}/.test(header.value) &&
    /^[A-Za-z0-9-]{1,100}$/.test(header.name) &&
    !/^(authorization|cookie|proxy-.*|host|x-api-key)$/i.test(header.name)
  );
}

function fixedHeaders(remote: Remote): Record<string, string> {
  const headers: Record<string, string> = Object.create(null);
  for (const header of remote.headers ?? []) if (sendable(header)) headers[header.name] = header.value!;
  return headers;
}

async function failedRemote(
  base: Observed,
  error: unknown,
  session: ProbeSession,
  transport: ObservedTransport,
  network: ProbeNetwork,
  remoteUrl: string,
): Promise<Observed> {
  const outcome = classify(error, session);
  const observed: Observed = { ...base, outcome };
  if (outcome === 'auth-required' && session.challenge) {
    observed.auth = await authChallenge(session, network, remoteUrl);
  } else observed.reason = describe(error, session);
  const answered = transport.answeredVersion;
  if (answered) observed.protocolVersion = answered.slice(0, 40);
  return observed;
}

function classify(error: unknown, session: ProbeSession): ProbeOutcome {
  const failure = session.failure;
  if (failure?.kind === 'blocked' || failure?.kind === 'scheme') return 'unreachable';
  if (failure?.kind === 'too-large') return 'error';
  if (session.signal.aborted || isTimeout(error)) return 'timeout';
  if (session.challenge && (httpCode(error) === 401 || httpCode(error) === 403)) return 'auth-required';
  const code = networkCode(error);
  if (code) return 'unreachable';
  const status = session.lastStatus;
  if (status !== undefined && (status >= 500 || (status >= 300 && status < 400))) return 'error';
  if (status !== undefined) return 'not-mcp';
  return 'error';
}

/** A short, stable reason (no timings, ids or stack): it lands in a file that should not churn. */
function describe(error: unknown, session: ProbeSession): string {
  if (session.failure) return session.failure.message;
  if (session.signal.aborted) return 'the server budget ran out';
  if (isTimeout(error)) return 'no answer within the request timeout';
  const code = networkCode(error);
  if (code) return NETWORK_REASONS[code] ?? code;
  const status = session.lastStatus;
  if (status !== undefined && status >= 300 && status < 400 && session.lastRedirect !== undefined) {
    return session.redirects > DEFAULT_REDIRECTS
      ? `redirected more than ${DEFAULT_REDIRECTS} times (a redirect loop)`
      : `redirects to ${session.lastRedirect}; only same-origin redirects are followed`;
  }
  const type = session.lastContentType?.split(';')[0]?.trim();
  if (status !== undefined && (status < 200 || status > 299)) return `HTTP ${status}${type ? ` (${type})` : ''}`;
  if (error instanceof SyntaxError || (error as Error)?.name === 'ZodError' || (error as Error)?.name === '$ZodError')
    return 'the answer is not a valid JSON-RPC message';
  const message = error instanceof Error ? error.message : String(error);
  if (/Unexpected content type/i.test(message) || /content type/i.test(message))
    return `answered ${type ?? 'without a content type'}, not MCP`;
  if (/protocol version is not supported/i.test(message)) return message.replace(/^.*?Server's/, "the server's");
  // eslint-disable-next-line no-control-regex
  return message.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 200);
}

const NETWORK_REASONS: Record<string, string> = Object.assign(Object.create(null), {
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved (DNS failure)',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'the connection closed unexpectedly',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate chain is self-signed',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not name this host',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate cannot be verified',
});

const NETWORK_CODES = new Set(Object.keys(NETWORK_REASONS));

function networkCode(error: unknown): string | undefined {
  for (let cause = error, depth = 0; cause && depth < 8; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    const nested = (cause as { errors?: { code?: unknown }[] }).errors?.find(
      (e) => typeof e.code === 'string' && NETWORK_CODES.has(e.code),
    );
    if (nested) return nested.code as string;
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}

function isTimeout(error: unknown): boolean {
  for (let cause = error, depth = 0; cause && depth < 8; depth++) {
    if (cause instanceof McpError && cause.code === ErrorCode.RequestTimeout) return true;
    const name = (cause as { name?: unknown; code?: unknown }).name;
    const code = (cause as { code?: unknown }).code;
    if (name === 'TimeoutError' || name === 'AbortError') return true;
    if (typeof code === 'string' && /^UND_ERR_(HEADERS|BODY|CONNECT)_TIMEOUT$/.test(code)) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

function httpCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

/** The 401/403 challenge and, when advertised, the OAuth protected-resource metadata (RFC 9728). */
async function authChallenge(session: ProbeSession, network: ProbeNetwork, remoteUrl: string) {
  const challenge = session.challenge!;
  const auth: NonNullable<Observed['auth']> = { status: challenge.status };
  const header = challenge.wwwAuthenticate;
  if (header) auth.scheme = header.trim().split(/\s+/)[0]!.toLowerCase().slice(0, 40);
  const { resourceMetadataUrl } = extractWWWAuthenticateParams(
    new Response(null, { headers: header ? { 'www-authenticate': header } : {} }),
  );
  // The metadata is read with a fresh byte count but the same budget and the same address checks.
  const metadataSession = newSession(session.signal);
  try {
    const metadata = await discoverOAuthProtectedResourceMetadata(
      remoteUrl,
      { resourceMetadataUrl },
      probeFetch(network, metadataSession),
    );
    auth.metadataUrl = (resourceMetadataUrl?.href ?? wellKnownUrl(remoteUrl)).slice(0, 2000);
    const text = (value: unknown, max: number) => (typeof value === 'string' ? value.slice(0, max) : undefined);
    const list = (value: unknown, count: number, max: number) =>
      Array.isArray(value)
        ? value
            .filter((v) => typeof v === 'string')
            .slice(0, count)
            .map((v: string) => v.slice(0, max))
        : undefined;
    const resource = text(metadata.resource, 2000);
    auth.metadata = Object.fromEntries(
      Object.entries({
        resource,
        resourceMatches: resource === undefined ? undefined : sameResource(resource, remoteUrl),
        authorizationServers: list(metadata.authorization_servers, 10, 2000),
        scopesSupported: list(metadata.scopes_supported, 50, 200),
        resourceName: text(metadata.resource_name, 200),
        resourceDocumentation: text(metadata.resource_documentation, 2000),
      }).filter(([, value]) => value !== undefined),
    );
  } catch {
    // No metadata (or none we may fetch): the challenge alone still says "needs sign-in".
  }
  return auth;
}

/** RFC 9728 compares the resource with the URL used, ignoring a trailing slash. */
function sameResource(resource: string, remoteUrl: string): boolean {
  const strip = (value: string) => value.replace(/\/+$/, '');
  return strip(resource) === strip(remoteUrl);
}

function wellKnownUrl(remoteUrl: string): string {
  const url = new URL(remoteUrl);
  return `${url.origin}/.well-known/oauth-protected-resource${url.pathname === '/' ? '' : url.pathname}`;
}

/**
 * Passes everything through and remembers the protocol version the server answered in the
 * handshake, even when the SDK then refuses it.
 */
export class ObservedTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport['onmessage'];
  answeredVersion: string | undefined;
  private initializeId: unknown;
  private readonly inner: Transport;

  constructor(inner: Transport) {
    this.inner = inner;
    inner.onclose = () => this.onclose?.();
    inner.onerror = (error) => this.onerror?.(error);
    inner.onmessage = (message: JSONRPCMessage, extra?: Parameters<NonNullable<Transport['onmessage']>>[1]) => {
      if ('id' in message && message.id === this.initializeId && 'result' in message) {
        const version = (message.result as { protocolVersion?: unknown }).protocolVersion;
        if (typeof version === 'string') this.answeredVersion = version;
      }
      this.onmessage?.(message, extra as never);
    };
  }

  get protocolVersion(): string | undefined {
    return this.answeredVersion;
  }

  get sessionId(): string | undefined {
    return (this.inner as { sessionId?: string }).sessionId;
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  send(message: JSONRPCMessage, options?: Parameters<Transport['send']>[1]): Promise<void> {
    if ('method' in message && message.method === 'initialize' && 'id' in message) this.initializeId = message.id;
    return this.inner.send(message, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }
}
