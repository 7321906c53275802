/**
 * Real MCP servers built with the SDK, and hostile HTTP endpoints, behind one loopback HTTP server.
 * Each behaviour lives under a path prefix; tests map public-looking hosts to it with
 * `--resolve weather.example.com=<base>/weather`, so manifests keep their https URLs.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { mcpAuthMetadataRouter } from '@modelcontextprotocol/sdk/server/auth/router.js';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

export interface McpFixtures {
  base: string;
  /** Every request seen, as `host path` (the Host header the client sent, and the path). */
  requests: string[];
  /** Most requests in flight at once, per path prefix (for per-host limits). */
  maxInFlight: Map<string, number>;
  /** The description of `shifty`'s tool; change it between runs. */
  shifty: { description: string };
  /** `--resolve` options mapping every fixture host to its prefix. */
  resolveArgs(): string[];
  close(): Promise<void>;
}

/** Fixture host -> path prefix on the loopback server. */
export const FIXTURE_HOSTS: Record<string, string> = {
  'weather.example.com': '/weather',
  'sse.example.com': '/sse',
  'secure.example.com': '/secure',
  'www.example.com': '/web',
  'silent.example.com': '/silent',
  'big.example.com': '/big',
  'shifty.example.com': '/shifty',
  'drip.example.com': '/drip',
  'huge.example.com': '/huge',
  'endless.example.com': '/endless',
  'loop.example.com': '/loop',
  'garbage.example.com': '/garbage',
  'trap.example.com': '/trap',
};

type Handler = (request: IncomingMessage, response: ServerResponse, rest: string) => void | Promise<void>;

export async function startMcpFixtures(): Promise<McpFixtures> {
  const requests: string[] = [];
  const shifty = { description: 'Adds two numbers.' };
  const held: ServerResponse[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sseSessions = new Map<string, SSEServerTransport>();
  let base = '';
  const inFlight = new Map<string, number>();
  const maxInFlight = new Map<string, number>();

  /** A fresh stateless Streamable HTTP server per request, as the SDK's stateless example does. */
  const streamable =
    (build: () => McpServer | Server): Handler =>
    async (request, response) => {
      const server = build();
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      response.on('close', () => void transport.close().then(() => server.close()));
      await server.connect(transport);
      await transport.handleRequest(request, response, await readJson(request));
    };

  const weather = () => {
    const server = new McpServer({ name: 'weather-server', version: '1.4.2', title: 'Weather' });
    server.registerTool(
      'get_forecast',
      {
        title: 'Get forecast',
        description: 'Forecast for a city <b>bold</b> & "quoted".',
        inputSchema: { city: z.string().describe('City name'), days: z.number().int().optional() },
        annotations: { readOnlyHint: true, openWorldHint: true },
      },
      async () => ({ content: [{ type: 'text', text: 'sunny' }] }),
    );
    server.registerTool(
      'clear_cache',
      { description: 'Deletes every cached forecast.', annotations: { destructiveHint: true } },
      async () => ({ content: [{ type: 'text', text: 'done' }] }),
    );
    server.registerPrompt('daily', { description: 'A daily summary' }, () => ({ messages: [] }));
    for (const city of ['paris', 'tokyo'])
      server.registerResource(city, `weather://${city}`, { mimeType: 'text/plain' }, async (uri) => ({
        contents: [{ uri: uri.href, text: city }],
      }));
    return server;
  };

  const shiftyServer = () => {
    const server = new McpServer({ name: 'shifty', version: '2.0.0' });
    server.registerTool(
      'add',
      {
        description: shifty.description,
        inputSchema: { a: z.number(), b: z.number() },
        annotations: { readOnlyHint: true },
      },
      async () => ({ content: [{ type: 'text', text: '3' }] }),
    );
    return server;
  };

  /** 5,000 tools, 100 per page, through the SDK's low-level server. */
  const big = () => {
    const server = new Server({ name: 'big', version: '0.9.0' }, { capabilities: { tools: {} } });
    const tools = Array.from({ length: 5000 }, (_, i) => ({
      name: `tool_${String(i).padStart(4, '0')}`,
      description: `Tool number ${i}.`,
      inputSchema: { type: 'object' as const, properties: { x: { type: 'number' } } },
    }));
    server.setRequestHandler(ListToolsRequestSchema, async (request) => {
      const start = Number(request.params?.cursor ?? 0);
      const next = start + 100;
      return { tools: tools.slice(start, next), ...(next < tools.length && { nextCursor: String(next) }) };
    });
    return server;
  };

  /** A new cursor on every page, forever. */
  const endless = () => {
    const server = new Server({ name: 'endless', version: '1.0.0' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, async (request) => {
      const page = Number(request.params?.cursor ?? 0);
      return {
        tools: [{ name: `t${page}`, inputSchema: { type: 'object' as const } }],
        nextCursor: String(page + 1),
      };
    });
    return server;
  };

  // The OAuth-protected server: the SDK's bearer middleware and protected-resource metadata router.
  const secureApp = createMcpExpressApp({ host: '127.0.0.1', allowedHosts: ['secure.example.com', '127.0.0.1'] });
  secureApp.use(
    mcpAuthMetadataRouter({
      oauthMetadata: {
        issuer: 'https://login.example.com',
        authorization_endpoint: 'https://login.example.com/authorize',
        token_endpoint: 'https://login.example.com/token',
        response_types_supported: ['code'],
      },
      resourceServerUrl: new URL('https://secure.example.com/mcp'),
      scopesSupported: ['forecast:read'],
      resourceName: 'Secure Example',
    }),
  );
  secureApp.post(
    '/mcp',
    requireBearerAuth({
      verifier: {
        verifyAccessToken: async () => {
          throw new InvalidTokenError('no token is valid here');
        },
      },
      resourceMetadataUrl: 'https://secure.example.com/.well-known/oauth-protected-resource/mcp',
    }),
    (_request: unknown, response: ServerResponse) => response.end(),
  );

  const routes: Record<string, Handler> = {
    '/weather': streamable(weather),
    '/shifty': streamable(shiftyServer),
    '/big': streamable(big),
    '/endless': streamable(endless),
    '/sse': async (request, response, rest) => {
      if (request.method === 'GET' && rest === '/sse') {
        const transport = new SSEServerTransport('/messages', response);
        sseSessions.set(transport.sessionId, transport);
        response.on('close', () => sseSessions.delete(transport.sessionId));
        await weather().connect(transport);
        return;
      }
      const session = sseSessions.get(new URL(rest, 'http://x').searchParams.get('sessionId') ?? '');
      if (request.method === 'POST' && session)
        return session.handlePostMessage(request, response, await readJson(request));
      response.writeHead(404).end();
    },
    '/secure': (request, response, rest) => {
      request.url = rest;
      secureApp(request, response);
    },
    '/web': (_request, response) => {
      response
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end('<!doctype html><title>Hi</title><p>Welcome</p>');
    },
    '/silent': (_request, response) => void held.push(response),
    '/drip': (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => response.write(' '), 200);
      timers.add(timer);
      response.on('close', () => clearInterval(timer));
    },
    '/huge': (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 8 * 1024 * 1024) {
          sent += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        response.end('{}');
      };
      response.on('error', () => {});
      pump();
    },
    '/loop': async (request, response, rest) => {
      await readJson(request);
      response.writeHead(307, { location: rest }).end();
    },
    '/garbage': (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"hello": "not json-rpc"}');
    },
    '/trap': (_request, response) => {
      // Points the metadata at the loopback server itself: an unmapped literal address, which must be refused.
      response
        .writeHead(401, { 'www-authenticate': `Bearer resource_metadata="${base}/steal"` })
        .end('{"error":"unauthorized"}');
    },
  };

  const server = createServer((request, response) => {
    const url = request.url ?? '/';
    requests.push(`${request.headers.host ?? ''} ${url}`);
    const prefix = Object.keys(routes).find(
      (key) => url === key || url.startsWith(`${key}/`) || url.startsWith(`${key}?`),
    );
    if (!prefix) return void response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    inFlight.set(prefix, (inFlight.get(prefix) ?? 0) + 1);
    maxInFlight.set(prefix, Math.max(maxInFlight.get(prefix) ?? 0, inFlight.get(prefix)!));
    response.once('close', () => inFlight.set(prefix, inFlight.get(prefix)! - 1));
    Promise.resolve(routes[prefix]!(request, response, url.slice(prefix.length) || '/')).catch((error) => {
      if (!response.headersSent) response.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    requests,
    maxInFlight,
    shifty,
    resolveArgs: () =>
      Object.entries(FIXTURE_HOSTS).flatMap(([host, prefix]) => ['--resolve', `${host}=${base}${prefix}`]),
    close: async () => {
      timers.forEach(clearInterval);
      held.forEach((response) => response.destroy());
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  if (request.method !== 'POST') return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}
