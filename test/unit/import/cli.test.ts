/** `npm run import` as a real subprocess, including a URL served by a loopback HTTP server. */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OFFICIAL_META_KEY } from '../../../src/lib/site.ts';

const run = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await promisify(execFile)('node_modules/.bin/node', ['scripts/import.ts', ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};

const SCHEMA = 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';
const entry = (name: string, version: string) => ({
  server: {
    $schema: SCHEMA,
    name,
    description: 'A remote server',
    version,
    remotes: [{ type: 'streamable-http', url: `https://${name.split('/')[1]}.example.com/mcp` }],
  },
  _meta: {
    [OFFICIAL_META_KEY]: {
      status: 'active',
      publishedAt: '2025-10-01T00:00:00Z',
      updatedAt: '2025-10-01T00:00:00Z',
      isLatest: true,
    },
  },
});

let dir: string;
let base: string;
const requests: string[] = [];
const server = createServer((request, response) => {
  const url = new URL(request.url!, 'http://127.0.0.1');
  requests.push(url.pathname + url.search);
  if (url.pathname !== '/v0.1/servers') {
    response.writeHead(404, { 'content-type': 'application/json' }).end('{"error": "Server not found"}');
    return;
  }
  const page = url.searchParams.get('cursor')
    ? { servers: [entry('io.github.b/two', '1.0.0')], metadata: { count: 1 } }
    : { servers: [entry('io.github.a/one', '1.0.0')], metadata: { count: 1, nextCursor: 'io.github.a/one:1.0.0' } };
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(page));
});

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'import-cli-'));
  cpSync('registry-data/vocabulary.json', path.join(dir, 'vocabulary.json'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await new Promise((resolve) => server.close(resolve));
});

describe('npm run import', () => {
  it('follows a ServerList URL page by page, then reports nothing to change', async () => {
    const first = await run(`${base}/v0.1/servers?limit=1`, '--into', dir);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/^added 2, updated 0, unchanged 0, refused 0 \(2 records\)/);
    expect(requests).toEqual(['/v0.1/servers?limit=1', '/v0.1/servers?limit=1&cursor=io.github.a%2Fone%3A1.0.0']);
    expect(JSON.parse(readFileSync(path.join(dir, 'servers/io.github.b/two/versions/1.0.0.json'), 'utf8')).name).toBe(
      'io.github.b/two',
    );
    const again = await run(`${base}/v0.1/servers?limit=1`, '--into', dir);
    expect(again.stdout).toMatch(/^nothing to change: added 0, updated 0, unchanged 2, refused 0/);
  }, 60_000);

  it('lists refusals with their rule codes and exits 1', async () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify([
        {
          ...entry('io.github.c/three', '1.0.0'),
          server: { ...entry('io.github.c/three', '1.0.0').server, version: 'latest' },
        },
      ]),
    );
    const result = await run(file, '--into', dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^refused io\.github\.c\/three@latest from .*bad\.json#0 \(version-reserved\)/);
    expect(result.stdout).toMatch(/refused 1 \(1 records\)/);
  }, 60_000);

  it('exits 2 with one line, no stack trace, on I/O and usage errors', async () => {
    for (const args of [
      [`${base}/v0.1/nothing`],
      ['/nonexistent.json'],
      [path.join(dir, 'vocabulary.json')],
      [],
      ['--bogus', 'x'],
    ]) {
      const result = await run(...args, '--into', dir);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^error: /);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    const missing = await run(`${base}/v0.1/nothing`, '--into', dir);
    expect(missing.stderr).toContain('HTTP 404');
  }, 60_000);
});
