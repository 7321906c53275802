/**
 * Problems as people and machines read them: plain text for a terminal, GitHub Actions workflow
 * commands for annotations on a PR, JSON for tools. Shared by every CLI.
 */
import type { Problem } from '../problems.ts';

export const OUTPUT_FORMATS = ['text', 'github', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** `file:line:col  error  code  $.path  message` then an indented hint, one problem per block. */
export function formatProblemsText(problems: readonly Problem[]): string {
  return problems
    .map((problem) => {
      const where =
        problem.line === undefined ? problem.file : `${problem.file}:${problem.line}:${problem.column ?? 1}`;
      return `${where}  ${problem.severity}  ${problem.code}  ${problem.path}\n  ${problem.message}\n  hint: ${problem.hint}`;
    })
    .join('\n');
}

/** Beyond this many, `formatProblemsSummary` counts warnings per code instead of listing them. */
export const LISTED_WARNINGS = 20;

/**
 * Text for a terminal that stays readable on a large registry: every error in full, warnings in full
 * only when there are few of them (or `listAllWarnings`), else one count per code.
 */
export function formatProblemsSummary(problems: readonly Problem[], listAllWarnings: boolean): string {
  const warnings = problems.filter((problem) => problem.severity === 'warning');
  const listWarnings = listAllWarnings || warnings.length <= LISTED_WARNINGS;
  const listed = listWarnings ? problems : problems.filter((problem) => problem.severity === 'error');
  const lines = listed.length > 0 ? [formatProblemsText(listed)] : [];
  if (!listWarnings) {
    const byCode = new Map<string, number>();
    for (const warning of warnings) byCode.set(warning.code, (byCode.get(warning.code) ?? 0) + 1);
    const counts = [...byCode].sort(([a], [b]) => (a < b ? -1 : 1)).map(([code, count]) => `${count} × ${code}`);
    lines.push(`warnings not listed (--verbose lists them): ${counts.join(', ')}`);
  }
  return lines.join('\n');
}

/**
 * One `::error`/`::warning` workflow command per problem. Property values and the message are
 * escaped as the Actions runner expects, so untrusted text cannot end the command early or inject
 * another one.
 */
export function formatProblemsGithub(problems: readonly Problem[]): string {
  return problems
    .map((problem) => {
      const properties = [`file=${escapeProperty(problem.file)}`];
      if (problem.line !== undefined) properties.push(`line=${problem.line}`);
      if (problem.column !== undefined) properties.push(`col=${problem.column}`);
      properties.push(`title=${escapeProperty(problem.code)}`);
      const message = `${problem.path}: ${problem.message} (hint: ${problem.hint})`;
      return `::${problem.severity} ${properties.join(',')}::${escapeData(message)}`;
    })
    .join('\n');
}

export function formatProblemsJson(problems: readonly Problem[], extra: Record<string, unknown> = {}): string {
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  return JSON.stringify({ ...extra, errors, warnings: problems.length - errors, problems }, null, 2);
}

export function formatProblems(problems: readonly Problem[], format: OutputFormat): string {
  if (format === 'github') return formatProblemsGithub(problems);
  if (format === 'json') return formatProblemsJson(problems);
  return formatProblemsText(problems);
}

/** A one-line count: `2 errors, 1 warning`. */
export function summarise(problems: readonly Problem[]): string {
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  const warnings = problems.length - errors;
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}

/** Data of a GitHub Actions workflow command: `%`, CR and LF would cut it short. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
