/** What every semantic rule receives, and the one way rules build their Problems. */
import type { Problem } from '../problems.ts';
import { jsonPath } from '../problems.ts';
import type { ServerJson } from '../schema/server.ts';
import { type RuleCode, ruleProblem } from '../rule-codes.ts';

export interface RuleContext {
  file: string;
  /** The schema-valid, normalised server (unknown properties stripped). */
  server: ServerJson;
  /** The normalised document before stripping, for rules about properties the schema drops. */
  raw: Record<string, unknown>;
}

export type Rule = (context: RuleContext) => Problem[];

export const report = (context: RuleContext, code: RuleCode, path: readonly PropertyKey[], message: string): Problem =>
  ruleProblem(code, context.file, jsonPath(path), message);

/**
 * Quotes untrusted text for a message: JSON escaping keeps control characters visible and inert,
 * and long values are cut so a hostile megabyte string cannot flood the output.
 */
export function quote(value: unknown, maxLength = 120): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > maxLength ? `${text.slice(0, maxLength - 3)}...` : text;
}

/** Item `index` of an array in the unstripped document, when it is an object. */
export function rawItem(list: unknown, index: number): Record<string, any> | undefined {
  const item: unknown = Array.isArray(list) ? list[index] : undefined;
  return typeof item === 'object' && item !== null && !Array.isArray(item) ? (item as Record<string, any>) : undefined;
}
