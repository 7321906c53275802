/**
 * `npm run sync` as a real process against a loopback server that implements the official list
 * semantics over recorded real records (test/fixtures/official, taken from the official registry on
 * 2025-12-18): a first sync, an incremental one after new versions and a deletion upstream, 503 then
 * success, a malformed page, a crash then a resume, policies that filter, and the pull request body.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { planImport } from '../../src/lib/import/import.ts';
import { recordsFromResponse } from '../../src/lib/import/official.ts';
import { loadRegistry } from '../../src/lib/registry/load.ts';
import { buildReport } from '../../src/lib/sync/report.ts';
import { writeCommit } from '../../src/lib/sync/run-dir.ts';
import { OFFICIAL_META_KEY } from '../../src/lib/site.ts';
import type { OfficialUpstream, UpstreamRecord } from '../support/official-upstream.ts';
import { startOfficialUpstream } from '../support/official-upstream.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const NODE = path.join(ROOT, 'node_modules/.bin/node');
const SAMPLE: UpstreamRecord[] = JSON.parse(
  readFileSync(path.join(ROOT, 'test/fixtures/official/sample-2025-12-18.json'), 'utf8'),
);
/** Held back from the first listing: published "later" upstream. */
const LATER = ['io.github.b1ff/atlassian-dc-mcp-bitbucket@0.9.9', 'io.github.domdomegg/airtable-mcp-server@1.9.6'];
const label = (record: UpstreamRecord) => `${record.server.name}@${record.server.version}`;
const INITIAL = SAMPLE.filter((record) => !LATER.includes(label(record)));
const UPSTREAM_DATE = 'Thu, 01 Jan 2026 00:00:00 GMT';
const PAGE_SIZE = 8;

let work: string;
const upstreams: OfficialUpstream[] = [];
beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'mcp-sync-cli-'));
});
afterEach(async () => {
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function upstream(records = INITIAL): Promise<OfficialUpstream> {
  const started = await startOfficialUpstream(records, { pageSize: PAGE_SIZE, date: UPSTREAM_DATE });
  upstreams.push(started);
  return started;
}

function dataFolder(name: string): string {
  const dir = path.join(work, name);
  cpSync(path.join(ROOT, 'registry-data/vocabulary.json'), path.join(dir, 'vocabulary.json'));
  return dir;
}

function sync(args: string[]) {
  const child = spawn(NODE, ['scripts/sync.ts', '--retries', '2', '--timeout', '5', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}
const run = (...args: string[]) => sync(args).done;

/** Every file under `dir` with a digest of its bytes, so two folders (or one, twice) compare exactly. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (relative: string) => {
    for (const name of readdirSync(path.join(dir, relative)).sort()) {
      const child = relative ? `${relative}/${name}` : name;
      if (statSync(path.join(dir, child)).isDirectory()) walk(child);
      else
        out[child] = createHash('sha256')
          .update(readFileSync(path.join(dir, child)))
          .digest('hex');
    }
  };
  walk('');
  return out;
}
const json = (dir: string, file: string) => JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
const later = (name: string, at: string): UpstreamRecord => {
  const record = structuredClone(SAMPLE.find((candidate) => label(candidate) === name)!);
  Object.assign(record._meta[OFFICIAL_META_KEY], { publishedAt: at, updatedAt: at });
  return record;
};
const newestUpdate = (records: readonly UpstreamRecord[]) =>
  records.map((record) => record._meta[OFFICIAL_META_KEY].updatedAt).sort((a, b) => Date.parse(b) - Date.parse(a))[0]!;

describe('npm run sync', () => {
  const dir = () => path.join(work, 'main');
  // One upstream for the whole story, from the first sync to the refusals.
  let registry: OfficialUpstream;
  beforeAll(async () => {
    registry = await startOfficialUpstream(INITIAL, { pageSize: PAGE_SIZE, date: UPSTREAM_DATE });
  });
  afterAll(() => registry.close());

  it('first sync: lists every page, imports every version with provenance, remembers updated_since', async () => {
    dataFolder('main');
    const body = path.join(work, 'first-body.md');
    const result = await run('--from', registry.baseUrl, '--into', dir(), '--pr-body', body);
    expect(result.stderr).toMatch(/^page 1: 8 records/m);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('added 33 versions (13 new servers), status changes 0');
    expect(registry.requests[0]).toBe('/v0.1/servers?limit=100&include_deleted=true');
    expect(registry.requests).toHaveLength(Math.ceil(33 / PAGE_SIZE));
    expect(registry.requests[1]).toMatch(/&cursor=ai\.smithery%2Fyuna0x0-hackmd-mcp%3A1\.5\.0$/);

    const { registry: loaded, problems } = await loadRegistry(dir());
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(loaded.servers).toHaveLength(13);
    expect(loaded.servers.reduce((n, s) => n + s.versions.length, 0)).toBe(33);
    // Published bytes are the upstream's `server`, verbatim.
    const first = INITIAL[0]!;
    expect(
      readFileSync(path.join(dir(), `servers/${first.server.name}/versions/${first.server.version}.json`), 'utf8'),
    ).toBe(`${JSON.stringify(first.server, null, 2)}\n`);
    expect(json(dir(), 'servers/io.github.b1ff/atlassian-dc-mcp-bitbucket/registry.json').provenance).toEqual({
      source: registry.baseUrl,
      listedSince: '2025-09-13T11:37:20.709225Z',
      firstSyncedAt: '2026-01-01T00:00:00.000Z',
      upstreamStatus: { '0.9.0': 'active', '0.9.7': 'active', '0.9.8': 'active' },
    });
    expect(json(dir(), 'sync-state.json')).toEqual({
      sources: [{ url: registry.baseUrl, updatedSince: newestUpdate(INITIAL) }],
    });
    expect(readFileSync(body, 'utf8')).toContain('### New servers (13)');
    expect(existsSync(`${dir()}.sync-run`)).toBe(false);
  });

  it('a second run asks only for what changed and leaves the folder byte-identical', async () => {
    const before = tree(dir());
    registry.requests.length = 0;
    const result = await run('--from', registry.baseUrl, '--into', dir());
    expect(result.code).toBe(0);
    expect(registry.requests).toEqual([
      `/v0.1/servers?limit=100&include_deleted=true&updated_since=${encodeURIComponent(newestUpdate(INITIAL))}`,
    ]);
    expect(result.stdout).toContain('nothing to change');
    expect(tree(dir())).toEqual(before);
  });

  it('incremental: new versions and a deletion upstream become a file and a status change', async () => {
    const since = newestUpdate(INITIAL);
    const dialer = 'servers/app.getdialer/dialer';
    const published = readFileSync(path.join(dir(), dialer, 'versions/1.0.0.json'), 'utf8');
    registry.publish(later(LATER[0]!, '2025-12-20T10:00:00.5Z'));
    registry.publish(later(LATER[1]!, '2025-12-20T11:00:00Z'));
    registry.setStatus(
      'app.getdialer/dialer',
      '1.0.0',
      'deleted',
      '2025-12-21T08:00:00.123456Z',
      'Removed: spam <b>@everyone</b>',
    );
    registry.requests.length = 0;
    const body = path.join(work, 'incremental-body.md');
    const result = await run('--from', registry.baseUrl, '--into', dir(), '--pr-body', body);
    expect(result.code).toBe(0);
    expect(registry.requests).toEqual([
      `/v0.1/servers?limit=100&include_deleted=true&updated_since=${encodeURIComponent(since)}`,
    ]);
    expect(result.stdout).toContain('added 2 versions (0 new servers), status changes 1, other updates 0, unchanged 0');
    expect(result.stdout).toContain(
      'app.getdialer/dialer@1.0.0: active -> deleted ("Removed: spam <b>@everyone</b>") at 2025-12-21T08:00:00.123456Z',
    );
    expect(json(dir(), `${dialer}/registry.json`).versions['1.0.0']).toEqual({
      status: 'deleted',
      statusMessage: 'Removed: spam <b>@everyone</b>',
      statusChangedAt: '2025-12-21T08:00:00.123456Z',
      publishedAt: '2025-09-08T23:47:09.452138Z',
      updatedAt: '2025-12-21T08:00:00.123456Z',
    });
    expect(readFileSync(path.join(dir(), dialer, 'versions/1.0.0.json'), 'utf8')).toBe(published);
    expect(existsSync(path.join(dir(), 'servers/io.github.b1ff/atlassian-dc-mcp-bitbucket/versions/0.9.9.json'))).toBe(
      true,
    );
    const { registry: loaded, problems } = await loadRegistry(dir());
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(
      loaded.servers.find((s) => s.name === 'io.github.b1ff/atlassian-dc-mcp-bitbucket')?.latest?.server.version,
    ).toBe('0.9.9');
    expect(json(dir(), 'sync-state.json').sources[0].updatedSince).toBe('2025-12-21T08:00:00.123456Z');

    const markdown = readFileSync(body, 'utf8');
    expect(markdown).toContain('### Status changes (1)');
    // Upstream text cannot inject HTML or mention anyone.
    expect(markdown).toContain('Removed: spam &lt;b&gt;@\u200beveryone&lt;/b&gt;');
    expect(markdown).not.toMatch(/<b>|@everyone/);
    expect(markdown).toContain('### New versions of servers already here (2)');
  });

  it('keeps a status a maintainer set here, and reports what upstream says', async () => {
    const file = path.join(dir(), 'servers/md.install/try/registry.json');
    const facts = json(dir(), 'servers/md.install/try/registry.json');
    facts.versions['0.1.0'] = { ...facts.versions['0.1.0'], status: 'deprecated', statusMessage: 'Use 0.1.1' };
    writeFileSync(file, `${JSON.stringify(facts, null, 2)}\n`);
    registry.setStatus('md.install/try', '0.1.0', 'active', '2025-12-22T00:00:00Z', 'touched upstream');
    const result = await run('--from', registry.baseUrl, '--into', dir());
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('maintainer status kept 1');
    expect(json(dir(), 'servers/md.install/try/registry.json').versions['0.1.0']).toMatchObject({
      status: 'deprecated',
      statusMessage: 'Use 0.1.1',
    });
  });

  it('refuses what the validator refuses, with the rule code, and syncs the rest', async () => {
    const bad = later('io.github.tuannvm/mcp-trino@2.2.1', '2025-12-23T00:00:00Z');
    bad.server.version = '^3.0.0';
    registry.publish(bad);
    registry.publish(later('io.github.b1ff/atlassian-dc-mcp-jira@0.9.9', '2025-12-23T00:00:01Z'));
    const result = await run('--from', registry.baseUrl, '--into', dir());
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('refused by code: version-range 1');
    expect(result.stdout).toMatch(/io\.github\.tuannvm\/mcp-trino@\^3\.0\.0 \(version-range\)/);
    expect(result.stdout).toContain('unchanged 0, refused 1');
  });
});

describe('network faults', () => {
  it('retries a 503 with Retry-After, then succeeds', async () => {
    const registry = await upstream();
    registry.faults.push({
      match: (url) => !url.searchParams.has('cursor'),
      action: { kind: 'status', status: 503, headers: { 'retry-after': '1' } },
      times: 1,
    });
    registry.faults.push({
      match: (url) => url.searchParams.has('cursor'),
      action: { kind: 'reset' },
      times: 1,
    });
    const dir = dataFolder('retry');
    const result = await run('--from', registry.baseUrl, '--into', dir);
    expect(result.stderr).toContain('retrying page 1 in 1.0 s (attempt 2 of 3): HTTP 503');
    expect(result.stderr).toMatch(/retrying page 2 in \d\.\d s \(attempt 2 of 3\)/);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('added 33 versions');
    expect(registry.requests[0]).toBe(registry.requests[1]);
  });

  it('fails with a clear error when a page stays broken, the data folder exactly as before', async () => {
    const registry = await upstream();
    registry.faults.push({
      match: (url) => url.searchParams.has('cursor'),
      action: { kind: 'status', status: 502, body: '<html>Bad gateway</html>' },
      times: Infinity,
    });
    const dir = dataFolder('broken');
    const before = tree(dir);
    const result = await run('--from', registry.baseUrl, '--into', dir, '--retries', '1');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^error: http:\/\/127\.0\.0\.1:\d+\/v0\.1\/servers\?.*cursor=.*: HTTP 502 \(<html>Bad gateway<\/html>\) \(after 2 attempts\)$/m,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(tree(dir)).toEqual(before);
  });

  it('fails on a malformed page without retrying it, and changes nothing', async () => {
    const registry = await upstream();
    const dir = dataFolder('malformed');
    expect((await run('--from', registry.baseUrl, '--into', dir)).code).toBe(0);
    registry.publish(later(LATER[0]!, '2025-12-20T10:00:00Z'));
    registry.faults.push({
      match: (url) => url.searchParams.get('cursor')?.startsWith('io.github.b1ff/atlassian-dc-mcp-bitbucket') === true,
      action: { kind: 'body', body: '{"servers": [{"server": "not an object"}], "metadata": {}}' },
      times: Infinity,
    });
    const before = tree(dir);
    registry.requests.length = 0;
    const result = await run('--from', registry.baseUrl, '--into', dir, '--full');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/malformed page: page \d+#0: entry has no "server" object/);
    expect(registry.requests.filter((request) => request.includes('cursor=io.github.b1ff'))).toHaveLength(1);
    expect(tree(dir)).toEqual(before);
  });

  it('a crash mid-run leaves the folder as it was; the next run resumes at the remembered cursor', async () => {
    const registry = await upstream();
    const dir = dataFolder('crash');
    const before = tree(dir);
    // The third page is held: two pages are fetched and stored, then the process is killed.
    let cursorRequests = 0;
    registry.faults.push({
      match: (url) => url.searchParams.has('cursor') && ++cursorRequests === 2,
      action: { kind: 'hold' },
      times: 1,
    });
    const crashed = sync(['--from', registry.baseUrl, '--into', dir]);
    await registry.held();
    crashed.child.kill('SIGKILL');
    expect((await crashed.done).code).toBe(null);
    expect(tree(dir)).toEqual(before);
    expect(json(`${dir}.sync-run`, 'run.json')).toMatchObject({ pages: 2, complete: false });
    const cursor = json(`${dir}.sync-run`, 'run.json').nextCursor as string;

    registry.requests.length = 0;
    const resumed = await run('--from', registry.baseUrl, '--into', dir);
    expect(resumed.stderr).toContain('resuming the interrupted run: 2 pages (16 records) already fetched');
    expect(resumed.code).toBe(0);
    expect(registry.requests[0]).toBe(
      `/v0.1/servers?limit=100&include_deleted=true&cursor=${encodeURIComponent(cursor)}`,
    );
    expect(resumed.stdout).toContain('added 33 versions (13 new servers)');
    expect(resumed.stdout).toContain('2 of them from the interrupted run');
    // The resumed run ends exactly where an uninterrupted one does.
    const clean = dataFolder('clean');
    expect((await run('--from', registry.baseUrl, '--into', clean)).code).toBe(0);
    expect(tree(dir)).toEqual(tree(clean));
  });

  it('a run stopped after planning is completed before anything else', async () => {
    const registry = await upstream();
    const dir = dataFolder('planned');
    const parsed = recordsFromResponse(INITIAL, 'upstream');
    if (!parsed.ok) throw new Error(parsed.error);
    const plan = await planImport(parsed.records, dir, {
      upstream: { source: registry.baseUrl, seenAt: '2026-01-01T00:00:00.000Z' },
    });
    const writes = [...plan.writes];
    const report = buildReport({
      source: registry.baseUrl,
      into: dir,
      full: false,
      since: undefined,
      nextSince: undefined,
      startedAt: '2026-01-01T00:00:00.000Z',
      pages: 5,
      resumedPages: 0,
      records: parsed.records.length,
      outcomes: plan.outcomes,
      skippedPolicy: [],
      skippedDeleted: [],
      files: writes.length,
      publish: 'pull-request',
      seconds: 1,
    });
    writeCommit(dir, report, writes);
    // Half the writes reached the disk before the crash.
    for (const [file, text] of writes.slice(0, writes.length / 2)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    const result = await run('--from', registry.baseUrl, '--into', dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('completed the writes of a run that was interrupted after planning');
    expect(result.stdout).toContain('added 33 versions (13 new servers)');
    expect(registry.requests).toEqual([]);
    expect(existsSync(`${dir}.sync-run`)).toBe(false);
    expect((await loadRegistry(dir)).problems.filter((p) => p.severity === 'error')).toEqual([]);
  });
});

describe('policy.json', () => {
  it('takes only what the policy selects: namespaces, allow and deny', async () => {
    const registry = await upstream();
    const dir = dataFolder('policy');
    writeFileSync(
      path.join(dir, 'policy.json'),
      JSON.stringify({
        namespaces: ['io.github.b1ff', 'AI.smithery'],
        deny: ['*/atlassian-dc-mcp-jira'],
        allow: ['md.install/try'],
      }),
    );
    const result = await run('--from', registry.baseUrl, '--into', dir);
    expect(result.code).toBe(0);
    const servers = readdirSync(path.join(dir, 'servers')).flatMap((ns) =>
      readdirSync(path.join(dir, 'servers', ns)).map((name) => `${ns}/${name}`),
    );
    expect(servers.sort()).toEqual([
      'ai.smithery/yuna0x0-anilist-mcp',
      'ai.smithery/yuna0x0-hackmd-mcp',
      'io.github.b1ff/atlassian-dc-mcp-bitbucket',
      'md.install/try',
    ]);
    expect(result.stdout).toContain('added 12 versions (4 new servers)');
    expect(result.stdout).toContain('skipped 21 (policy 21, deleted upstream 0)');
  });

  it('distribution remote-only takes only versions with remotes and no packages', async () => {
    const registry = await upstream();
    const dir = dataFolder('remote-only');
    writeFileSync(path.join(dir, 'policy.json'), JSON.stringify({ distribution: 'remote-only' }));
    expect((await run('--from', registry.baseUrl, '--into', dir)).code).toBe(0);
    const { registry: loaded } = await loadRegistry(dir);
    expect(loaded.servers.map((s) => s.name)).toEqual([
      'ai.smithery/yuna0x0-anilist-mcp',
      'ai.smithery/yuna0x0-hackmd-mcp',
      'ai.waystation/slack',
      'app.getdialer/dialer',
      'md.install/try',
    ]);
    for (const server of loaded.servers)
      for (const version of server.versions) expect(version.server.packages ?? []).toEqual([]);
  });

  it('refuses an invalid policy before fetching anything, naming the file, path and code', async () => {
    const registry = await upstream();
    const dir = dataFolder('bad-policy');
    writeFileSync(path.join(dir, 'policy.json'), JSON.stringify({ distribution: 'everywhere' }));
    const result = await run('--from', registry.baseUrl, '--into', dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('policy.json');
    expect(result.stderr).toContain('policy-invalid');
    expect(result.stderr).toContain('$.distribution');
    expect(registry.requests).toEqual([]);
  });
});

describe('bulk imports', () => {
  it('writes nothing and exits 3 when a run would write more files than --max-files', async () => {
    const registry = await upstream();
    const dir = dataFolder('bulk');
    const before = tree(dir);
    const report = path.join(work, 'bulk-report.json');
    const result = await run('--from', registry.baseUrl, '--into', dir, '--max-files', '10', '--report', report);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('bulk import');
    expect(tree(dir)).toEqual(before);
    expect(json(work, 'bulk-report.json')).toMatchObject({ result: 'bulk', files: 47 });
  });
});
