/**
 * A loopback HTTP server that answers `GET /v0.1/servers` the way the official registry does, over
 * recorded real records (ServerResponse objects), for sync tests and the sync benchmark. The list
 * semantics follow the official implementation (internal/database/postgres.go in
 * modelcontextprotocol/registry): entries in (name, version) order; `cursor` is `name:version` of the
 * last entry of the previous page and the next page starts strictly after it; `limit` 1..100, default
 * 30; `updated_since` keeps entries updated strictly after it and implies `include_deleted`; deleted
 * entries are hidden otherwise; `search` is a case-insensitive substring of the name; `version` is
 * `latest` or an exact version; `metadata.nextCursor` is set whenever a page is full.
 *
 * Tests change the upstream (publish a version, change a status) and inject faults (an HTTP status with
 * Retry-After, a malformed body, a dropped connection, a request held until released).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { comparePublishTimes, pickLatest } from '../../src/lib/registry/latest.ts';
import { OFFICIAL_META_KEY } from '../../src/lib/site.ts';

export interface OfficialFacts {
  status: 'active' | 'deprecated' | 'deleted';
  statusMessage?: string;
  statusChangedAt?: string;
  publishedAt: string;
  updatedAt: string;
  isLatest: boolean;
}

export interface UpstreamRecord {
  server: Record<string, unknown> & { name: string; version: string };
  _meta: { [OFFICIAL_META_KEY]: OfficialFacts };
}

export type FaultAction =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'body'; body: string }
  | { kind: 'reset' }
  /** Keeps the request open until `release()` (or the server closes). */
  | { kind: 'hold' };

export interface Fault {
  /** Which requests it applies to, by their path and query. */
  match: (url: URL) => boolean;
  action: FaultAction;
  /** How many matching requests it answers; Infinity for all. */
  times: number;
}

export interface OfficialUpstream {
  baseUrl: string;
  /** Path and query of every request, in order. */
  requests: string[];
  faults: Fault[];
  /** Resolves once a held request has arrived. */
  held: () => Promise<void>;
  release: () => void;
  publish: (record: UpstreamRecord) => void;
  setStatus: (name: string, version: string, status: OfficialFacts['status'], at: string, message?: string) => void;
  records: () => UpstreamRecord[];
  close: () => Promise<void>;
}

export interface UpstreamOptions {
  /** The most entries a page holds, whatever `limit` asks (registries may serve fewer than asked). */
  pageSize?: number;
  /** A fixed `Date` header, so that runs are reproducible. */
  date?: string;
}

const meta = (record: UpstreamRecord) => record._meta[OFFICIAL_META_KEY];
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byKey = (a: UpstreamRecord, b: UpstreamRecord) =>
  compare(a.server.name, b.server.name) || compare(a.server.version, b.server.version);

export async function startOfficialUpstream(
  initial: readonly UpstreamRecord[],
  options: UpstreamOptions = {},
): Promise<OfficialUpstream> {
  let entries = initial.map((record) => structuredClone(record)).sort(byKey);
  const requests: string[] = [];
  const faults: Fault[] = [];
  const waiting: http.ServerResponse[] = [];
  let heldArrived: () => void = () => {};
  let heldPromise = new Promise<void>((resolve) => (heldArrived = resolve));

  const recomputeLatest = (name: string) => {
    const versions = entries.filter((record) => record.server.name === name);
    const latest = pickLatest(
      versions.map((record) => ({
        record,
        server: record.server,
        publishedAt: meta(record).publishedAt,
        status: meta(record).status,
      })),
    );
    for (const record of versions) meta(record).isLatest = latest?.record === record;
  };

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://upstream.invalid');
    requests.push(url.pathname + url.search);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.date) headers.date = options.date;
    const fault = faults.find((candidate) => candidate.times > 0 && candidate.match(url));
    if (fault) {
      fault.times--;
      const action = fault.action;
      if (action.kind === 'reset') return void request.socket.destroy();
      if (action.kind === 'hold') {
        waiting.push(response);
        heldArrived();
        return;
      }
      if (action.kind === 'body') return void response.writeHead(200, headers).end(action.body);
      return void response
        .writeHead(action.status, { ...headers, ...action.headers })
        .end(action.body ?? JSON.stringify({ error: http.STATUS_CODES[action.status] ?? 'error' }));
    }
    const send = (status: number, body: unknown) => response.writeHead(status, headers).end(JSON.stringify(body));
    if (url.pathname === '/v0.1/health' || url.pathname === '/v0/health') return send(200, { status: 'ok' });
    if (url.pathname !== '/v0.1/servers' && url.pathname !== '/v0/servers') return send(404, { error: 'Not Found' });
    const params = url.searchParams;
    const limitText = params.get('limit') ?? '30';
    const limit = /^\d+$/.test(limitText) ? Number(limitText) : NaN;
    if (!(limit >= 1 && limit <= 100)) return send(422, { title: 'Unprocessable Entity', detail: 'validation failed' });
    const pageLimit = Math.min(limit, options.pageSize ?? 100);
    const since = params.get('updated_since');
    if (since !== null && Number.isNaN(Date.parse(since)))
      return send(400, { error: 'Invalid updated_since format: expected RFC3339 timestamp' });
    const includeDeletedText = params.get('include_deleted') ?? 'false';
    if (!['true', 'false'].includes(includeDeletedText)) return send(422, { title: 'Unprocessable Entity' });
    const includeDeleted = includeDeletedText === 'true' || since !== null;
    const search = params.get('search')?.toLowerCase();
    const version = params.get('version');
    const cursor = params.get('cursor') ?? '';
    const colon = cursor.indexOf(':');
    const [cursorName, cursorVersion] =
      colon === -1 ? [cursor, undefined] : [cursor.slice(0, colon), cursor.slice(colon + 1)];
    const page: UpstreamRecord[] = [];
    for (const record of entries) {
      if (page.length === pageLimit) break;
      const { name, version: entryVersion } = record.server;
      if (cursor !== '') {
        const order =
          compare(name, cursorName) || (cursorVersion === undefined ? 0 : compare(entryVersion, cursorVersion));
        if (order <= 0) continue;
      }
      const facts = meta(record);
      if (!includeDeleted && facts.status === 'deleted') continue;
      if (since !== null && comparePublishTimes(facts.updatedAt, since) <= 0) continue;
      if (search && !name.toLowerCase().includes(search)) continue;
      if (version === 'latest' ? !facts.isLatest : version !== null && version !== '' && entryVersion !== version)
        continue;
      page.push(record);
    }
    const last = page.at(-1);
    send(200, {
      servers: page,
      metadata: {
        ...(page.length >= pageLimit && last ? { nextCursor: `${last.server.name}:${last.server.version}` } : {}),
        count: page.length,
      },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl,
    requests,
    faults,
    held: () => heldPromise,
    release: () => {
      for (const response of waiting.splice(0)) response.destroy();
      heldPromise = new Promise<void>((resolve) => (heldArrived = resolve));
    },
    publish: (record) => {
      entries = [...entries.filter((entry) => byKey(entry, record) !== 0), structuredClone(record)].sort(byKey);
      recomputeLatest(record.server.name);
    },
    setStatus: (name, version, status, at, message) => {
      const record = entries.find((entry) => entry.server.name === name && entry.server.version === version);
      if (!record) throw new Error(`no ${name}@${version} upstream`);
      const facts = meta(record);
      facts.status = status;
      facts.statusChangedAt = at;
      facts.updatedAt = at;
      if (message === undefined) delete facts.statusMessage;
      else facts.statusMessage = message;
      recomputeLatest(name);
    },
    records: () => structuredClone(entries),
    close: async () => {
      for (const response of waiting.splice(0)) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
