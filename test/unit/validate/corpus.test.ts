/**
 * Every record of the official registry (2025-12-18 dump, 2,794 records) was accepted there, so
 * every one must validate here with zero errors. The dump lives outside the repository
 * (/work/shared/data); without it this test is skipped and says so.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonPath } from '../../../src/lib/problems.ts';
import { validateManifestText } from '../../../src/lib/validate/manifest.ts';

const DUMP = new URL('../../../../shared/data/official-registry-2025-12-18.json', import.meta.url);
const present = existsSync(DUMP);
if (!present) console.warn(`corpus test skipped: ${DUMP.pathname} is not present (it is not part of the repository)`);

describe.skipIf(!present)('official registry corpus', () => {
  it('validates all 2,794 real records with zero errors', () => {
    const records = JSON.parse(readFileSync(DUMP, 'utf8')) as { server: Record<string, unknown> }[];
    expect(records).toHaveLength(2794);
    const errors: string[] = [];
    const warnings = new Map<string, number>();
    records.forEach((record, index) => {
      const file = `record-${index}.json`;
      const result = validateManifestText(JSON.stringify(record.server, null, 2), file);
      for (const problem of result.problems) {
        if (problem.severity === 'error')
          errors.push(
            `${record.server.name}@${record.server.version} ${problem.code} ${problem.path}: ${problem.message}`,
          );
        else warnings.set(problem.code, (warnings.get(problem.code) ?? 0) + 1);
      }
      if (!result.server) errors.push(`${file}: no server`);
      else {
        for (const path of droppedPaths(record.server, result.server)) {
          const explained =
            (path === '$.repository' && JSON.stringify(record.server.repository) === '{}') ||
            result.problems.some(
              (problem) => problem.code === 'legacy-value-normalised' && parentOf(problem.path) === parentOf(path),
            );
          if (!explained)
            errors.push(`${record.server.name}@${record.server.version}: ${path} was dropped without a warning`);
        }
      }
    });
    // No errors, and nothing the official registry kept is dropped without a warning.
    expect(errors).toEqual([]);
    // Only these warnings: older schema versions, and the meaning-changing legacy rewrites.
    expect([...warnings.keys()].sort()).toEqual(['legacy-value-normalised', 'schema-outdated']);
  });
});

/** Paths present in the published record but absent from the normalised server. */
function droppedPaths(published: unknown, normalised: unknown, path: (string | number)[] = []): string[] {
  if (typeof published !== 'object' || published === null) return [];
  return Object.entries(published).flatMap(([key, value]) => {
    const segment = Array.isArray(published) ? Number(key) : key;
    const target = (normalised as Record<string, unknown> | undefined)?.[key];
    if (target === undefined) return [jsonPath([...path, segment])];
    // $schema is rewritten to the current URL; variables keys are free-form and compared as values.
    return key === '$schema' ? [] : droppedPaths(value, target, [...path, segment]);
  });
}

const parentOf = (path: string) => path.replace(/(\.[^.[]+|\[[^\]]+\])$/, '');
