/**
 * Publishes a PR check result on GitHub through octokit: one bot comment (created once, then
 * edited in place, found by its hidden marker), the managed labels, and a commit status on the
 * PR's head commit. Annotations are printed by the check itself as workflow commands.
 */
import type { GitHubClient } from '../github/client.ts';
import { isNotFound } from '../github/client.ts';
import type { PrCheckResult } from './check.ts';
import { COMMENT_MARKER, renderComment } from './comment.ts';
import { MANAGED_LABELS } from './labels.ts';

export const STATUS_CONTEXT = 'mcp-index/pr-check';

export interface PrTarget {
  owner: string;
  repo: string;
  pullNumber: number;
  /** The PR head commit the status is attached to. */
  sha: string;
  runUrl?: string;
  /** e.g. https://github.com (Actions: GITHUB_SERVER_URL): the comment links files, lines and rule codes. */
  serverUrl?: string;
}

export interface PublishOutcome {
  comment: { id: number; action: 'created' | 'updated' | 'unchanged' };
  labelsAdded: string[];
  labelsRemoved: string[];
  state: 'success' | 'failure';
}

export async function publishPrReport(
  octokit: GitHubClient,
  target: PrTarget,
  result: PrCheckResult,
): Promise<PublishOutcome> {
  const { owner, repo, pullNumber } = target;
  const body = renderComment(result, {
    runUrl: target.runUrl,
    repositoryUrl: target.serverUrl?.startsWith('https://')
      ? `${target.serverUrl.replace(/\/+$/, '')}/${owner}/${repo}`
      : undefined,
    headSha: target.sha,
    baseSha: result.base,
  });

  // Only a bot's comment counts: anyone can paste the marker into their own comment.
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: pullNumber,
    per_page: 100,
  });
  const mine = comments.find((c) => c.user?.type === 'Bot' && (c.body ?? '').includes(COMMENT_MARKER));
  let comment: PublishOutcome['comment'];
  if (!mine) {
    const created = await octokit.rest.issues.createComment({ owner, repo, issue_number: pullNumber, body });
    comment = { id: created.data.id, action: 'created' };
  } else if (mine.body === body) {
    comment = { id: mine.id, action: 'unchanged' };
  } else {
    await octokit.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
    comment = { id: mine.id, action: 'updated' };
  }

  const current = new Set(
    (
      await octokit.paginate(octokit.rest.issues.listLabelsOnIssue, {
        owner,
        repo,
        issue_number: pullNumber,
        per_page: 100,
      })
    ).map((l) => l.name),
  );
  const wanted = new Set(result.labels);
  const labelsAdded = result.labels.filter((label) => !current.has(label));
  const labelsRemoved = MANAGED_LABELS.filter((label) => current.has(label) && !wanted.has(label));
  if (labelsAdded.length)
    await octokit.rest.issues.addLabels({ owner, repo, issue_number: pullNumber, labels: labelsAdded });
  for (const name of labelsRemoved) {
    try {
      await octokit.rest.issues.removeLabel({ owner, repo, issue_number: pullNumber, name });
    } catch (error) {
      if (!isNotFound(error)) throw error; // removed meanwhile: that is the goal anyway
    }
  }

  const errors = result.problems.filter((p) => p.severity === 'error').length;
  const warnings = result.problems.length - errors;
  const state = result.ok ? 'success' : 'failure';
  await octokit.rest.repos.createCommitStatus({
    owner,
    repo,
    sha: target.sha,
    state,
    context: STATUS_CONTEXT,
    description: `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`.slice(
      0,
      140,
    ),
    ...(target.runUrl?.startsWith('https://') ? { target_url: target.runUrl } : {}),
  });
  return { comment, labelsAdded, labelsRemoved, state };
}
