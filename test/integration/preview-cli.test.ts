/** `npm run preview` as a user runs it: a real process, real port, clear one-line errors. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiFiles, writeApiFiles } from '../../src/lib/api/emit.ts';
import { apiTestRegistry, ODD_SERVER } from '../unit/api/support/registry.ts';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
const NODE = path.join(PROJECT_ROOT, 'node_modules/.bin/node');
let work: string;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Starts the CLI; resolves once it printed its first line or exited. */
function start(args: string[]) {
  const child = spawn(NODE, ['scripts/preview.ts', ...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve) => {
    child.stdout.once('data', () => resolve());
    void exited.then(() => resolve());
  });
  return { child, ready, exited, output: () => ({ stdout, stderr }) };
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'mcp-index-preview-cli-'));
  await writeApiFiles(path.join(work, 'dist'), apiFiles(await apiTestRegistry(), 'http://localhost:4321'));
  await writeFile(path.join(work, 'dist', 'index.html'), '<!doctype html><title>home</title>');
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('npm run preview', () => {
  it('serves a build on the given port, decodes %2F, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const run = start(['--dir', path.join(work, 'dist'), '--port', String(port)]);
    await run.ready;
    expect(run.output().stdout, run.output().stderr).toContain(`http://localhost:${port}/`);
    const response = await fetch(
      `http://127.0.0.1:${port}/v0.1/servers/${encodeURIComponent(ODD_SERVER)}/versions/latest`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect((await response.json()).server.name).toBe(ODD_SERVER);
    run.child.kill('SIGTERM');
    expect({ code: await run.exited, stderr: run.output().stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('says to build first when there is no build, without a stack trace', async () => {
    const run = start(['--dir', path.join(work, 'missing')]);
    const code = await run.exited;
    expect(code, run.output().stderr).toBe(2);
    expect(run.output().stderr).toMatch(
      /^error: .*missing\/ does not exist or holds no build: run npm run build first\n$/,
    );
  });

  it('rejects a bad port and a busy port with one clear line', async () => {
    const bad = start(['--dir', path.join(work, 'dist'), '--port', 'eighty']);
    expect(await bad.exited).toBe(2);
    expect(bad.output().stderr).toContain('--port must be a number from 1 to 65535');

    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    const busy = start(['--dir', path.join(work, 'dist'), '--port', String(port)]);
    expect(await busy.exited).toBe(2);
    expect(busy.output().stderr).toBe(`error: port ${port} is in use: pass another with -- --port N\n`);
    await new Promise((resolve) => blocker.close(resolve));
  });
});
