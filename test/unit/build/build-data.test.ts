/**
 * The build's data worker, a real worker thread on real data folders: it validates, hands over the
 * same registry the loader gives, and writes exactly the API files `apiFiles` describes.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiFiles } from '../../../src/lib/api/emit.ts';
import { buildDataFor, provideBuildData, startBuildData, stopBuildData } from '../../../src/lib/build/build-data.ts';
import { loadRegistry } from '../../../src/lib/registry/load.ts';
import { FIXTURE_REGISTRY, writeApiTestData } from '../api/support/registry.ts';

const SITE = 'https://registry.example';
let work: string;
let data: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'mcp-index-build-data-'));
  data = path.join(work, 'data');
  await writeApiTestData(data);
});
afterEach(() => stopBuildData());
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

describe('startBuildData', () => {
  it('validates in a worker thread and hands over the registry the loader gives, with the problems and counts', async () => {
    const expected = await loadRegistry(data);
    const validated = await startBuildData(data).validated;
    expect(validated.registry).toEqual(expected.registry);
    expect(validated.problems).toEqual(expected.problems);
    const versions = expected.registry.servers.reduce((sum, server) => sum + server.versions.length, 0);
    expect(validated.counts).toEqual({ servers: expected.registry.servers.length, versions });
    // The newest version is still the same object as its entry in the version list.
    const server = validated.registry!.servers[0]!;
    expect(server.versions).toContain(server.latest);
  });

  it('writes exactly the files apiFiles describes, byte for byte, and reports them', async () => {
    const outDir = path.join(work, 'site');
    const { registry } = await loadRegistry(data);
    const expected = [...apiFiles(registry, SITE)];
    const worker = startBuildData(data);
    const summary = await worker.writeApi({ outDir, siteUrl: SITE });

    expect(summary).toEqual({
      files: expected.length,
      bytes: expected.reduce((sum, file) => sum + Buffer.byteLength(file.body), 0),
    });
    expect(worker.apiWritten()).toEqual(summary);
    expect(await filesUnder(outDir)).toEqual(expected.map((file) => file.path).sort());
    for (const file of expected) expect(await readFile(path.join(outDir, file.path), 'utf8')).toBe(file.body);
  });

  it('refuses data with errors: the problems, no registry, and nothing written', async () => {
    const bad = path.join(work, 'bad-data');
    cpSync(FIXTURE_REGISTRY, bad, { recursive: true });
    writeFileSync(path.join(bad, 'servers/io.github.acme/weather/versions/1.1.0.json'), '{ not json');
    const worker = startBuildData(bad);
    const validated = await worker.validated;
    expect(validated.registry).toBeUndefined();
    expect(validated.problems.map((problem) => problem.code)).toEqual(['json-syntax']);
    const outDir = path.join(work, 'refused');
    expect(await worker.writeApi({ outDir, siteUrl: SITE })).toBeUndefined();
    await expect(readdir(outDir)).rejects.toThrow(/ENOENT/);
  });

  it('rejects with the reason when the API cannot be written', async () => {
    const blocked = path.join(work, 'not-a-folder');
    writeFileSync(blocked, 'a file where the output folder should be');
    await expect(startBuildData(data).writeApi({ outDir: blocked, siteUrl: SITE })).rejects.toThrow(
      /ENOTDIR|EEXIST|not a directory/,
    );
  });

  it('stops a worker that is still running', async () => {
    const worker = startBuildData(data);
    const writing = worker.writeApi({ outDir: path.join(work, 'stopped'), siteUrl: SITE });
    await stopBuildData();
    await expect(writing).rejects.toThrow(/stopped before it finished/);
    await expect(worker.validated).rejects.toThrow(/stopped before it finished/);
  });
});

describe('buildDataFor', () => {
  it('returns the build data registered for a folder, or starts and registers one', async () => {
    const provided = startBuildData(data);
    provideBuildData(data, provided);
    expect(buildDataFor(path.relative(process.cwd(), data))).toBe(provided);

    const other = path.join(work, 'other');
    cpSync(data, other, { recursive: true });
    const started = buildDataFor(other);
    expect(buildDataFor(other)).toBe(started);
    expect((await started.validated).counts.servers).toBeGreaterThan(0);
  });
});
