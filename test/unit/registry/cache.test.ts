import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { forgetRegistries, getRegistry, provideRegistry } from '../../../src/lib/registry/cache.ts';

const FIXTURE = path.resolve('test/fixtures/registry');
const previous = process.env.REGISTRY_DATA;
afterEach(() => {
  if (previous === undefined) delete process.env.REGISTRY_DATA;
  else process.env.REGISTRY_DATA = previous;
  forgetRegistries();
});

describe('getRegistry', () => {
  it('loads REGISTRY_DATA once and hands every caller the same registry', async () => {
    process.env.REGISTRY_DATA = FIXTURE;
    const first = getRegistry();
    expect(getRegistry()).toBe(first);
    expect((await first).servers).toHaveLength(12);
  });

  it('throws an Error listing the problems when the data has errors', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cache-'));
    try {
      cpSync(FIXTURE, dir, { recursive: true });
      writeFileSync(path.join(dir, 'servers/io.github.acme/weather/versions/1.0.0.json'), '[');
      process.env.REGISTRY_DATA = dir;
      await expect(getRegistry()).rejects.toThrow(
        /has 1 error\(s\):\n.*weather\/versions\/1\.0\.0\.json:\d+:\d+ {2}error {2}json-syntax/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serves a registry provided for a folder without reading it', async () => {
    process.env.REGISTRY_DATA = '/nonexistent/data';
    provideRegistry('/nonexistent/data', { servers: [] });
    expect(await getRegistry()).toEqual({ servers: [] });
  });
});
