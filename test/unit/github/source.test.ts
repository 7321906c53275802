/**
 * readGitHubSource through octokit against a loopback replay of the GitHub API. The tarball is
 * made by `git archive` (what GitHub serves) from a real repository holding a small registry, and
 * the result is compared with the local reader on the same files.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GitHubSourceError,
  materializeGitHubSource,
  parseGitHubSpec,
  readGitHubSource,
} from '../../../src/lib/github/source.ts';
import { readLocalSource } from '../../../src/lib/registry/source.ts';
import { loadFixture, startReplayServer } from '../../support/replay-server.ts';
import type { Exchange, ReplayServer } from '../../support/replay-server.ts';
import { PrRepo } from '../pr/pr-repo.ts';

let repo: PrRepo;
let server: ReplayServer;
let commit: string;
const cacheDir = mkdtempSync(path.join(tmpdir(), 'gh-cache-'));
const longName = `io.github.alice/${'a-very-long-server-name-'.repeat(5)}end`;

beforeAll(async () => {
  repo = new PrRepo();
  repo.addServer('io.github.alice/weather', '1.0.0');
  repo.addServer(longName, '2.0.0+build.7');
  repo.write('registry-data/vocabulary.json', { categories: [], tags: [] });
  repo.write('README.md', 'not data\n');
  repo.commitAll('registry');
  commit = repo.git('rev-parse', 'HEAD').trim();
  const tarball = execFileSync(
    'git',
    ['archive', '--format=tar.gz', `--prefix=octo-registry-${commit.slice(0, 7)}/`, commit],
    { cwd: repo.dir },
  );
  const recorded = loadFixture('source-commit').map((exchange): Exchange =>
    JSON.parse(JSON.stringify(exchange).replaceAll('{{commit}}', commit)),
  );
  server = await startReplayServer([
    ...recorded,
    {
      request: { method: 'GET', path: `/repos/octo/registry/tarball/${commit}` },
      response: { status: 302, headers: { location: `{{baseUrl}}/codeload/octo/registry/legacy.tar.gz/${commit}` } },
    },
    {
      request: { method: 'GET', path: `/codeload/octo/registry/legacy.tar.gz/${commit}` },
      response: {
        status: 200,
        headers: { 'content-type': 'application/x-gzip' },
        bodyBase64: tarball.toString('base64'),
      },
    },
  ]);
});

afterAll(async () => {
  await server.close();
  repo.remove();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('readGitHubSource', () => {
  it('returns exactly what the local reader returns for the same commit, long paths included', async () => {
    const remote = await readGitHubSource('octo/registry@main', { token: 't', baseUrl: server.baseUrl, cacheDir });
    const local = await readLocalSource(path.join(repo.dir, 'registry-data'));
    expect(remote.commit).toBe(commit);
    expect(remote.files).toEqual(local.files);
    expect(remote.files.map((f) => f.path)).toContain(`servers/${longName}/versions/2.0.0+build.7.json`);
    expect(remote.problems).toEqual([]);
    expect(server.unmatched).toEqual([]);
  });

  it('sends If-None-Match on the next read and uses the cached files on 304, without downloading again', async () => {
    const before = server.requests.length;
    const again = await readGitHubSource('octo/registry@main', { token: 't', baseUrl: server.baseUrl, cacheDir });
    const requests = server.requests.slice(before);
    expect(requests.map((r) => r.path)).toEqual(['/repos/octo/registry/commits/main']);
    expect(requests[0]!.headers['if-none-match']).toBe('"4f0c8a9e1b7d2c3a"');
    expect(again.files.length).toBe(5);
  });

  it('materialises a source into a folder the ordinary loader reads', async () => {
    const dir = await materializeGitHubSource('octo/registry@main', { token: 't', baseUrl: server.baseUrl, cacheDir });
    expect((await readLocalSource(dir)).files).toEqual(
      (await readLocalSource(path.join(repo.dir, 'registry-data'))).files,
    );
  });

  it('explains a missing token, a missing repository and a malformed spec', async () => {
    await expect(readGitHubSource('octo/registry@main', { baseUrl: server.baseUrl, cacheDir })).rejects.toThrow(
      /GITHUB_TOKEN is not set/,
    );
    await expect(readGitHubSource('octo/missing', { token: 't', baseUrl: server.baseUrl, cacheDir })).rejects.toThrow(
      /octo\/missing@HEAD was not found/,
    );
    expect(() => parseGitHubSpec('not a repo')).toThrow(GitHubSourceError);
    expect(parseGitHubSpec('octo/registry.git@v1.2')).toEqual({ owner: 'octo', repo: 'registry', ref: 'v1.2' });
  });
});
