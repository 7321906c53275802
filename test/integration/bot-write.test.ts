/**
 * THE bot write path (issue 15), end to end: the real CLI in real git clones, pushing over smart
 * HTTP to a loopback git host (git http-backend behind GitHub's token authentication, rulesets as a
 * pre-receive hook) and calling a loopback replay of the GitHub API. A read-only "job" saves the
 * patch; a fresh clone, standing for the write job's checkout, writes it as the bot.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGitHost } from '../support/git-host.ts';
import type { GitHost } from '../support/git-host.ts';
import { startReplayServer } from '../support/replay-server.ts';
import type { Exchange, ReplayServer } from '../support/replay-server.ts';
import { facts, manifest, PrRepo, runScript } from '../unit/pr/pr-repo.ts';

const TOKEN = 'ghs_bottoken';
const APP = 'registry-bot';
const BOT_USER = {
  request: { method: 'GET', path: '/users/registry-bot%5Bbot%5D' },
  response: { status: 200, body: { login: 'registry-bot[bot]', id: 4242, type: 'Bot' } },
};
const FACTS = 'registry-data/servers/io.github.alice/weather/registry.json';
const PROBE = 'registry-data/servers/io.github.alice/weather/probe.json';
/** What the writer in these tests writes: the stamp's facts and the probe's results. */
const KINDS = 'server-facts,probe-results';

let host: GitHost;
const temps: string[] = [];
const replays: ReplayServer[] = [];

beforeAll(async () => {
  host = await startGitHost(TOKEN);
});
afterAll(() => host.close());
afterEach(async () => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
  for (const replay of replays.splice(0)) await replay.close();
});

const run = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
const temp = (prefix: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};

let counter = 0;
/** A registry repository on the git host with one server on main; returns its bare folder and name. */
function seedRepository(): { bare: string; repo: string } {
  const repo = `registry-${++counter}`;
  const bare = host.create('octo', repo);
  const seed = new PrRepo();
  seed.addServer('io.github.alice/weather', '1.0.0');
  seed.addServer('io.github.bob/tides', '1.0.0');
  seed.commitAll('seed');
  seed.git('push', '-q', bare, 'HEAD:refs/heads/main');
  seed.remove();
  return { bare, repo };
}

/** A checkout of main as actions/checkout leaves it (no credentials), in its own folder. */
function checkout(bare: string): string {
  const dir = path.join(temp('checkout-'), 'repo');
  execFileSync('git', ['clone', '-q', bare, dir]);
  run(dir, 'config', 'user.email', 'nobody@example.com');
  run(dir, 'config', 'user.name', 'Nobody');
  run(dir, 'config', 'commit.gpgsign', 'false');
  return dir;
}

function write(dir: string, file: string, content: unknown): void {
  const target = path.join(dir, file);
  execFileSync('mkdir', ['-p', path.dirname(target)]);
  writeFileSync(target, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
}

/** The read-only job: the stamp and the probe wrote data; save it as the hand-over patch. */
async function readOnlyJob(bare: string, change: (dir: string) => void = stampAndProbe, kinds = KINDS) {
  const dir = checkout(bare);
  change(dir);
  const handOver = temp('hand-over-');
  const saved = await runScript('bot-write.ts', ['--save-patch', handOver, '--paths', kinds], {}, dir);
  return { saved, handOver };
}

function stampAndProbe(dir: string): void {
  write(dir, FACTS, facts(['1.0.0'], { curation: { categories: ['weather'], tags: [] } }));
  write(dir, PROBE, { tools: [{ name: 'forecast' }] });
}

async function replay(exchanges: Exchange[]): Promise<ReplayServer> {
  const server = await startReplayServer(exchanges);
  replays.push(server);
  return server;
}

function botEnv(repo: string, api: ReplayServer, extra: Record<string, string> = {}): Record<string, string> {
  const output = path.join(temp('output-'), 'github-output');
  writeFileSync(output, '');
  return {
    BOT_TOKEN: TOKEN,
    BOT_APP_SLUG: APP,
    GITHUB_REPOSITORY: `octo/${repo}`,
    GITHUB_SERVER_URL: host.url,
    GITHUB_API_URL: api.baseUrl,
    GITHUB_GRAPHQL_URL: `${api.baseUrl}/graphql`,
    GITHUB_OUTPUT: output,
    GITHUB_RUN_ID: '777',
    ...extra,
  };
}

const outputs = (env: Record<string, string>) =>
  Object.fromEntries(
    readFileSync(env.GITHUB_OUTPUT!, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('=') as [string, string]),
  );

describe('bot-write: pushing to main', () => {
  it('commits exactly the saved data as the App bot and pushes it with the token, never storing it', async () => {
    const { bare, repo } = seedRepository();
    const { saved, handOver } = await readOnlyJob(bare);
    expect(saved.stderr).toBe('');
    expect(saved.stdout).toMatch(/2 changed file\(s\) saved/);
    const before = run(bare, 'rev-parse', 'main');
    const api = await replay([BOT_USER]);
    const writer = checkout(bare);
    const env = botEnv(repo, api);
    const result = await runScript(
      'bot-write.ts',
      ['--patch', handOver, '--paths', KINDS, '--message', 'Record probe results'],
      env,
      writer,
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/pushed 2 file\(s\) as registry-bot\[bot\]/);

    expect(run(bare, 'rev-parse', 'main~1')).toBe(before);
    expect(run(bare, 'log', '-1', '--format=%an <%ae>|%cn <%ce>', 'main')).toBe(
      'registry-bot[bot] <4242+registry-bot[bot]@users.noreply.github.com>|registry-bot[bot] <4242+registry-bot[bot]@users.noreply.github.com>',
    );
    expect(run(bare, 'log', '-1', '--format=%B', 'main')).toBe(
      `Record probe results\n\nWritten by ${host.url}/octo/${repo}/actions/runs/777`,
    );
    expect(run(bare, 'show', '--name-only', '--format=', 'main').split('\n')).toEqual([PROBE, FACTS]);
    expect(outputs(env)).toEqual({
      pushed: 'true',
      sha: run(bare, 'rev-parse', 'main'),
      'pull-request': '',
      'starts-workflows': 'true',
    });

    // The token went to the git host as GitHub expects it, to the API as a bearer, and nowhere on disk.
    expect(host.authorizations.at(-1)).toBe(`basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`);
    expect(api.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(readFileSync(path.join(writer, '.git/config'), 'utf8')).not.toMatch(/extraheader|ghs_|x-access-token/);
    expect(api.unmatched).toEqual([]);
  });

  it('goes on top of what was merged meanwhile (one retry), keeping the other commit', async () => {
    const { bare, repo } = seedRepository();
    const { handOver } = await readOnlyJob(bare);
    const writer = checkout(bare);
    // A pull request is merged after the checkout and before the push.
    const other = checkout(bare);
    write(
      other,
      'registry-data/servers/io.github.bob/tides/versions/2.0.0.json',
      manifest('io.github.bob/tides', '2.0.0'),
    );
    run(other, 'add', '-A');
    run(other, 'commit', '-q', '-m', 'Add tides 2.0.0');
    run(other, 'push', '-q', 'origin', 'HEAD:main');
    const merged = run(bare, 'rev-parse', 'main');

    const env = botEnv(repo, await replay([BOT_USER]));
    const result = await runScript(
      'bot-write.ts',
      ['--patch', handOver, '--paths', KINDS, '--message', 'Stamp'],
      env,
      writer,
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/\(attempt 2\)/);
    expect(run(bare, 'rev-parse', 'main~1')).toBe(merged);
    expect(run(bare, 'show', '--name-only', '--format=', 'main').split('\n')).toEqual([PROBE, FACTS]);
  });

  it('stops, writing nothing, when what was merged meanwhile changed the same file', async () => {
    const { bare, repo } = seedRepository();
    const { handOver } = await readOnlyJob(bare);
    const writer = checkout(bare);
    const other = checkout(bare);
    write(other, FACTS, facts(['1.0.0'], { curation: { categories: ['maps'], tags: [] } }));
    run(other, 'commit', '-q', '-am', 'A maintainer curates weather');
    run(other, 'push', '-q', 'origin', 'HEAD:main');
    const merged = run(bare, 'rev-parse', 'main');

    const env = botEnv(repo, await replay([BOT_USER]));
    const result = await runScript(
      'bot-write.ts',
      ['--patch', handOver, '--paths', KINDS, '--message', 'Stamp'],
      env,
      writer,
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`a change merged into main meanwhile touches the same files: ${FACTS}\n`);
    expect(result.stderr).toMatch(/fix: Run the workflow again/);
    expect(run(bare, 'rev-parse', 'main')).toBe(merged);
  });

  it("names the ruleset and the setting when main's rules refuse the App", async () => {
    const { bare, repo } = seedRepository();
    host.protect('octo', repo, 'main');
    const { handOver } = await readOnlyJob(bare);
    const before = run(bare, 'rev-parse', 'main');
    const api = await replay([
      BOT_USER,
      {
        request: { method: 'GET', path: `/repos/octo/${repo}/rules/branches/main` },
        response: {
          status: 200,
          body: [
            { type: 'pull_request', ruleset_source_type: 'Repository', ruleset_id: 42 },
            { type: 'required_status_checks', ruleset_source_type: 'Repository', ruleset_id: 42 },
          ],
        },
      },
    ]);
    const env = botEnv(repo, api, { GITHUB_ACTIONS: 'true' });
    const result = await runScript(
      'bot-write.ts',
      ['--patch', handOver, '--paths', KINDS, '--message', 'Stamp'],
      env,
      checkout(bare),
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /the rules of main refused the push by registry-bot\[bot\]: error: GH013: Repository rule violations found/,
    );
    expect(result.stderr).toMatch(/\(rules: pull_request, required_status_checks\)/);
    expect(result.stderr).toContain(
      `fix: Add the App "registry-bot" with "Always allow" to the bypass list of ${host.url}/octo/${repo}/settings/rules/42.`,
    );
    expect(result.stdout).toMatch(/^::error title=bot-write::the rules of main refused/m);
    expect(run(bare, 'rev-parse', 'main')).toBe(before);
    expect(outputs(env).pushed).toBe('false');
  });

  it('says that GITHUB_TOKEN can never bypass rules, and that its pushes start no workflow', async () => {
    const { bare, repo } = seedRepository();
    const { handOver } = await readOnlyJob(bare);
    const api = await replay([]);
    const env = botEnv(repo, api, { BOT_APP_SLUG: '' });
    const pushed = await runScript(
      'bot-write.ts',
      ['--patch', handOver, '--paths', KINDS, '--message', 'Stamp'],
      env,
      checkout(bare),
    );
    expect(pushed.status).toBe(0);
    expect(pushed.stdout).toMatch(/as github-actions\[bot\]/);
    expect(pushed.stdout).toMatch(/made with GITHUB_TOKEN, so it starts no workflow/);
    expect(run(bare, 'log', '-1', '--format=%ae', 'main')).toBe(
      '41898282+github-actions[bot]@users.noreply.github.com',
    );

    host.protect('octo', repo, 'main');
    const again = await readOnlyJob(bare, (dir) => write(dir, PROBE, { tools: [] }));
    const refused = await runScript(
      'bot-write.ts',
      ['--patch', again.handOver, '--paths', KINDS, '--message', 'Probe'],
      env,
      checkout(bare),
    );
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/GITHUB_TOKEN can never be a bypass actor\. Set up the registry bot/);
    expect(api.requests).toEqual([]);
  });
});

describe('bot-write: what the bot may write', () => {
  it('refuses, in the read-only job already, data the bot may not write', async () => {
    const { bare } = seedRepository();
    const { saved } = await readOnlyJob(
      bare,
      (dir) => {
        write(dir, 'registry-data/vocabulary.json', { categories: [], tags: [] });
        write(
          dir,
          'registry-data/servers/io.github.alice/weather/versions/1.0.0.json',
          manifest('io.github.alice/weather', '1.0.0', { title: 'Changed' }),
        );
        write(
          dir,
          'registry-data/servers/io.github.alice/weather/versions/9.0.0.json',
          manifest('io.github.alice/weather', '9.0.0'),
        );
        write(dir, PROBE, { tools: [] });
      },
      `versions,${KINDS}`,
    );
    expect(saved.status).toBe(1);
    expect(saved.stderr).toMatch(/registry-data\/vocabulary\.json: not versions, server-facts, probe-results data/);
    expect(saved.stderr).toMatch(/versions\/1\.0\.0\.json: a published version is never changed or removed/);
    // A new version (the sync adds them) and probe results are the bot's to write.
    expect(saved.stderr).not.toMatch(/9\.0\.0\.json|probe\.json/);
  });

  it('lets each writer write only its own kinds of data, and names only kinds the bot may write', async () => {
    const { bare } = seedRepository();
    // The stamp writes facts; probe results in its patch are refused.
    const { saved } = await readOnlyJob(bare, stampAndProbe, 'server-facts');
    expect(saved.status).toBe(1);
    expect(saved.stderr).toMatch(/weather\/probe\.json: not server-facts data/);
    const vocabulary = await readOnlyJob(bare, stampAndProbe, 'server-facts,vocabulary');
    expect(vocabulary.saved.status).toBe(2);
    expect(vocabulary.saved.stderr).toMatch(
      /^error: --paths: vocabulary is not bot-writable data in managed-paths\.ts/,
    );
  });

  it('refuses a hand-made patch that writes code, a publisher file or a symbolic link, and pushes nothing', async () => {
    const { bare, repo } = seedRepository();
    const api = await replay([BOT_USER]);
    const before = run(bare, 'rev-parse', 'main');
    // What a compromised read-only job could hand over instead of its data.
    const attacks: [string, (dir: string) => void, RegExp][] = [
      [
        'a workflow',
        (dir) => write(dir, '.github/workflows/evil.yml', 'on: push\n'),
        /\.github\/workflows\/evil\.yml: outside registry-data\//,
      ],
      [
        'a version file',
        (dir) => write(dir, 'registry-data/servers/io.github.alice/weather/versions/1.0.0.json', '{}\n'),
        /versions\/1\.0\.0\.json: a published version is never changed or removed/,
      ],
      [
        'a symbolic link',
        (dir) => symlinkSync('/etc/passwd', path.join(dir, PROBE)),
        /probe\.json: mode 120000 is not a regular file/,
      ],
    ];
    for (const [what, attack, message] of attacks) {
      const dir = checkout(bare);
      attack(dir);
      run(dir, 'add', '-A');
      const handOver = temp('evil-');
      writeFileSync(
        path.join(handOver, 'changes.patch'),
        run(dir, 'diff', '--cached', '--binary', '--no-renames') + '\n',
      );
      const writer = checkout(bare);
      const result = await runScript(
        'bot-write.ts',
        ['--patch', handOver, '--paths', `versions,${KINDS}`, '--message', 'Stamp'],
        botEnv(repo, api),
        writer,
      );
      expect(result.status, what).toBe(1);
      expect(result.stderr, what).toMatch(/refused, nothing written/);
      expect(result.stderr, what).toMatch(message);
      expect(run(writer, 'status', '--porcelain'), what).toBe('');
      expect(run(writer, 'rev-parse', 'HEAD'), what).toBe(before);
    }
    expect(run(bare, 'rev-parse', 'main')).toBe(before);
  });

  it('writes nothing, and says so, when nothing changed', async () => {
    const { bare, repo } = seedRepository();
    const { handOver } = await readOnlyJob(bare, () => {});
    const env = botEnv(repo, await replay([BOT_USER]));
    const result = await runScript(
      'bot-write.ts',
      ['--patch', handOver, '--paths', KINDS, '--message', 'Stamp'],
      env,
      checkout(bare),
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/nothing to write/);
    expect(outputs(env).pushed).toBe('false');
  });

  it('names what is missing instead of failing obscurely', async () => {
    const dir = checkout(seedRepository().bare);
    const noToken = await runScript(
      'bot-write.ts',
      ['--patch', dir, '--paths', KINDS, '--message', 'x'],
      { GITHUB_REPOSITORY: 'octo/r' },
      dir,
    );
    expect(noToken.status).toBe(2);
    expect(noToken.stderr).toBe(
      'error: BOT_TOKEN is not set: the workflow passes the bot App token (or GITHUB_TOKEN) here\n',
    );
    const noMessage = await runScript('bot-write.ts', ['--patch', dir, '--paths', KINDS], {}, dir);
    expect(noMessage.stderr).toMatch(/^error: --message is required\n\nusage:/);
  });
});

describe('bot-write: one pull request instead of a push', () => {
  const PULLS = (repo: string) => `/repos/octo/${repo}/pulls`;

  it('opens one pull request from the bot branch, updates it on the next run, closes it when nothing is left', async () => {
    const { bare, repo } = seedRepository();
    const open = { number: 7, html_url: `https://github.com/octo/${repo}/pull/7`, node_id: 'PR_kwDOA' };
    const api = await replay([
      BOT_USER,
      { request: { method: 'GET', path: PULLS(repo) }, response: { status: 200, body: [] }, once: true },
      { request: { method: 'POST', path: PULLS(repo) }, response: { status: 201, body: open }, once: true },
      {
        request: { method: 'POST', path: '/graphql' },
        response: { status: 200, body: { data: { enablePullRequestAutoMerge: { clientMutationId: null } } } },
      },
      { request: { method: 'GET', path: PULLS(repo) }, response: { status: 200, body: [open] } },
      { request: { method: 'PATCH', path: `${PULLS(repo)}/7` }, response: { status: 200, body: open } },
      {
        request: { method: 'POST', path: `/repos/octo/${repo}/issues/7/comments` },
        response: { status: 201, body: { id: 1 } },
      },
    ]);
    host.protect('octo', repo, 'main'); // the pull request path needs no bypass
    const main = run(bare, 'rev-parse', 'main');
    const args = (handOver: string) => [
      '--patch',
      handOver,
      '--paths',
      KINDS,
      '--message',
      'Sync',
      '--pull-request',
      'bot/sync',
      '--title',
      'Sync from the official registry',
      '--auto-merge',
    ];

    const first = await readOnlyJob(bare);
    writeFileSync(path.join(first.handOver, 'body.md'), '2 new servers\n');
    const env = botEnv(repo, api);
    const opened = await runScript('bot-write.ts', args(first.handOver), env, checkout(bare));
    expect(opened.stderr).toBe('');
    expect(opened.stdout).toMatch(/opened pull request #7 .* with 2 file\(s\); auto-merge on/);
    expect(run(bare, 'rev-parse', 'main')).toBe(main);
    expect(run(bare, 'rev-parse', 'bot/sync~1')).toBe(main);
    expect(outputs(env)['pull-request']).toBe('7');
    const created = api.requests.find((r) => r.method === 'POST' && r.path === PULLS(repo))!;
    expect(created.body).toEqual({
      title: 'Sync from the official registry',
      body: '2 new servers\n',
      head: 'bot/sync',
      base: 'main',
      maintainer_can_modify: false,
    });
    const autoMerge = api.requests.find((r) => r.path === '/graphql')!.body as { variables: { id: string } };
    expect(autoMerge.variables).toEqual({ id: 'PR_kwDOA' });

    const second = await readOnlyJob(bare, (dir) => write(dir, PROBE, { tools: [{ name: 'tides' }] }));
    const updated = await runScript('bot-write.ts', args(second.handOver), botEnv(repo, api), checkout(bare));
    expect(updated.stdout).toMatch(/updated pull request #7/);
    expect(run(bare, 'show', '--name-only', '--format=', 'bot/sync')).toBe(PROBE);
    expect(run(bare, 'rev-parse', 'bot/sync~1')).toBe(main);

    const third = await readOnlyJob(bare, () => {});
    const closed = await runScript('bot-write.ts', args(third.handOver), botEnv(repo, api), checkout(bare));
    expect(closed.stdout).toMatch(/nothing to write; closed pull request #7/);
    const patches = api.requests.filter((r) => r.method === 'PATCH').map((r) => r.body);
    expect(patches.at(-1)).toEqual({ state: 'closed' });
    expect(api.unmatched).toEqual([]);
  }, 180_000);
});
