/**
 * A listed tool as probe.json keeps it: the fields a reader needs, cut to the limits, and a
 * fingerprint of the full text, so a change past a cut (a poisoned instruction at the end of a long
 * description) still changes the fingerprint.
 */
import { createHash } from 'node:crypto';
import type { ProbedTool, ToolAnnotations } from '../registry/probe-facts.ts';
import type { ProbeLimits } from './limits.ts';

/** A tool as the SDK parsed it from tools/list (only the fields we read). */
export interface ListedTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema?: unknown;
  outputSchema?: unknown;
  annotations?: Record<string, unknown>;
}

const HINTS = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const;

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function toolAnnotations(raw: Record<string, unknown> | undefined): ToolAnnotations | undefined {
  if (!raw) return undefined;
  const out: ToolAnnotations = {};
  if (typeof raw.title === 'string') out.title = raw.title.slice(0, 200);
  for (const hint of HINTS) if (typeof raw[hint] === 'boolean') out[hint] = raw[hint];
  return Object.keys(out).length ? out : undefined;
}

export function toolFingerprint(tool: ListedTool): string {
  const identity = {
    name: tool.name,
    title: tool.title ?? null,
    description: tool.description ?? null,
    annotations: toolAnnotations(tool.annotations) ?? null,
    inputSchema: tool.inputSchema ?? null,
    outputSchema: tool.outputSchema ?? null,
  };
  return `sha256:${createHash('sha256').update(canonicalJson(identity)).digest('hex')}`;
}

/**
 * Normalises a listing: one entry per name (the first wins, as a client would see), sorted by name,
 * cut to the limits. `since` is filled in later, against the previous file.
 */
export function keptTools(listed: readonly ListedTool[], limits: ProbeLimits): Omit<ProbedTool, 'since'>[] {
  const byName = new Map<string, ListedTool>();
  for (const tool of listed) if (!byName.has(tool.name)) byName.set(tool.name, tool);
  let schemaBudget = limits.schemaBytesPerServer;
  return [...byName.values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((tool) => {
      const kept: Omit<ProbedTool, 'since'> = { name: tool.name.slice(0, 200), fingerprint: toolFingerprint(tool) };
      if (tool.title !== undefined) kept.title = tool.title.slice(0, 200);
      if (tool.description !== undefined) {
        kept.description = tool.description.slice(0, limits.descriptionChars);
        if (tool.description.length > limits.descriptionChars) kept.descriptionTruncated = true;
      }
      const annotations = toolAnnotations(tool.annotations);
      if (annotations) kept.annotations = annotations;
      const schemas = { inputSchema: tool.inputSchema, outputSchema: tool.outputSchema };
      const size = Buffer.byteLength(JSON.stringify(schemas) ?? '');
      if (size <= limits.schemaBytes && size <= schemaBudget) {
        schemaBudget -= size;
        if (isObject(tool.inputSchema)) kept.inputSchema = tool.inputSchema;
        if (isObject(tool.outputSchema)) kept.outputSchema = tool.outputSchema;
      } else kept.schemaOmitted = true;
      return kept;
    });
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
