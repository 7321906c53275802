/**
 * The loopback side of the probe benchmark, in a process of its own so its CPU is not charged to the
 * prober's event loop: one HTTP server that answers as a realistic mix of registry remotes.
 *   /ok/...      an MCP server: the initialize and tools/list answers of a real SDK server (10 tools),
 *                recorded once at start and replayed with each request's id
 *   /auth/...    401 with a resource_metadata challenge, and the protected-resource metadata
 *   /web/...     a plain web page
 *   /silent/...  accepts and never answers
 * Prints `port <n>` on stdout when ready.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

const TOOLS = 10;

/** Asks a real SDK server once, so the replayed answers are exactly what the SDK sends. */
async function recordAnswers(): Promise<{ initialize: Record<string, unknown>; tools: Record<string, unknown> }> {
  const answers: Record<string, Record<string, unknown>> = {};
  const server = createServer(async (request, response) => {
    const mcp = new McpServer({ name: 'bench-server', version: '1.0.0' });
    for (let i = 0; i < TOOLS; i++)
      mcp.registerTool(
        `tool_${i}`,
        {
          description: `Does thing number ${i} for the benchmark, with a realistic one-line description.`,
          inputSchema: { query: z.string().describe('What to look for'), limit: z.number().int().optional() },
          annotations: { readOnlyHint: i % 2 === 0 },
        },
        async () => ({ content: [] }),
      );
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await mcp.connect(transport);
    await transport.handleRequest(request, response, await readBody(request));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const post = async (body: unknown) =>
    (await (
      await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify(body),
      })
    ).json()) as Record<string, unknown>;
  answers.initialize = await post({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
  });
  answers.tools = await post({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} });
  server.close();
  return answers as { initialize: Record<string, unknown>; tools: Record<string, unknown> };
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

const answers = await recordAnswers();
const metadata = JSON.stringify({
  resource: 'https://auth.example.com/mcp',
  authorization_servers: ['https://login.example.com'],
});

const json = (response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) =>
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);

const server = createServer(async (request, response) => {
  const url = request.url ?? '/';
  if (url.startsWith('/ok/')) {
    if (request.method !== 'POST') return void response.writeHead(405).end();
    const message = (await readBody(request)) as { id?: unknown; method?: string };
    if (message.id === undefined) return void response.writeHead(202).end();
    const answer = message.method === 'initialize' ? answers.initialize : answers.tools;
    return json(response, 200, JSON.stringify({ ...answer, id: message.id }));
  }
  if (url.startsWith('/auth/.well-known/') || url.includes('/.well-known/oauth-protected-resource'))
    return json(response, 200, metadata);
  if (url.startsWith('/auth/')) {
    await readBody(request);
    return json(response, 401, '{"error":"invalid_token"}', {
      'www-authenticate':
        'Bearer resource_metadata="https://auth.example.com/.well-known/oauth-protected-resource/mcp"',
    });
  }
  if (url.startsWith('/web/'))
    return void response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><p>Hello</p>');
  if (url.startsWith('/silent/')) return; // never answers
  response.writeHead(404).end();
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`port ${(server.address() as AddressInfo).port}\n`));
