import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiFiles, writeApiFiles } from '../../../src/lib/api/emit.ts';
import { createPreviewServer, type PreviewServer } from '../../../src/lib/api/preview-server.ts';
import type { Registry } from '../../../src/lib/registry/model.ts';
import { apiTestRegistry, ODD_SERVER } from './support/registry.ts';

let work: string;
let site: string;
let server: PreviewServer;
let port: number;
let registry: Registry;
const logged: string[] = [];

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends the path exactly as written (fetch would normalise `..` and `%2e%2e` away). */
function send(rawPath: string, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: rawPath, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'mcp-index-preview-'));
  site = path.join(work, 'dist');
  registry = await apiTestRegistry();
  await writeApiFiles(site, apiFiles(registry, 'http://localhost:4321'));
  await writeFile(path.join(site, 'index.html'), '<!doctype html><title>home</title>');
  await writeFile(path.join(site, '404.html'), '<!doctype html><title>not found</title>');
  await writeFile(path.join(work, 'secret.txt'), 'do not serve');
  server = createPreviewServer({ root: site, log: (line) => logged.push(line) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(work, { recursive: true, force: true });
});

describe('preview server', () => {
  it('is ready once it has read the documents for queries, and a broken build still settles it', async () => {
    await expect(server.ready).resolves.toBeUndefined();
    const broken = createPreviewServer({ root: path.join(work, 'no-such-build'), log: () => {} });
    await expect(broken.ready).resolves.toBeUndefined();
  });

  it('decodes %2F and every other escape in v0.1 paths', async () => {
    for (const [raw, version] of [
      ['%7B%7BVERSION%7D%7D', '{{VERSION}}'],
      ['1.0.1%C2%BA', '1.0.1º'],
      ['1.0.0%2Bbuild.7', '1.0.0+build.7'],
    ]) {
      const reply = await send(`/v0.1/servers/io.github.odd%2Fversions/versions/${raw}`);
      expect(reply.status, raw).toBe(200);
      expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(JSON.parse(reply.body).server.version).toBe(version);
    }
  });

  it('never serves anything outside the folder', async () => {
    for (const raw of [
      '/..%2Fsecret.txt',
      '/%2e%2e/secret.txt',
      '/v0.1/..%2F..%2Fsecret.txt',
      '/api/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..\\secret.txt',
      '/%00',
    ]) {
      const reply = await send(raw);
      expect(reply.status, raw).toBeGreaterThanOrEqual(400);
      expect(reply.body).not.toContain('do not serve');
    }
    expect((await send('/%E0%A4%A')).status).toBe(400);
  });

  it('sends CORS on every response, errors included, and answers preflights', async () => {
    for (const raw of ['/', '/v0.1/servers', '/nothing', '/v0.1/nothing', '/v0.1/servers?limit=0', '/%E0%A4%A']) {
      expect((await send(raw)).headers['access-control-allow-origin'], raw).toBe('*');
    }
    const post = await send('/v0.1/servers', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers['access-control-allow-origin']).toBe('*');
    const preflight = await send('/v0.1/servers', 'OPTIONS');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toContain('GET');
  });

  it('answers 404 with the official JSON under /v0.1 and /v0, and with 404.html elsewhere', async () => {
    for (const raw of [
      '/v0.1/servers/io.github.nobody%2Fx/versions/latest',
      '/v0/servers/a%2Fb/versions',
      '/v0.1/unknown',
    ]) {
      const reply = await send(raw);
      expect(reply.status, raw).toBe(404);
      expect(JSON.parse(reply.body)).toEqual({ error: 'Server not found' });
    }
    const page = await send('/no/such/page/');
    expect(page.status).toBe(404);
    expect(page.body).toContain('not found');
    expect((await send('/_redirects')).status).toBe(404);
  });

  it('serves folder indexes with or without the trailing slash, and HEAD without a body', async () => {
    for (const raw of ['/v0.1/servers', '/v0.1/servers/', `/v0.1/servers/${encodeURIComponent(ODD_SERVER)}/versions`]) {
      const reply = await send(raw);
      expect(reply.status, raw).toBe(200);
      expect(Array.isArray(JSON.parse(reply.body).servers)).toBe(true);
    }
    expect((await send('/')).body).toContain('<title>home</title>');
    const head = await send('/v0.1/servers', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(Number(head.headers['content-length'])).toBeGreaterThan(100);
  });

  it('answers the list parameters and include_deleted, with a JSON 400 for bad values', async () => {
    const page = JSON.parse((await send('/v0.1/servers?limit=2&version=latest')).body);
    expect(page.servers).toHaveLength(2);
    expect(page.metadata.nextCursor).toBe(`${page.servers[1].server.name}:${page.servers[1].server.version}`);
    const next = JSON.parse(
      (await send(`/v0.1/servers?limit=2&version=latest&cursor=${encodeURIComponent(page.metadata.nextCursor)}`)).body,
    );
    expect(next.servers[0].server.name > page.servers[1].server.name).toBe(true);
    const bad = await send('/v0.1/servers?updated_since=last-week');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error).toContain('updated_since');
    expect((await send('/v0.1/servers/io.github.gone%2Fvanished/versions')).status).toBe(404);
    expect((await send('/v0.1/servers/io.github.gone%2Fvanished/versions?include_deleted=true')).status).toBe(200);
    expect((await send('/v0.1/servers/io.github.gone%2Fvanished/versions/0.1.0?include_deleted=true')).status).toBe(
      200,
    );
    expect((await send('/v0.1/servers/io.github.gone%2Fvanished/versions/0.1.0?include_deleted=no')).status).toBe(400);
  });

  it('picks up a rebuild, and reports a broken build as a one-line 500', async () => {
    const smaller: Registry = { ...registry, servers: registry.servers.filter((record) => record.name !== ODD_SERVER) };
    const before = JSON.parse((await send('/v0.1/servers?search=odd&version=latest')).body);
    expect(before.servers).toHaveLength(1);
    await rm(path.join(site, 'api'), { recursive: true });
    await writeApiFiles(site, apiFiles(smaller, 'http://localhost:4321'));
    const later = new Date(Date.now() + 5_000);
    await utimes(path.join(site, 'api/v1/index.json'), later, later);
    expect(JSON.parse((await send('/v0.1/servers?search=odd&version=latest')).body).servers).toHaveLength(0);

    await writeFile(path.join(site, 'api/v1/servers/io.github.acme/weather.json'), '{"name": 1}');
    const muchLater = new Date(Date.now() + 10_000);
    await utimes(path.join(site, 'api/v1/index.json'), muchLater, muchLater);
    const broken = await send('/v0.1/servers?limit=1');
    expect(broken.status).toBe(500);
    expect(JSON.parse(broken.body)).toEqual({ error: 'Internal error' });
    expect(logged.at(-1)).toMatch(
      /^preview: GET \/v0\.1\/servers\?limit=1: api\/v1\/servers\/io\.github\.acme\/weather\.json is not a server document/,
    );
    expect(logged.at(-1)).not.toContain('\n    at ');
  });
});
