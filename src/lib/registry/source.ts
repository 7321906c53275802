/**
 * Where registry data comes from: a list of `{ path, text }` files, paths POSIX and relative to the
 * data root. The local reader is here; a GitHub-backed reader produces the same list, so loading and
 * validation never know where the bytes came from.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { MAX_MANIFEST_BYTES } from '../json/parse.ts';
import type { Problem } from '../problems.ts';
import { ruleProblem } from '../rules/codes.ts';
import { SERVERS_DIR, VOCABULARY_FILE } from './layout.ts';

export interface SourceFile {
  /** POSIX path relative to the data root, e.g. `servers/io.github.user/weather/registry.json`. */
  path: string;
  text: string;
}

export interface SourceReadResult {
  files: SourceFile[];
  problems: Problem[];
}

/**
 * Reads `vocabulary.json` and everything under `servers/`, sorted by path. Symbolic links and
 * files over the validator's size limit are refused with a problem instead of being followed or read.
 */
export async function readLocalSource(root: string): Promise<SourceReadResult> {
  const result: SourceReadResult = { files: [], problems: [] };
  try {
    const rootStat = await lstat(root);
    if (!rootStat.isDirectory()) throw new Error('not a directory');
  } catch (error) {
    result.problems.push(ruleProblem('io-error', '.', '$', `cannot read the data folder ${root}: ${describe(error)}`));
    return result;
  }
  await readEntry(root, VOCABULARY_FILE, result);
  await readEntry(root, SERVERS_DIR, result);
  result.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return result;
}

async function readEntry(root: string, relative: string, result: SourceReadResult): Promise<void> {
  const absolute = path.join(root, ...relative.split('/'));
  let stat;
  try {
    stat = await lstat(absolute);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    result.problems.push(ruleProblem('io-error', relative, '$', `cannot read: ${describe(error)}`));
    return;
  }
  if (stat.isSymbolicLink()) {
    result.problems.push(ruleProblem('symlink', relative, '$', 'symbolic links are not followed in registry data'));
  } else if (stat.isDirectory()) {
    const names = await readdir(absolute).catch((error: unknown) => {
      result.problems.push(ruleProblem('io-error', relative, '$', `cannot list the folder: ${describe(error)}`));
      return [];
    });
    for (const name of names.sort()) await readEntry(root, `${relative}/${name}`, result);
  } else if (stat.size > MAX_MANIFEST_BYTES) {
    result.problems.push(
      ruleProblem('json-too-large', relative, '$', `file is ${stat.size} bytes; the limit is ${MAX_MANIFEST_BYTES}, so it was not read`),
    );
  } else {
    try {
      result.files.push({ path: relative, text: await readFile(absolute, 'utf8') });
    } catch (error) {
      result.problems.push(ruleProblem('io-error', relative, '$', `cannot read: ${describe(error)}`));
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
