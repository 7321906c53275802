/** Build-time repository enrichment with an ETag cache, against recorded GitHub responses. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../../src/lib/github/client.ts';
import { readEnrichment, refreshEnrichment, repositoryFacts, repositoryKey } from '../../../src/lib/github/enrich.ts';
import { loadFixture, startReplayServer } from '../../support/replay-server.ts';
import type { ReplayServer } from '../../support/replay-server.ts';

let server: ReplayServer;
const dir = mkdtempSync(path.join(tmpdir(), 'enrich-'));
const file = path.join(dir, 'repositories.json');

beforeAll(async () => {
  server = await startReplayServer(loadFixture('repositories'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('refreshEnrichment', () => {
  it('fetches facts once, then revalidates with If-None-Match (304) and keeps them; gone repositories are recorded', async () => {
    const octokit = createGitHubClient({ token: 't', baseUrl: server.baseUrl });
    const urls = [
      'https://github.com/alice/weather',
      'https://github.com/Alice/weather.git',
      'https://github.com/alice/gone',
      'https://gitlab.com/x/y',
    ];
    expect(await refreshEnrichment(octokit, urls, file)).toEqual({
      fetched: 1,
      notModified: 0,
      missing: 1,
      failed: [],
    });
    const first = readFileSync(file, 'utf8');
    expect(await refreshEnrichment(octokit, urls, file)).toEqual({
      fetched: 0,
      notModified: 1,
      missing: 1,
      failed: [],
    });
    expect(readFileSync(file, 'utf8')).toBe(first);
    const cache = await readEnrichment(file);
    expect(repositoryFacts(cache, 'https://github.com/alice/weather')).toEqual({
      stars: 128,
      pushedAt: '2025-11-18T21:04:11Z',
      archived: false,
      license: 'Apache-2.0',
    });
    expect(repositoryFacts(cache, 'https://github.com/alice/gone')).toBeUndefined();
    expect(server.unmatched).toEqual([]);
  });

  it('reads nothing (and does not fail) when the cache file is absent: the build works offline', async () => {
    expect(await readEnrichment(path.join(dir, 'missing.json'))).toEqual({});
    expect(repositoryKey('https://example.com/a/b')).toBeUndefined();
  });
});
