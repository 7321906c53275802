/**
 * Validates one server.json text: parse -> (migrate) -> zod schema -> semantic rules.
 * Never throws for bad data: every failure is a Problem naming the file, JSON path, code and hint.
 */
import type { Problem } from '../problems.ts';
import { jsonPath } from '../problems.ts';
import { type ServerJson, ServerJsonSchema, CURRENT_SCHEMA_VERSION } from '../schema/server.ts';

export interface ManifestResult {
  /** The manifest normalised to the current schema; present when there is no error. */
  server?: ServerJson;
  /** The released schema version the file declares, e.g. `2025-09-29`. */
  sourceSchemaVersion?: string;
  problems: Problem[];
}

export function validateManifestText(text: string, file: string): ManifestResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return {
      problems: [
        {
          code: 'json-syntax',
          severity: 'error',
          file,
          path: '$',
          message: `not valid JSON: ${(error as Error).message}`,
          hint: 'Fix the JSON syntax; a JSON linter or `node -e "JSON.parse(...)"` shows where.',
        },
      ],
    };
  }
  const parsed = ServerJsonSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((issue) => ({
        code: 'schema',
        severity: 'error' as const,
        file,
        path: jsonPath(issue.path),
        message: issue.message,
        hint: 'Compare this field with the official server.json schema.',
      })),
    };
  }
  return { server: parsed.data, sourceSchemaVersion: CURRENT_SCHEMA_VERSION, problems: [] };
}
