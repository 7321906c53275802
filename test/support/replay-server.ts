/**
 * A loopback HTTP server that replays recorded HTTP exchanges (GitHub API responses from
 * test/fixtures/github/*.json, or exchanges a test lists inline for npm, OCI or a well-known URL).
 * Real sockets, real octokit/fetch on the client side: no hand-made fake clients.
 *
 * Fixture file: { "description": "...", "exchanges": [ { "request": { "method", "path" },
 *   "response": { "status", "headers"?, "body"? | "bodyText"? | "bodyBase64"? }, "once"? } ] }
 * A request path without `?` matches any query string. `once` exchanges are consumed in order, so a
 * rate-limited response can be followed by a successful one. `{{baseUrl}}` in headers or text bodies
 * becomes the server's own URL (for redirects such as the tarball download).
 */
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

export interface RecordedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  bodyText?: string;
  bodyBase64?: string;
}

export interface Exchange {
  /** `headers`, when given, must all be present with these values (e.g. if-none-match). */
  request: { method: string; path: string; headers?: Record<string, string> };
  response: RecordedResponse;
  once?: boolean;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
}

export interface ReplayServer {
  baseUrl: string;
  requests: ReceivedRequest[];
  /** Requests no exchange matched (answered 501); a test should expect this to be empty. */
  unmatched: ReceivedRequest[];
  close(): Promise<void>;
}

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/github');

export function loadFixture(name: string): Exchange[] {
  const file = path.join(FIXTURES, `${name}.json`);
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { exchanges: Exchange[] }).exchanges;
}

function matches(exchange: Exchange, method: string, url: string, headers: http.IncomingHttpHeaders): boolean {
  if (exchange.request.method.toUpperCase() !== method) return false;
  for (const [name, value] of Object.entries(exchange.request.headers ?? {}))
    if (headers[name.toLowerCase()] !== value) return false;
  const wanted = exchange.request.path;
  return wanted.includes('?') ? wanted === url : wanted === url.split('?')[0];
}

export async function startReplayServer(exchanges: Exchange[]): Promise<ReplayServer> {
  const pending = exchanges.map((exchange) => ({ exchange, used: false }));
  const requests: ReceivedRequest[] = [];
  const unmatched: ReceivedRequest[] = [];
  let baseUrl = '';

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // keep the raw text
      }
      const received: ReceivedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body,
      };
      requests.push(received);
      const entry = pending.find(
        (p) => !(p.exchange.once && p.used) && matches(p.exchange, received.method, received.path, req.headers),
      );
      if (!entry) {
        unmatched.push(received);
        res.writeHead(501, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `no recorded response for ${received.method} ${received.path}` }));
        return;
      }
      entry.used = true;
      const { response } = entry.exchange;
      const fill = (value: string) => value.replaceAll('{{baseUrl}}', baseUrl);
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(response.headers ?? {})) headers[key.toLowerCase()] = fill(value);
      let payload: Buffer | undefined;
      if (response.bodyBase64 !== undefined) payload = Buffer.from(response.bodyBase64, 'base64');
      else if (response.bodyText !== undefined) payload = Buffer.from(fill(response.bodyText));
      else if (response.body !== undefined) {
        payload = Buffer.from(fill(JSON.stringify(response.body)));
        headers['content-type'] ??= 'application/json; charset=utf-8';
      }
      res.writeHead(response.status, headers);
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    requests,
    unmatched,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
