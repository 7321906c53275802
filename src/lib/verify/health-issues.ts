/**
 * One GitHub issue per broken server, kept in step with the nightly health check: opened when a
 * server breaks, edited while it stays broken, closed with a comment when it recovers or leaves
 * the registry. Issues are found again by a hidden marker holding the server name.
 */
import type { GitHubClient } from '../github/client.ts';
import { escapeMarkdown } from '../markdown.ts';
import type { HealthResult } from './health.ts';

export const HEALTH_LABEL = 'health';
const MARKER = /<!-- mcp-index-health:(\S+) -->/;

export interface IssueSyncOutcome {
  created: string[];
  updated: string[];
  closed: string[];
}

export function healthIssueBody(result: HealthResult): string {
  const lines = [
    `<!-- mcp-index-health:${result.name} -->`,
    `The nightly health check found problems with \`${result.name.replace(/`/g, "'")}\` (version \`${result.version.replace(/`/g, "'")}\`):`,
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

/** `listed`: every server name in the registry, so a partial run (--only) never closes other issues. */
export async function syncHealthIssues(
  octokit: GitHubClient,
  owner: string,
  repo: string,
  results: readonly HealthResult[],
  listed: ReadonlySet<string>,
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
  const outcome: IssueSyncOutcome = { created: [], updated: [], closed: [] };
  for (const result of results) {
    const existing = issues.get(result.name);
    const broken = result.problems.some((p) => p.severity === 'error');
    if (broken) {
      const body = healthIssueBody(result);
      if (!existing) {
        await octokit.rest.issues.create({
          owner,
          repo,
          title: `Health check failing: ${result.name}`,
          body,
          labels: [HEALTH_LABEL],
        });
        outcome.created.push(result.name);
      } else if (existing.body !== body) {
        await octokit.rest.issues.update({ owner, repo, issue_number: existing.number, body });
        outcome.updated.push(result.name);
      }
    } else if (existing) {
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
  for (const [name, issue] of issues) {
    if (listed.has(name)) continue;
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
