/**
 * One GitHub issue per broken server, kept in step with the nightly health check: opened once a
 * server has failed several runs in a row, edited while it stays broken, closed with a comment when
 * it recovers or leaves the registry. A server whose check was inconclusive (`unknown`) keeps its
 * count and its issue as they are. At most a few issues are opened per run, so a new registry's
 * first night cannot flood its tracker; in a dry run nothing is written to GitHub at all. Issues are
 * found again by a hidden marker holding the server name.
 */
import type { GitHubClient } from '../github/client.ts';
import { escapeMarkdown } from '../markdown.ts';
import type { HealthResult } from './health.ts';
import { verdict } from './health.ts';

export const HEALTH_LABEL = 'health';
const MARKER = /<!-- mcp-index-health:(\S+) -->/;

/** What the runs before this one found, kept between runs (the workflow keeps the file in its cache). */
export interface HealthState {
  /** Runs recorded so far, dry runs included. */
  runs: number;
  /** Servers failing at the last run: consecutive failed runs, and the time of the first. */
  failing: Map<string, { failures: number; since: string }>;
}

export interface HealthPolicy {
  /** Consecutive failed runs before an issue is opened (default 3). */
  failuresBeforeIssue: number;
  /** Most issues opened in one run; the rest wait for the next (default 10). */
  maxNewIssues: number;
  /** Plan only: list what would be opened, edited and closed, and write nothing to GitHub. */
  dryRun: boolean;
}

export const DEFAULT_HEALTH_POLICY: HealthPolicy = { failuresBeforeIssue: 3, maxNewIssues: 10, dryRun: false };

export function emptyHealthState(): HealthState {
  return { runs: 0, failing: new Map() };
}

/** Reads a state file; a file that does not parse is an error naming it, never a silent reset. */
export function parseHealthState(text: string, file: string): HealthState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not JSON (${(error as Error).message}); delete it to start counting again`);
  }
  const value = raw as { runs?: unknown; failing?: unknown };
  if (!Number.isInteger(value.runs) || typeof value.failing !== 'object' || value.failing === null)
    throw new Error(
      `${file} is not a health state file ({ "runs": N, "failing": {...} }); delete it to start counting again`,
    );
  const failing = new Map<string, { failures: number; since: string }>();
  for (const [name, entry] of Object.entries(
    value.failing as Record<string, { failures?: unknown; since?: unknown }>,
  )) {
    if (Number.isInteger(entry?.failures) && typeof entry?.since === 'string')
      failing.set(name, { failures: entry.failures as number, since: entry.since });
  }
  return { runs: value.runs as number, failing };
}

/** Deterministic: names sorted, two-space indent, final newline. */
export function serializeHealthState(state: HealthState): string {
  const failing = Object.fromEntries([...state.failing].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ runs: state.runs, failing }, null, 2)}\n`;
}

/** The state after this run: broken counts up, ok clears, unknown leaves a server as it was. */
export function advanceHealthState(state: HealthState, results: readonly HealthResult[], now: string): HealthState {
  const failing = new Map(state.failing);
  for (const result of results) {
    const seen = verdict(result);
    if (seen === 'ok') failing.delete(result.name);
    else if (seen === 'broken') {
      const before = failing.get(result.name);
      failing.set(result.name, { failures: (before?.failures ?? 0) + 1, since: before?.since ?? now });
    }
  }
  return { runs: state.runs + 1, failing };
}

export interface IssueSyncOutcome {
  created: string[];
  updated: string[];
  closed: string[];
  /** Broken, but not for enough runs in a row yet: name and failed runs so far. */
  waiting: { name: string; failures: number }[];
  /** Due an issue, but over this run's cap: opened on a later run. */
  capped: string[];
  /** Inconclusive this run: count and issue left as they were. */
  unknown: string[];
  dryRun: boolean;
}

/** `since`: when the server started failing; the body stays the same from night to night while nothing changes. */
export function healthIssueBody(result: HealthResult, since: string | undefined): string {
  const lines = [
    `<!-- mcp-index-health:${result.name} -->`,
    `The nightly health check found problems with \`${result.name.replace(/`/g, "'")}\` (version \`${result.version.replace(/`/g, "'")}\`)${since ? `, failing since ${since.slice(0, 10)}` : ''}:`,
    '',
    '| Rule | Where | Problem | How to fix |',
    '|---|---|---|---|',
    ...result.problems.map(
      (p) => `| \`${p.code}\` | \`${p.path}\` | ${escapeMarkdown(p.message)} | ${escapeMarkdown(p.hint)} |`,
    ),
    '',
    'This issue is updated every night and closed automatically when the check passes again.',
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * `state` must already include this run (`advanceHealthState`). `listed`: every server name in the
 * registry, so a partial run (--only) never closes other issues.
 */
export async function syncHealthIssues(
  octokit: GitHubClient,
  owner: string,
  repo: string,
  results: readonly HealthResult[],
  listed: ReadonlySet<string>,
  state: HealthState,
  policy: HealthPolicy = DEFAULT_HEALTH_POLICY,
): Promise<IssueSyncOutcome> {
  const open = await octokit.paginate(octokit.rest.issues.listForRepo, {
    owner,
    repo,
    state: 'open',
    labels: HEALTH_LABEL,
    per_page: 100,
  });
  const issues = new Map<string, { number: number; body: string }>();
  for (const issue of open) {
    const name = MARKER.exec(issue.body ?? '')?.[1];
    if (name && !issue.pull_request && !issues.has(name))
      issues.set(name, { number: issue.number, body: issue.body ?? '' });
  }
  const outcome: IssueSyncOutcome = {
    created: [],
    updated: [],
    closed: [],
    waiting: [],
    capped: [],
    unknown: [],
    dryRun: policy.dryRun,
  };
  const write = !policy.dryRun;
  const due: HealthResult[] = [];
  for (const result of results) {
    const existing = issues.get(result.name);
    const seen = verdict(result);
    if (seen === 'unknown') outcome.unknown.push(result.name);
    else if (seen === 'broken') {
      const failures = state.failing.get(result.name)?.failures ?? 1;
      if (existing) {
        const body = healthIssueBody(result, state.failing.get(result.name)?.since);
        if (existing.body !== body) {
          if (write) await octokit.rest.issues.update({ owner, repo, issue_number: existing.number, body });
          outcome.updated.push(result.name);
        }
      } else if (failures >= policy.failuresBeforeIssue) due.push(result);
      else outcome.waiting.push({ name: result.name, failures });
    } else if (existing) {
      if (write)
        await close(
          octokit,
          owner,
          repo,
          existing.number,
          `The health check passes again for \`${result.name}\`; closing.`,
        );
      outcome.closed.push(result.name);
    }
  }
  // The longest-failing first, so a server broken for weeks is not stuck behind this week's.
  due.sort(
    (a, b) =>
      (state.failing.get(b.name)?.failures ?? 0) - (state.failing.get(a.name)?.failures ?? 0) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  for (const [index, result] of due.entries()) {
    if (index >= policy.maxNewIssues) {
      outcome.capped.push(result.name);
      continue;
    }
    if (write)
      await octokit.rest.issues.create({
        owner,
        repo,
        title: `Health check failing: ${result.name}`,
        body: healthIssueBody(result, state.failing.get(result.name)?.since),
        labels: [HEALTH_LABEL],
      });
    outcome.created.push(result.name);
  }
  for (const [name, issue] of issues) {
    if (listed.has(name)) continue;
    if (write)
      await close(
        octokit,
        owner,
        repo,
        issue.number,
        `\`${name}\` is no longer listed (or all its versions are deleted); closing.`,
      );
    outcome.closed.push(name);
  }
  return outcome;
}

async function close(
  octokit: GitHubClient,
  owner: string,
  repo: string,
  issueNumber: number,
  comment: string,
): Promise<void> {
  await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body: comment });
  await octokit.rest.issues.update({
    owner,
    repo,
    issue_number: issueNumber,
    state: 'closed',
    state_reason: 'completed',
  });
}
