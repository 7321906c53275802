/**
 * Validates one server.json text: parse -> migrate to the current schema -> zod schema -> semantic
 * rules -> line/column for every problem. Never throws for bad data: every failure is a Problem
 * naming the file, JSON path, code and hint. Warnings never block: `server` is present whenever
 * there is no error.
 */
import type { z } from 'zod';
import { locateJsonPaths, parseJson, parseJsonPath } from '../json/parse.ts';
import type { Problem } from '../problems.ts';
import { hasErrors, jsonPath } from '../problems.ts';
import { ruleProblem, type RuleCode } from '../rule-codes.ts';
import { quote } from '../rules/context.ts';
import { runManifestRules } from '../rules/index.ts';
import { schemeKind } from '../rules/url.ts';
import { migrateInPlace } from '../schema/migrate.ts';
import { type ServerJson, ServerJsonSchema } from '../schema/server.ts';

export interface ManifestResult {
  /** The manifest normalised to the current schema; present when there is no error. */
  server?: ServerJson;
  /** The released schema version the file declares, e.g. `2025-09-29` (absent when missing or unknown). */
  sourceSchemaVersion?: string;
  problems: Problem[];
}

export function validateManifestText(text: string, file: string): ManifestResult {
  const parsed = parseJson(text);
  if (!parsed.ok) {
    const { line, column } = parsed.position;
    return {
      problems: [
        { ...ruleProblem(parsed.code, file, '$', `${parsed.message} (line ${line}, column ${column})`), line, column },
      ],
    };
  }
  const migrated = migrateInPlace(parsed.value, file); // the parsed value is ours: no copy needed
  const problems = [...migrated.problems];
  const schema = ServerJsonSchema.safeParse(migrated.value);
  let server: ServerJson | undefined;
  if (schema.success) {
    server = schema.data;
    problems.push(...runManifestRules({ file, server, raw: migrated.value as Record<string, unknown> }));
  } else {
    problems.push(...schema.error.issues.map((issue) => schemaProblem(issue, migrated.value, file)));
  }
  return {
    ...(server && !hasErrors(problems) ? { server } : {}),
    ...(migrated.sourceSchemaVersion ? { sourceSchemaVersion: migrated.sourceSchemaVersion } : {}),
    problems: withPositions(text, problems),
  };
}

/** Adds line/column to every problem, locating all paths in one pass over the text. */
function withPositions(text: string, problems: Problem[]): Problem[] {
  if (problems.length === 0) return problems;
  const positions = locateJsonPaths(
    text,
    problems.map((problem) => parseJsonPath(problem.path) ?? []),
  );
  return problems.map((problem, index) => {
    const position = positions[index];
    return position ? { ...problem, line: position.line, column: position.column } : problem;
  });
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

const describeType = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** Fields whose length/format failures have a dedicated rule code. */
const FIELD_CODES: ReadonlyMap<string, RuleCode> = new Map([
  ['$.name', 'name-format'],
  ['$.description', 'description-length'],
  ['$.title', 'title-length'],
  ['$.version', 'version-length'],
]);

/** Maps a zod issue to a Problem with a specific code and a message naming the offending value. */
function schemaProblem(issue: z.core.$ZodIssue, document: unknown, file: string): Problem {
  const path = jsonPath(issue.path);
  const value = valueAt(document, issue.path);
  const field = String(issue.path.at(-1) ?? '$');
  const at = (code: RuleCode, message: string) => ruleProblem(code, file, path, message);
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return at('schema-required', `${quote(field)} is required`);
      return at('schema-type', `expected ${issue.expected}, got ${describeType(value)}`);
    case 'too_small':
    case 'too_big': {
      const limit = issue.code === 'too_small' ? `at least ${issue.minimum}` : `at most ${issue.maximum}`;
      const unit = issue.origin === 'array' ? 'items' : 'characters';
      const size = typeof value === 'string' || Array.isArray(value) ? ` (has ${value.length})` : '';
      return at(FIELD_CODES.get(path) ?? 'schema-length', `${quote(field)} must have ${limit} ${unit}${size}`);
    }
    case 'invalid_format':
      if (typeof value === 'string' && /url|src/i.test(field) && schemeKind(value) === 'other') {
        return at('url-scheme', `${quote(value)} is not an http(s) URL`);
      }
      return at(FIELD_CODES.get(path) ?? 'schema-format', `${quote(value)} ${issue.message}`);
    case 'invalid_value': {
      const allowed = issue.values.map((option) => quote(option)).join(', ');
      return at('schema-enum', `${quote(value)} is not one of ${allowed}`);
    }
    case 'invalid_union': {
      // zod 4 reports a bad discriminator as a union issue with `options` (not in its public type).
      const options = (issue as { options?: unknown[] }).options;
      if (options) {
        const allowed = options.map((option) => quote(option)).join(', ');
        const code = issue.path[0] === 'remotes' && issue.path.length === 3 ? 'remote-transport' : 'schema-enum';
        return at(
          code,
          `${value === undefined ? `${quote(field)} is missing` : `${quote(value)} is not allowed`}; expected one of ${allowed}`,
        );
      }
      return at('schema-invalid', issue.message);
    }
    case 'custom':
      if (field === 'version' && issue.path[0] === 'packages')
        return at('package-version-reserved', `package version ${quote(value)} ${issue.message}`);
      if (typeof value === 'string' && schemeKind(value) === 'other')
        return at('url-scheme', `${quote(value)} is not an http(s) URL`);
      if (typeof value === 'string') return at('schema-format', `${quote(value)} ${issue.message}`);
      return at('schema-invalid', issue.message); // cross-field constraints, e.g. a positional argument's value/valueHint
    default:
      return at('schema-invalid', issue.message);
  }
}
