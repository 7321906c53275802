/** Properties the schema does not know are dropped on storage; say so, since it is often a typo. */
import type { Problem } from '../problems.ts';
import { quote, report, type Rule, type RuleContext } from './context.ts';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const schemaUnknownField: Rule = (context) => {
  const problems: Problem[] = [];
  compare(context, context.raw, context.server, [], problems);
  return problems;
};

/** Walks the document and the schema's output side by side; a key missing from the output was dropped. */
function compare(
  context: RuleContext,
  raw: unknown,
  kept: unknown,
  path: (string | number)[],
  problems: Problem[],
): void {
  if (Array.isArray(raw) && Array.isArray(kept)) {
    raw.forEach((item, index) => compare(context, item, kept[index], [...path, index], problems));
    return;
  }
  if (!isObject(raw) || !isObject(kept)) return;
  for (const [key, value] of Object.entries(raw)) {
    if (path.length === 0 && key === '_meta') continue; // meta-unknown-key reports _meta keys
    if (Object.hasOwn(kept, key)) {
      compare(context, value, kept[key], [...path, key], problems);
    } else if (!(key === 'url' && raw.type === 'stdio')) {
      // (a stdio url is the stdio-url error)
      problems.push(
        report(
          context,
          'schema-unknown-field',
          [...path, key],
          `${quote(key)} is not a field of the 2025-12-11 schema here; it is dropped`,
        ),
      );
    }
  }
}
