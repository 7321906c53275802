/**
 * Issue 13, item 7: `npm run preview` as an attacker meets it, in a real process with a real port.
 * - Aborted downloads: each one used to leave its file open for good, so 40 of them exhausted an
 *   80-handle limit and every later request failed. The server runs here under `ulimit -n 80`.
 * - Symbolic links in the served folder used to be followed wherever they pointed.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, rawGet } from './support/http.ts';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
const NODE = path.join(PROJECT_ROOT, 'node_modules/.bin/node');
const SECRET = 'the contents of a file outside the served folder';
const BIG_BYTES = 32 * 1024 * 1024;

let work: string;
let site: string;
let port: number;
let server: ReturnType<typeof spawn>;
let stderr = '';

/** Starts `npm run preview`'s script with at most 80 open files, as a small container might allow. */
async function startPreview(): Promise<void> {
  port = await freePort();
  server = spawn(
    '/bin/sh',
    ['-c', 'ulimit -n 80 && exec "$0" scripts/preview.ts --dir "$1" --port "$2"', NODE, site, String(port)],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  server.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    server.stdout!.once('data', () => resolve());
    server.once('exit', (code) => reject(new Error(`preview exited with ${code}: ${stderr}`)));
  });
}

/** Starts downloading `file` and hangs up after the first bytes arrive, as an impatient client does. */
function abortedDownload(file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${file} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    });
    socket.once('data', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

/** How many of the server process's open files are `file`. */
function openCount(file: string): number {
  const fds = path.join('/proc', String(server.pid), 'fd');
  return readdirSync(fds).filter((fd) => {
    try {
      return readlinkSync(path.join(fds, fd)) === file;
    } catch {
      return false; // closed while we looked
    }
  }).length;
}

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'mcp-index-security-preview-'));
  site = path.join(work, 'dist');
  mkdirSync(path.join(site, 'v0.1/servers/io.github.x/y/versions'), { recursive: true });
  writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>home</title>');
  writeFileSync(path.join(site, 'big.bin'), Buffer.alloc(BIG_BYTES, 1));
  writeFileSync(path.join(work, 'secret.txt'), SECRET);
  mkdirSync(path.join(work, 'outside'));
  writeFileSync(path.join(work, 'outside', 'index.html'), SECRET);
  symlinkSync(path.join(work, 'secret.txt'), path.join(site, 'leak.txt'));
  symlinkSync('../secret.txt', path.join(site, 'relative-leak.html'));
  symlinkSync(path.join(work, 'outside'), path.join(site, 'linked-folder'));
  symlinkSync(path.join(work, 'secret.txt'), path.join(site, 'v0.1/servers/io.github.x/y/versions/9.9.9'));
  await startPreview();
}, 60_000);

afterAll(() => {
  server?.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

describe('the preview server under attack', () => {
  it('closes the file of every aborted download, so 60 of them under an 80-file limit change nothing', async () => {
    const big = path.join(site, 'big.bin');
    for (let i = 0; i < 60; i++) await abortedDownload('/big.bin');
    // The server notices each hang-up asynchronously; give it a moment, then no copy may still be open.
    const deadline = Date.now() + 20_000;
    while (openCount(big) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(openCount(big)).toBe(0);
    const home = await rawGet(port, '/');
    expect(home.status).toBe(200);
    expect(home.body).toContain('<title>home</title>');
    const whole = await rawGet(port, '/big.bin');
    expect(whole.status).toBe(200);
    expect(whole.bytes).toBe(BIG_BYTES);
    expect(stderr).toBe('');
  }, 120_000);

  it('never follows a symbolic link out of the served folder', async () => {
    for (const target of [
      '/leak.txt',
      '/relative-leak.html',
      '/linked-folder/',
      '/linked-folder/index.html',
      '/v0.1/servers/io.github.x/y/versions/9.9.9',
      '/v0.1/servers/io.github.x%2Fy/versions/9.9.9',
    ]) {
      const reply = await rawGet(port, target);
      expect(reply.status, target).toBe(404);
      expect(reply.body, target).not.toContain(SECRET);
    }
  });
});
