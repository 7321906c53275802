/**
 * Where registry data comes from: a list of `{ path, text }` files, paths POSIX and relative to the
 * data root. The local reader is here; a GitHub-backed reader produces the same list, so loading and
 * validation never know where the bytes came from.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Problem } from '../problems.ts';
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

/** Files larger than this are refused unread: no real manifest comes near it (the largest is 88 KB). */
export const MAX_FILE_BYTES = 1024 * 1024;

/**
 * Reads `vocabulary.json` and everything under `servers/`, sorted by path. Symbolic links and
 * oversized files are refused with a problem instead of being followed or read.
 */
export async function readLocalSource(root: string): Promise<SourceReadResult> {
  const result: SourceReadResult = { files: [], problems: [] };
  try {
    const rootStat = await lstat(root);
    if (!rootStat.isDirectory()) throw new Error('not a directory');
  } catch (error) {
    result.problems.push(ioProblem('.', `cannot read the data folder ${root}: ${describe(error)}`));
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
    result.problems.push(ioProblem(relative, `cannot read: ${describe(error)}`));
    return;
  }
  if (stat.isSymbolicLink()) {
    result.problems.push({
      code: 'symlink',
      severity: 'error',
      file: relative,
      path: '$',
      message: 'symbolic links are not followed in registry data',
      hint: 'Replace the link with a regular file or folder.',
    });
  } else if (stat.isDirectory()) {
    const names = await readdir(absolute).catch((error: unknown) => {
      result.problems.push(ioProblem(relative, `cannot list the folder: ${describe(error)}`));
      return [];
    });
    for (const name of names.sort()) await readEntry(root, `${relative}/${name}`, result);
  } else if (stat.size > MAX_FILE_BYTES) {
    result.problems.push({
      code: 'file-too-large',
      severity: 'error',
      file: relative,
      path: '$',
      message: `file is ${stat.size} bytes; the limit is ${MAX_FILE_BYTES}`,
      hint: 'A server.json this large is almost certainly a mistake: remove embedded data from it.',
    });
  } else {
    try {
      result.files.push({ path: relative, text: await readFile(absolute, 'utf8') });
    } catch (error) {
      result.problems.push(ioProblem(relative, `cannot read: ${describe(error)}`));
    }
  }
}

function ioProblem(file: string, message: string): Problem {
  return { code: 'io-error', severity: 'error', file, path: '$', message, hint: 'Check that the path exists and is readable.' };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
