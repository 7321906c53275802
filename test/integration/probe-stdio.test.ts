/**
 * `npm run probe -- --stdio` runs a real npm package (test/fixtures/stdio-server, installed by npm from
 * a one-package registry on loopback) in the bubblewrap sandbox. The package tries to read a planted
 * secret file and a secret environment variable, to write to its home and to open a socket to a
 * listener on the host's loopback; every attempt must fail. The same package run without the sandbox
 * succeeds at all four, so the test shows the sandbox is what stops it.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeFile } from '../../src/lib/registry/probe-facts.ts';

const hasBwrap = (() => {
  try {
    execFileSync('bwrap', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const SECRET = `TOPSECRET-${process.pid}`;
let work: string;
let registry: Server;
let listener: net.Server;
const connections: string[] = [];
let socketTarget: string;
let secretFile: string;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'probe-stdio-test-'));
  secretFile = path.join(work, 'secret.txt');
  writeFileSync(secretFile, SECRET);
  listener = net.createServer((socket) => {
    connections.push('connected');
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  socketTarget = `127.0.0.1:${(listener.address() as AddressInfo).port}`;
  if (!hasBwrap) return;

  // The fixture package as npm publishes it, served by a registry that knows this one package.
  const packed = execFileSync('npm', ['pack', '--pack-destination', work, path.resolve('test/fixtures/stdio-server')], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .pop()!;
  const tarball = readFileSync(path.join(work, packed));
  registry = createServer((request, response) => {
    const base = `http://127.0.0.1:${(registry.address() as AddressInfo).port}`;
    if (request.url === '/probe-fixture-sneaky') {
      const manifest = JSON.parse(readFileSync('test/fixtures/stdio-server/package.json', 'utf8'));
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          name: manifest.name,
          'dist-tags': { latest: manifest.version },
          versions: {
            [manifest.version]: {
              ...manifest,
              dist: {
                tarball: `${base}/probe-fixture-sneaky/-/${packed}`,
                shasum: createHash('sha1').update(tarball).digest('hex'),
                integrity: `sha512-${createHash('sha512').update(tarball).digest('base64')}`,
              },
            },
          },
        }),
      );
    } else if (request.url === `/probe-fixture-sneaky/-/${packed}`) {
      response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(tarball);
    } else response.writeHead(404).end('{}');
  });
  await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));

  const data = path.join(work, 'data');
  cpSync('test/fixtures/probe-registry/vocabulary.json', path.join(data, 'vocabulary.json'));
  const folder = path.join(data, 'servers', 'com.example', 'sneaky');
  mkdirSync(path.join(folder, 'versions'), { recursive: true });
  writeFileSync(
    path.join(folder, 'versions', '1.0.0.json'),
    JSON.stringify({
      $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
      name: 'com.example/sneaky',
      description: 'Tries to read a secret and open a socket.',
      version: '1.0.0',
      packages: [
        {
          registryType: 'npm',
          identifier: 'probe-fixture-sneaky',
          version: '1.0.0',
          transport: { type: 'stdio' },
          packageArguments: [
            { type: 'positional', value: secretFile },
            { type: 'positional', value: socketTarget },
          ],
        },
      ],
    }),
  );
  writeFileSync(
    path.join(folder, 'registry.json'),
    JSON.stringify({
      versions: {
        '1.0.0': { status: 'active', publishedAt: '2026-11-01T00:00:00Z', updatedAt: '2026-11-01T00:00:00Z' },
      },
    }),
  );
}, 120_000);

afterAll(async () => {
  await new Promise<void>((resolve) => listener?.close(() => resolve()));
  if (registry) await new Promise<void>((resolve) => registry.close(() => resolve()));
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Asks the fixture for its tools over stdio with the SDK client, optionally without any sandbox. */
async function reportOutsideSandbox(): Promise<Record<string, string>> {
  const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
  const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [path.resolve('test/fixtures/stdio-server/server.js'), secretFile, socketTarget],
      env: { PATH: process.env.PATH ?? '', PROBE_FIXTURE_SECRET: SECRET },
    }),
  );
  const { tools } = await client.listTools();
  await client.close();
  return Object.fromEntries(tools.map((tool) => [tool.name, tool.description ?? '']));
}

describe.skipIf(!hasBwrap)('npm run probe -- --stdio (bubblewrap sandbox)', () => {
  it('without a sandbox the fixture reads the secret and opens the socket (the attack is real)', async () => {
    const report = await reportOutsideSandbox();
    expect(report.report_secret).toBe(`secret: read ${SECRET}`);
    expect(report.report_env).toBe(`env: read ${SECRET}`);
    expect(report.report_socket).toBe('socket: connected');
    expect(connections).toHaveLength(1);
  });

  it('in the sandbox every attempt fails, and the tools are still listed', async () => {
    connections.length = 0;
    const data = path.join(work, 'data');
    const { stdout, stderr } = await promisify(execFile)(
      'node_modules/.bin/node',
      ['scripts/probe.ts', '--stdio', '--checked-at', '2026-12-06T03:00:00Z', '--budget-ms', '60000'],
      {
        env: {
          ...process.env,
          REGISTRY_DATA: data,
          NPM_REGISTRY_URL: `http://127.0.0.1:${(registry.address() as AddressInfo).port}`,
          PROBE_FIXTURE_SECRET: SECRET,
        },
      },
    );
    expect(stdout, stderr).toMatch(/1 servers probed/);
    const text = readFileSync(path.join(data, 'servers', 'com.example', 'sneaky', 'probe.json'), 'utf8');
    const result = JSON.parse(text) as ProbeFile;
    expect(result.remotes[0]).toMatchObject({
      type: 'stdio',
      package: 'npm:probe-fixture-sneaky@1.0.0',
      outcome: 'ok',
      serverInfo: { name: 'sneaky', version: '1.0.0' },
      tools: 4,
    });
    const report = Object.fromEntries(result.tools.map((tool) => [tool.name, tool.description]));
    expect(report.report_secret).toBe('secret: ENOENT');
    expect(report.report_env).toBe('env: absent');
    expect(report.report_home).toBe('home: EROFS');
    expect(report.report_socket).toMatch(/^socket: (ECONNREFUSED|ENETUNREACH)$/);
    expect(connections).toEqual([]);
    expect(text).not.toContain(SECRET);
  }, 180_000);
});

describe.runIf(!hasBwrap)('npm run probe -- --stdio without bubblewrap', () => {
  it('is skipped here: bubblewrap is not installed (apt-get install bubblewrap; .ci/run installs it)', () => {
    expect(hasBwrap).toBe(false);
  });
});
