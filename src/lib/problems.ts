/**
 * Errors are values. Every check returns Problems; only CLIs decide exit codes and output formats.
 * A problem always names the file, the JSON path inside it, a stable code, a message and a hint.
 */
import type { RuleCode } from './rule-codes.ts';

export type Severity = 'error' | 'warning';

export interface Problem {
  /** Stable, kebab-case identifier of the rule (e.g. `version-range`), from the one table in rule-codes.ts. */
  code: RuleCode;
  severity: Severity;
  /** Path of the file, relative to the data folder or as given on the command line. */
  file: string;
  /** JSON path inside the file, e.g. `$.remotes[0].url`; `$` for the whole document. */
  path: string;
  message: string;
  /** How to fix it, in one sentence. */
  hint: string;
  /** 1-based position in the file, when known. */
  line?: number;
  column?: number;
}

/** Formats a JSON path from zod-style path segments: ['remotes', 0, 'url'] -> `$.remotes[0].url`. */
export function jsonPath(segments: readonly PropertyKey[]): string {
  let out = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment)) out += `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

export const hasErrors = (problems: readonly Problem[]): boolean => problems.some((p) => p.severity === 'error');
