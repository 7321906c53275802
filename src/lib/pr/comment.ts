/**
 * The bot comment: one per PR, found again by its hidden marker and edited in place on every push.
 * Every piece of PR-controlled text (names, messages quoting manifest values) goes through
 * markdown.ts, so it cannot inject markdown, HTML, links or @mentions.
 */
import { escapeMarkdown, inlineCode } from '../markdown.ts';
import type { Problem } from '../problems.ts';
import { RULES } from '../rule-codes.ts';
import type { RuleCode } from '../rule-codes.ts';
import type { PrCheckResult } from './check.ts';

export const COMMENT_MARKER = '<!-- mcp-index-pr-check -->';

export interface CommentOptions {
  /** Link to the workflow run, shown at the bottom. */
  runUrl?: string;
  /** `https://github.com/<owner>/<repo>`: files, lines and rule codes become links. */
  repositoryUrl?: string;
  /** The commit the check ran on (file and line links). */
  headSha?: string;
  /** The base commit: rule codes link to its docs/validation.md. */
  baseSha?: string;
}

/** Codes whose failure a maintainer can settle by hand: a reverse-DNS namespace not proven automatically. */
const NEEDS_A_MAINTAINER = new Set<string>(['namespace-dns', 'namespace-unverified']);

export function renderComment(result: PrCheckResult, options: CommentOptions = {}): string {
  const errors = result.problems.filter((p) => p.severity === 'error');
  const warnings = result.problems.filter((p) => p.severity === 'warning');
  const lines = [COMMENT_MARKER, `## MCP Index check: ${result.ok ? 'passed ✅' : 'failed ❌'}`, ''];
  const summary: string[] = [];
  // A new server's first versions are listed with it, not again as new versions.
  const isNew = new Set(result.newServers);
  const versionsOf = (name: string) =>
    result.newVersions.filter((v) => v.name === name).map((v) => inlineCode(v.version));
  if (result.newServers.length)
    summary.push(
      `new server${result.newServers.length > 1 ? 's' : ''}: ${result.newServers
        .map((name) => [inlineCode(name), ...versionsOf(name)].join(' '))
        .join(', ')}`,
    );
  const versions = result.newVersions
    .filter((v) => !isNew.has(v.name))
    .map((v) => `${inlineCode(v.name)} ${inlineCode(v.version)}`);
  if (versions.length) summary.push(`new version${versions.length > 1 ? 's' : ''}: ${versions.join(', ')}`);
  if (summary.length) lines.push(...summary.map((s) => `- ${s}`), '');
  for (const owner of result.ownership)
    lines.push(`- namespace of ${inlineCode(owner.name)} verified: ${escapeMarkdown(owner.via)}`);
  if (result.ownership.length) lines.push('');
  lines.push(
    `${errors.length} error${errors.length === 1 ? '' : 's'}, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}.`,
    '',
  );
  if (errors.some((p) => NEEDS_A_MAINTAINER.has(p.code)))
    lines.push(
      '**This pull request needs a maintainer:** a reverse-DNS namespace could not be proven automatically. ' +
        'Follow the hint below, or wait for a maintainer (`.github/MAINTAINERS`) to verify the domain and review it.',
      '',
    );
  if (result.problems.length) {
    lines.push('| | Rule | Where | Problem | How to fix |', '|---|---|---|---|---|');
    for (const problem of result.problems) lines.push(row(problem, options));
    lines.push('');
  }
  const run =
    options.runUrl && /^https:\/\//.test(options.runUrl)
      ? `[workflow run](${encodeURI(options.runUrl)})`
      : 'workflow run';
  lines.push(
    '<sub>Run the same check locally: `npm run check-pr -- --base origin/main --author <your-login>`. ' +
      `Rule codes are explained in ${docLink('docs/validation.md', options) ?? 'docs/validation.md'}.</sub>`,
    `<sub>To run this check again, push a commit to the branch (\`git commit --allow-empty -m "Re-run the registry check" && git push\`): it runs on \`pull_request_target\`, so only a maintainer can re-run it from the ${run}.</sub>`,
  );
  return `${lines.join('\n')}\n`;
}

function row(problem: Problem, options: CommentOptions): string {
  const icon = problem.severity === 'error' ? '❌' : '⚠️';
  const rule = RULES[problem.code as RuleCode];
  const anchor = rule ? `#${problem.code}-${rule.severity}` : '';
  const code = inlineCode(problem.code);
  const codeLink = docLink(`docs/validation.md${anchor}`, options, code);
  const file = inlineCode(`${problem.file}${problem.line ? `:${problem.line}` : ''}`);
  const fileLink =
    options.repositoryUrl && options.headSha && /^[0-9a-f]{40}$/.test(options.headSha)
      ? `[${file}](${options.repositoryUrl}/blob/${options.headSha}/${urlPath(problem.file)}${problem.line ? `#L${problem.line}` : ''})`
      : file;
  return `| ${icon} | ${codeLink ?? code} | ${fileLink} ${inlineCode(problem.path)} | ${escapeMarkdown(problem.message)} | ${escapeMarkdown(problem.hint)} |`;
}

/** A link to one of our docs at the base commit, or undefined without a repository to link to. */
function docLink(target: string, options: CommentOptions, text = target.split('#')[0]!): string | undefined {
  if (!options.repositoryUrl || !options.baseSha || !/^[0-9a-f]{40}$/.test(options.baseSha)) return undefined;
  return `[${text}](${options.repositoryUrl}/blob/${options.baseSha}/${target})`;
}

/** A PR-controlled path as URL path segments: nothing in it can end the link or add a query. */
function urlPath(file: string): string {
  return file
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(/[()'!*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    )
    .join('/');
}
