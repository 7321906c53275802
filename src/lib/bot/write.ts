/**
 * THE bot write path (issue 15): the one way every workflow writes registry-managed data (stamps,
 * namespace owners, probe results, sync) to a protected main. docs/operating.md explains the choice.
 *
 * Two halves, in two jobs, so the write token never sits next to code that reads untrusted input:
 *   - `savePatch`, in the read-only job that produced the data: stages the data folder and writes
 *     it as a binary patch, refusing early anything the bot may not write;
 *   - `writeAsBot`, in a job that installs nothing: applies the patch to a clean checkout, checks
 *     every path again against the table of registry-managed paths (only bot-writable data, regular
 *     files), commits it as the bot, and either pushes it to the target branch (retrying on top of
 *     whatever was merged meanwhile) or opens or updates one pull request from a branch of the bot's.
 *
 * The bot is a GitHub App: it can be a ruleset's bypass actor, and what it pushes or opens starts
 * workflows. Without one, the same path runs with GITHUB_TOKEN, which can do neither; the outcome
 * says so. Dependency-free (node: built-ins and dependency-free modules of ours) on purpose.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { changedFiles, git, GitError, REGULAR_FILE_MODE } from '../pr/git.ts';
import type { FileChange } from '../pr/git.ts';
import { MANAGED_PATHS, managedPath } from '../trust/managed-paths.ts';
import { GitHubApiError, graphql, repoRoute, rest } from './github-api.ts';
import type { GitHubApi } from './github-api.ts';

export const PATCH_FILE = 'changes.patch';
/** A pull request's body, next to the patch in the hand-over folder. */
export const BODY_FILE = 'body.md';

export interface BotIdentity {
  /** The login GitHub shows, e.g. `acme-registry[bot]`. */
  login: string;
  email: string;
  /** An App's pushes and pull requests start workflows; GITHUB_TOKEN's start none. */
  startsWorkflows: boolean;
}

/** GITHUB_TOKEN's identity: the fallback when no App is configured. */
export const ACTIONS_IDENTITY: BotIdentity = {
  login: 'github-actions[bot]',
  email: '41898282+github-actions[bot]@users.noreply.github.com',
  startsWorkflows: false,
};

/**
 * The App's bot user, as GitHub attributes its commits: `<slug>[bot]` with the noreply address of
 * the bot user's id (one API call, as actions/create-github-app-token's README shows).
 */
export async function appIdentity(github: GitHubApi, appSlug: string): Promise<BotIdentity> {
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i.test(appSlug))
    throw new Error(`${JSON.stringify(appSlug)} is not a GitHub App slug`);
  const login = `${appSlug}[bot]`;
  const user = await rest<{ id?: unknown }>(github, 'GET', `/users/${encodeURIComponent(login)}`);
  if (typeof user.id !== 'number') throw new Error(`GitHub returned no user id for ${login}`);
  return { login, email: `${user.id}+${login}@users.noreply.github.com`, startsWorkflows: true };
}

export interface Refusal {
  file: string;
  reason: string;
}

/**
 * The kinds of data one writer may write: ids of bot-writable entries of the managed-paths table
 * (the stamp: `server-facts`, `namespace-owners`, `namespace-proofs`; the probe: `probe-results`,
 * `probe-run`). Throws on an id that is not there or not the bot's.
 */
export function dataKinds(ids: readonly string[]): ReadonlySet<string> {
  if (ids.length === 0) throw new Error('name the kinds of data this change may write (managed-paths.ts ids)');
  for (const id of ids) {
    const entry = MANAGED_PATHS.find((e) => e.id === id);
    if (!entry?.writers.includes('bot')) throw new Error(`${id} is not bot-writable data in managed-paths.ts`);
  }
  return new Set(ids);
}

/** Why the bot may not write at this path, or undefined when it may. `dataDir` is repository-relative. */
export function pathRefusal(file: string, dataDir: string, kinds: ReadonlySet<string>): string | undefined {
  const prefix = `${dataDir.replace(/\/+$/, '')}/`;
  if (!file.startsWith(prefix)) return `outside ${prefix}`;
  if (!kinds.has(managedPath(file.slice(prefix.length))?.id ?? '')) return `not ${[...kinds].join(', ')} data`;
  return undefined;
}

/** Why the bot may not make this change (its path, its mode, a published version), or undefined. */
export function refusalOf(change: FileChange, dataDir: string, kinds: ReadonlySet<string>): string | undefined {
  const refused = pathRefusal(change.path, dataDir, kinds);
  if (refused) return refused;
  if (change.status !== 'deleted' && change.mode !== REGULAR_FILE_MODE)
    return `mode ${change.mode} is not a regular file`;
  // The bot adds versions (the sync does) but, like everyone, never rewrites a published one.
  const entry = managedPath(change.path.slice(dataDir.replace(/\/+$/, '').length + 1));
  if (entry?.id === 'versions' && change.status !== 'added') return 'a published version is never changed or removed';
  return undefined;
}

function refusals(changes: readonly FileChange[], dataDir: string, kinds: ReadonlySet<string>): Refusal[] {
  return changes.flatMap((change) => {
    const reason = refusalOf(change, dataDir, kinds);
    return reason ? [{ file: change.path, reason }] : [];
  });
}

/**
 * The read-only half: stages `dataDir` and writes `<outDir>/changes.patch` (empty when nothing
 * changed). Changes outside `dataDir` are never part of the patch; inside it, anything the bot may
 * not write is refused here already, so the job that made it fails where its log is.
 */
export async function savePatch(
  repoDir: string,
  dataDir: string,
  kinds: ReadonlySet<string>,
  outDir: string,
): Promise<{ changes: FileChange[]; refused: Refusal[] }> {
  const prefix = `${dataDir.replace(/\/+$/, '')}/`;
  const changes = (await changedFiles(repoDir, 'HEAD')).filter((change) => change.path.startsWith(prefix));
  const refused = refusals(changes, dataDir, kinds);
  if (refused.length > 0) return { changes, refused };
  await git(repoDir, ['add', '-A', '--', dataDir]);
  const patch = await git(repoDir, ['diff', '--cached', '--binary', '--no-renames', '--', dataDir]);
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, PATCH_FILE), patch);
  return { changes, refused };
}

/** Where the bot pushes: the repository's git URL and the header that authenticates it. */
export interface GitRemote {
  /** e.g. https://github.com/acme/mcp-registry.git */
  url: string;
  /** The token, sent as GitHub expects it (`x-access-token`), through the environment: never in argv or .git/config. */
  token: string;
}

function remoteEnv(remote: GitRemote): NodeJS.ProcessEnv {
  const { origin } = new URL(remote.url);
  const basic = Buffer.from(`x-access-token:${remote.token}`).toString('base64');
  return {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: `http.${origin}/.extraheader`,
    GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${basic}`,
  };
}

export interface PullRequestTarget {
  /** The bot's own branch, e.g. `bot/sync`; force-updated on every run. */
  branch: string;
  title: string;
  body: string;
  /** Ask GitHub to merge it once its required checks pass (the repository must allow auto-merge). */
  autoMerge: boolean;
}

export interface WriteOptions {
  /** A clean checkout of the commit the patch was made against (persist-credentials: false). */
  repoDir: string;
  patchFile: string;
  /** Repository-relative data folder, e.g. `registry-data`. */
  dataDir: string;
  /** What this writer writes (`dataKinds`): anything else refuses the whole change. */
  kinds: ReadonlySet<string>;
  message: string;
  identity: BotIdentity;
  remote: GitRemote;
  owner: string;
  repo: string;
  /** The protected branch the data is for, e.g. `main`. */
  target: string;
  /** API access: pull requests, and naming the rules that refused a push. */
  github: GitHubApi;
  /** Instead of pushing to `target`: one pull request from a branch of the bot's. */
  pullRequest?: PullRequestTarget;
  /** How often to push again on top of a moved target (default 4). */
  attempts?: number;
}

export type WriteOutcome =
  | { action: 'nothing'; closedPullRequest?: number }
  | { action: 'refused'; refused: Refusal[] }
  | { action: 'pushed'; sha: string; files: number; attempts: number; startsWorkflows: boolean }
  | {
      action: 'pull-request';
      sha: string;
      files: number;
      number: number;
      url: string;
      created: boolean;
      autoMerge: 'enabled' | 'off' | 'unavailable';
      startsWorkflows: boolean;
    }
  | { action: 'rejected'; reason: string; hint: string };

/** The write half; see the module comment. Never throws for a refusal: those are outcomes. */
export async function writeAsBot(options: WriteOptions): Promise<WriteOutcome> {
  const { repoDir, dataDir, identity, kinds } = options;
  const gitAs = (args: string[], env?: NodeJS.ProcessEnv) =>
    git(repoDir, ['-c', `user.name=${identity.login}`, '-c', `user.email=${identity.email}`, ...args], env);
  if ((await git(repoDir, ['status', '--porcelain', '--untracked-files=no'])).trim() !== '')
    throw new Error(`${repoDir} has uncommitted changes; the bot writes from a clean checkout`);
  const base = (await git(repoDir, ['rev-parse', 'HEAD'])).trim();

  // Paths first, from the patch itself: nothing outside the bot's data is ever written to the tree.
  const empty = (await stat(options.patchFile)).size === 0;
  const listed = empty
    ? []
    : (await git(repoDir, ['apply', '--numstat', '-z', options.patchFile])).split('\0').filter(Boolean);
  const early = listed.flatMap((entry): Refusal[] => {
    const file = entry.split('\t')[2] ?? '';
    if (file === '') return [{ file: '(rename or copy)', reason: 'the bot never renames or copies files' }];
    const reason = pathRefusal(file, dataDir, kinds);
    return reason ? [{ file, reason }] : [];
  });
  if (early.length > 0) return { action: 'refused', refused: early };

  if (listed.length > 0) await git(repoDir, ['apply', '--index', '--whitespace=nowarn', options.patchFile]);
  const staged = (await git(repoDir, ['diff', '--cached', '--name-only'])).trim() !== '';
  if (!staged) {
    const closed = options.pullRequest ? await closeStalePullRequest(options) : undefined;
    return closed === undefined ? { action: 'nothing' } : { action: 'nothing', closedPullRequest: closed };
  }
  await gitAs(['commit', '-q', '--no-verify', '--no-gpg-sign', '-m', options.message]);
  const commit = (await git(repoDir, ['rev-parse', 'HEAD'])).trim();
  // Modes and deletions are only certain once git has made the commit: check the commit itself.
  const changes = await changedFiles(repoDir, base, commit);
  const late = refusals(changes, dataDir, kinds);
  if (late.length > 0) {
    await git(repoDir, ['reset', '-q', '--hard', base]);
    return { action: 'refused', refused: late };
  }
  const env = remoteEnv(options.remote);
  if (options.pullRequest) return openPullRequest(options, commit, changes.length, env);

  const attempts = options.attempts ?? 4;
  for (let attempt = 1; ; attempt++) {
    const failure = await push(repoDir, options.remote.url, `HEAD:refs/heads/${options.target}`, env);
    if (!failure) {
      const sha = (await git(repoDir, ['rev-parse', 'HEAD'])).trim();
      return {
        action: 'pushed',
        sha,
        files: changes.length,
        attempts: attempt,
        startsWorkflows: identity.startsWorkflows,
      };
    }
    if (failure.kind === 'refused') return rejectedByRules(options, failure.detail);
    if (attempt >= attempts)
      return {
        action: 'rejected',
        reason: `${options.target} kept moving: ${attempts} pushes were overtaken by other pushes`,
        hint: 'Run the workflow again; the data it writes is recomputed from the new state.',
      };
    // Someone merged meanwhile: put the bot's one commit on top of the new tip, check it again, retry.
    await git(repoDir, ['fetch', '-q', '--no-tags', options.remote.url, `refs/heads/${options.target}`], env);
    const tip = (await git(repoDir, ['rev-parse', 'FETCH_HEAD'])).trim();
    await git(repoDir, ['checkout', '-q', '--detach', tip]);
    try {
      await gitAs(['cherry-pick', '--allow-empty', commit]);
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
      const conflicts = (await git(repoDir, ['diff', '--name-only', '--diff-filter=U'])).trim().split('\n');
      await git(repoDir, ['cherry-pick', '--abort']).catch(() => {});
      await git(repoDir, ['checkout', '-q', '--detach', commit]);
      return {
        action: 'rejected',
        reason: `a change merged into ${options.target} meanwhile touches the same files: ${conflicts.join(', ')}`,
        hint: 'Run the workflow again; it recomputes the data from the new state.',
      };
    }
    const again = refusals(await changedFiles(repoDir, tip, 'HEAD'), dataDir, kinds);
    if (again.length > 0) return { action: 'refused', refused: again };
  }
}

type PushFailure = { kind: 'stale' | 'refused'; detail: string };

async function push(repoDir: string, url: string, refspec: string, env: NodeJS.ProcessEnv, force = false) {
  try {
    await git(repoDir, ['push', ...(force ? ['--force'] : []), url, refspec], env);
    return undefined;
  } catch (error) {
    const text = error instanceof GitError ? error.message : String(error);
    // `! [rejected] ... (fetch first)` or `(non-fast-forward)`: the branch moved. A hook or a rule
    // answers `! [remote rejected]` (GitHub: GH006 protected branch, GH013 rule violations).
    if (/\[rejected\][^\n]*\((fetch first|non-fast-forward)\)/.test(text))
      return { kind: 'stale', detail: text } satisfies PushFailure;
    if (/\[remote rejected\]|GH0(06|13)|protected branch|rule violation/i.test(text))
      return { kind: 'refused', detail: text } satisfies PushFailure;
    throw error;
  }
}

interface BranchRule {
  type?: string;
  ruleset_id?: number;
}

/** Names the rules that refused the push and the exact setting that lets the bot through. */
async function rejectedByRules(options: WriteOptions, detail: string): Promise<WriteOutcome> {
  const { identity, target, owner, repo } = options;
  const remoteSaid = detail
    .split('\n')
    .flatMap((line) => {
      const said = /\bremote:\s*(.*)$/.exec(line)?.[1]?.trim();
      return said ? [said] : [];
    })
    .slice(0, 6)
    .join(' / ');
  const reason = `the rules of ${target} refused the push by ${identity.login}${remoteSaid ? `: ${remoteSaid}` : ''}`;
  if (identity.login === ACTIONS_IDENTITY.login)
    return {
      action: 'rejected',
      reason,
      hint:
        'GITHUB_TOKEN can never be a bypass actor. Set up the registry bot (a GitHub App, docs/operating.md#the-bot), ' +
        `add it to the bypass list of the ruleset that protects ${target}, and set the secrets BOT_CLIENT_ID and BOT_PRIVATE_KEY.`,
    };
  let rules: BranchRule[] = [];
  try {
    rules = await rest<BranchRule[]>(
      options.github,
      'GET',
      `${repoRoute(owner, repo)}/rules/branches/${encodeURIComponent(target)}`,
    );
  } catch (error) {
    if (!(error instanceof GitHubApiError)) throw error;
  }
  const rulesets = [...new Set(rules.map((rule) => rule.ruleset_id).filter((id) => typeof id === 'number'))];
  const types = [...new Set(rules.map((rule) => rule.type).filter(Boolean))].join(', ');
  const app = identity.login.replace(/\[bot\]$/, '');
  const settings = `${new URL(options.remote.url).origin}/${owner}/${repo}/settings/rules`;
  return {
    action: 'rejected',
    reason: rulesets.length ? `${reason} (rules: ${types})` : reason,
    hint: rulesets.length
      ? `Add the App "${app}" with "Always allow" to the bypass list of ${rulesets.map((id) => `${settings}/${id}`).join(' and ')}.`
      : `${target} is protected by a classic branch protection rule, which cannot let an App skip required status checks: ` +
        `protect ${target} with a ruleset (${settings}) instead and add the App "${app}" to its bypass list with "Always allow".`,
  };
}

interface PullRequest {
  number: number;
  html_url: string;
  node_id: string;
}

async function findPullRequest(options: WriteOptions, branch: string): Promise<PullRequest | undefined> {
  const { owner, repo, target } = options;
  const query = new URLSearchParams({ state: 'open', head: `${owner}:${branch}`, base: target, per_page: '10' });
  const open = await rest<PullRequest[]>(options.github, 'GET', `${repoRoute(owner, repo)}/pulls?${query}`);
  return open[0];
}

async function openPullRequest(
  options: WriteOptions,
  commit: string,
  files: number,
  env: NodeJS.ProcessEnv,
): Promise<WriteOutcome> {
  const { owner, repo, target, identity } = options;
  const request = options.pullRequest!;
  if (!/^[A-Za-z0-9._/-]+$/.test(request.branch) || request.branch === target || request.branch.startsWith('refs/'))
    throw new Error(
      `--pull-request must name a branch of the bot's other than ${target}, not ${JSON.stringify(request.branch)}`,
    );
  // The branch is the bot's alone: each run replaces it with one commit on top of the target.
  const failure = await push(options.repoDir, options.remote.url, `${commit}:refs/heads/${request.branch}`, env, true);
  if (failure) return rejectedByRules({ ...options, target: request.branch }, failure.detail);
  const route = `${repoRoute(owner, repo)}/pulls`;
  let pull = await findPullRequest(options, request.branch);
  const created = !pull;
  if (pull) {
    await rest(options.github, 'PATCH', `${route}/${pull.number}`, { title: request.title, body: request.body });
  } else {
    pull = await rest<PullRequest>(options.github, 'POST', route, {
      title: request.title,
      body: request.body,
      head: request.branch,
      base: target,
      maintainer_can_modify: false,
    });
  }
  let autoMerge: 'enabled' | 'off' | 'unavailable' = 'off';
  if (request.autoMerge) {
    try {
      await graphql(
        options.github,
        'mutation($id: ID!) { enablePullRequestAutoMerge(input: { pullRequestId: $id, mergeMethod: SQUASH }) { clientMutationId } }',
        { id: pull.node_id },
      );
      autoMerge = 'enabled';
    } catch (error) {
      if (!(error instanceof GitHubApiError)) throw error;
      autoMerge = 'unavailable';
    }
  }
  return {
    action: 'pull-request',
    sha: commit,
    files,
    number: pull.number,
    url: pull.html_url,
    created,
    autoMerge,
    startsWorkflows: identity.startsWorkflows,
  };
}

/** Nothing is left to change: an open pull request of the bot's would now merge stale data. */
async function closeStalePullRequest(options: WriteOptions): Promise<number | undefined> {
  const pull = await findPullRequest(options, options.pullRequest!.branch);
  if (!pull) return undefined;
  const route = `${repoRoute(options.owner, options.repo)}`;
  await rest(options.github, 'POST', `${route}/issues/${pull.number}/comments`, {
    body: `Nothing is left to change against \`${options.target}\`; closing.`,
  });
  await rest(options.github, 'PATCH', `${route}/pulls/${pull.number}`, { state: 'closed' });
  return pull.number;
}
