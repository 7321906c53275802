/**
 * VS Code's registry requests replayed against a real build of the site (Astro, the API integration)
 * served two ways: by scripts/preview.ts's server, and by a plain static host that ignores query strings.
 * Both must satisfy every check VS Code makes, and neither may make it page forever.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPreviewServer } from '../../src/lib/api/preview-server.ts';
import { buildSite } from '../../src/lib/build/build-site.ts';
import { formatProblemsText } from '../../src/lib/cli/format.ts';
import type { Registry } from '../../src/lib/registry/model.ts';
import { apiTestRegistry, ODD_SERVER, ODD_VERSIONS, writeApiTestData } from '../unit/api/support/registry.ts';
import { createStaticHost } from './support/static-host.ts';
import { VsCodeClient } from './support/vscode-client.ts';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
let work: string;
let registry: Registry;
const servers: Server[] = [];
const bases: Record<'preview' | 'plain', string> = { preview: '', plain: '' };

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'mcp-index-replay-'));
  await writeApiTestData(path.join(work, 'data'));
  registry = await apiTestRegistry();
  const result = await buildSite({
    dataDir: path.join(work, 'data'),
    outDir: path.join(work, 'dist'),
    projectRoot: PROJECT_ROOT,
    logLevel: 'error',
  });
  if (!result.ok) throw new Error(`build failed:\n${formatProblemsText(result.problems)}`);
  bases.preview = await listen(createPreviewServer({ root: result.outDir }));
  bases.plain = await listen(createStaticHost(result.outDir));
});

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

const latestNames = () => registry.servers.filter((record) => record.latest !== undefined).map((record) => record.name);

describe.each(['preview', 'plain'] as const)('VS Code against the %s host', (host) => {
  const client = () => new VsCodeClient(bases[host]);

  it('probes, lists every latest server once and stops, with CORS on every response', async () => {
    const vscode = client();
    await vscode.probe();
    const { names, pages } = await vscode.list();
    expect(names).toEqual(latestNames());
    expect(pages).toBe(1);
    expect(vscode.exchanges.every((exchange) => exchange.cors === '*')).toBe(true);
  });

  it('follows nextCursor to the end with small pages (the static host has only one page)', async () => {
    const { names, pages } = await client().list({ pageSize: 5, maxPages: 20 });
    expect(names).toEqual(latestNames());
    expect(pages).toBe(host === 'preview' ? Math.ceil(latestNames().length / 5) : 1);
  });

  it('searches (the preview server filters; a static host returns the whole list, which VS Code shows)', async () => {
    const { names } = await client().list({ search: 'WEATHER' });
    if (host === 'preview') expect(names).toEqual(['io.github.acme/weather']);
    else expect(names).toEqual(latestNames());
  });

  it('looks up every listed server by its encoded name and gets exactly that server', async () => {
    const vscode = client();
    for (const name of latestNames()) expect(await vscode.lookup(name)).toBe('found');
    expect(await vscode.lookup('io.github.nobody/nothing')).toBe('not-found');
    expect(await vscode.lookup('io.github.gone/vanished')).toBe('not-found');
    expect(vscode.exchanges.every((exchange) => exchange.cors === '*')).toBe(true);
  });

  it('reaches versions that need URL encoding, and the version list of an encoded name', async () => {
    const vscode = client();
    for (const version of ODD_VERSIONS) {
      const { status, body } = await vscode.fetchJson(
        `/v0.1/servers/${encodeURIComponent(ODD_SERVER)}/versions/${encodeURIComponent(version)}`,
      );
      expect(status, version).toBe(200);
      expect((body as { server: { version: string } }).server.version).toBe(version);
    }
    const { status, body } = await vscode.fetchJson(`/v0.1/servers/${encodeURIComponent(ODD_SERVER)}/versions`);
    expect(status).toBe(200);
    expect((body as { servers: unknown[] }).servers).toHaveLength(ODD_VERSIONS.length);
  });

  it('answers an unknown v0.1 path with 404 (JSON from the preview server and Cloudflare-style hosts)', async () => {
    const { status, body } = await client().fetchJson('/v0.1/servers/io.github.nobody%2Fnothing/versions/1.0.0');
    expect(status).toBe(404);
    expect(body).toEqual({ error: 'Server not found' });
  });

  it('serves the website next to the API', async () => {
    const home = await fetch(`${bases[host]}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('<html');
  });
});

describe('the preview server beyond a static host', () => {
  it('pages with the official semantics when asked (all versions by default)', async () => {
    const vscode = new VsCodeClient(bases.preview);
    const { status, body } = await vscode.fetchJson('/v0.1/servers?limit=100');
    expect(status).toBe(200);
    const visible = registry.servers
      .flatMap((record) => record.versions)
      .filter((version) => version.status !== 'deleted');
    expect((body as { servers: unknown[] }).servers).toHaveLength(visible.length);
    const deleted = await vscode.fetchJson('/v0.1/servers/io.github.gone%2Fvanished/versions?include_deleted=true');
    expect(deleted.status).toBe(200);
  });

  it('mirrors /v0 onto /v0.1', async () => {
    const { status, body } = await new VsCodeClient(bases.preview).fetchJson(
      `/v0/servers/${encodeURIComponent(ODD_SERVER)}/versions/latest`,
    );
    expect(status).toBe(200);
    expect((body as { server: { name: string } }).server.name).toBe(ODD_SERVER);
  });
});
