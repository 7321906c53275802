import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiFiles } from '../../../src/lib/api/emit.ts';
import { stopApiWriters, writeApiInBackground } from '../../../src/lib/api/write-in-background.ts';
import type { Registry } from '../../../src/lib/registry/model.ts';
import { apiTestRegistry } from './support/registry.ts';

const SITE = 'https://registry.example';
let work: string;
let registry: Registry;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'mcp-index-api-writer-'));
  registry = await apiTestRegistry();
});
afterAll(() => rm(work, { recursive: true, force: true }));

async function filesUnder(root: string, prefix = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(path.join(root, prefix), { withFileTypes: true })) {
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) found.push(...(await filesUnder(root, relative)));
    else found.push(relative);
  }
  return found.sort();
}

describe('writeApiInBackground', () => {
  it('writes in a worker thread exactly the files apiFiles describes, byte for byte', async () => {
    const outDir = path.join(work, 'site');
    const expected = [...apiFiles(registry, SITE)];
    const summary = await writeApiInBackground({ registry, siteUrl: SITE, outDir });

    expect(summary.files).toBe(expected.length);
    expect(summary.bytes).toBe(expected.reduce((sum, file) => sum + Buffer.byteLength(file.body), 0));
    expect(await filesUnder(outDir)).toEqual(expected.map((file) => file.path).sort());
    for (const file of expected) expect(await readFile(path.join(outDir, file.path), 'utf8')).toBe(file.body);
  });

  it('rejects with the reason when the files cannot be written', async () => {
    const blocked = path.join(work, 'not-a-folder');
    await writeFile(blocked, 'a file where the output folder should be');
    await expect(writeApiInBackground({ registry, siteUrl: SITE, outDir: blocked })).rejects.toThrow(/ENOTDIR|EEXIST|not a directory/);
  });

  it('stops a writer that is still running', async () => {
    const writing = writeApiInBackground({ registry, siteUrl: SITE, outDir: path.join(work, 'stopped') });
    await stopApiWriters();
    await expect(writing).rejects.toThrow(/stopped before it finished/);
  });
});
