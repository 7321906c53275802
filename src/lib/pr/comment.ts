/**
 * The bot comment: one per PR, found again by its hidden marker and edited in place on every push.
 * Every piece of PR-controlled text (names, messages quoting manifest values) goes through
 * markdown.ts, so it cannot inject markdown, HTML, links or @mentions.
 */
import { escapeMarkdown, inlineCode } from '../markdown.ts';
import type { Problem } from '../problems.ts';
import type { PrCheckResult } from './check.ts';

export const COMMENT_MARKER = '<!-- mcp-index-pr-check -->';

export interface CommentOptions {
  /** Link to the workflow run, shown at the bottom. */
  runUrl?: string;
}

export function renderComment(result: PrCheckResult, options: CommentOptions = {}): string {
  const errors = result.problems.filter((p) => p.severity === 'error');
  const warnings = result.problems.filter((p) => p.severity === 'warning');
  const lines = [COMMENT_MARKER, `## MCP Index check: ${result.ok ? 'passed ✅' : 'failed ❌'}`, ''];
  const summary: string[] = [];
  if (result.newServers.length)
    summary.push(
      `new server${result.newServers.length > 1 ? 's' : ''}: ${result.newServers.map(inlineCode).join(', ')}`,
    );
  const versions = result.newVersions.map((v) => `${inlineCode(v.name)} ${inlineCode(v.version)}`);
  if (versions.length) summary.push(`new version${versions.length > 1 ? 's' : ''}: ${versions.join(', ')}`);
  if (summary.length) lines.push(...summary.map((s) => `- ${s}`), '');
  for (const owner of result.ownership)
    lines.push(`- namespace of ${inlineCode(owner.name)} verified: ${escapeMarkdown(owner.via)}`);
  if (result.ownership.length) lines.push('');
  lines.push(
    `${errors.length} error${errors.length === 1 ? '' : 's'}, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}.`,
    '',
  );
  if (result.problems.length) {
    lines.push('| | Rule | Where | Problem | How to fix |', '|---|---|---|---|---|');
    for (const problem of result.problems) lines.push(row(problem));
    lines.push('');
  }
  lines.push(
    '<sub>Run the same check locally: `npm run check-pr -- --base origin/main --author <your-login>`. Rule codes are explained in CONTRIBUTING.md.</sub>',
  );
  if (options.runUrl && /^https:\/\//.test(options.runUrl))
    lines.push(`<sub>[Workflow run](${encodeURI(options.runUrl)})</sub>`);
  return `${lines.join('\n')}\n`;
}

function row(problem: Problem): string {
  const icon = problem.severity === 'error' ? '❌' : '⚠️';
  const where = `${problem.file}${problem.line ? `:${problem.line}` : ''} ${problem.path}`;
  return `| ${icon} | ${inlineCode(problem.code)} | ${inlineCode(where)} | ${escapeMarkdown(problem.message)} | ${escapeMarkdown(problem.hint)} |`;
}
