/**
 * npm run stamp -- [--at RFC3339] [--data DIR]
 * Stamps registry-managed facts for newly merged versions: every versions/<version>.json without an
 * entry in its registry.json gets status "active" and publishedAt/updatedAt = --at (the deploy
 * workflow passes the merge commit's time; default now). Idempotent: a second run changes nothing.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EXIT_INVALID, EXIT_OK, parseCliArgs, runCli, UsageError } from '../src/lib/cli/run.ts';
import { formatProblems } from '../src/lib/cli/format.ts';
import { dataRoot } from '../src/lib/registry/layout.ts';
import { readLocalSource } from '../src/lib/registry/source.ts';
import { stampNewVersions } from '../src/lib/pr/stamp.ts';

const USAGE = 'usage: npm run stamp -- [--at 2025-11-20T10:00:00Z] [--data DIR]';

await runCli(USAGE, async () => {
  const { values } = parseCliArgs(process.argv.slice(2), { at: { type: 'string' }, data: { type: 'string' } });
  const at = values.at ?? new Date().toISOString();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(at) || Number.isNaN(Date.parse(at))) {
    throw new UsageError(`--at must be an RFC 3339 time such as 2025-11-20T10:00:00Z, not ${JSON.stringify(at)}`);
  }
  const root = values.data ? path.resolve(values.data) : dataRoot();
  const source = await readLocalSource(root);
  if (source.problems.length > 0) {
    process.stderr.write(`${formatProblems(source.problems, 'text')}\n`);
    return EXIT_INVALID;
  }
  const { files, stamped } = stampNewVersions(source.files, new Date(at).toISOString());
  for (const file of files) {
    const target = path.join(root, ...file.path.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(`${target}.tmp`, file.text);
    await rename(`${target}.tmp`, target);
  }
  for (const entry of stamped) process.stdout.write(`stamped ${entry.factsFile} ${entry.version}\n`);
  process.stdout.write(`stamp: ${stamped.length} new version(s) at ${new Date(at).toISOString()}\n`);
  return EXIT_OK;
});
