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

/** Files read at once: enough to keep the file system busy, few enough to stay gentle. */
const READ_CONCURRENCY = 16;

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
  const candidates = [VOCABULARY_FILE];
  await listFiles(root, SERVERS_DIR, candidates, result.problems);
  let next = 0;
  const worker = async () => {
    while (next < candidates.length) await readCandidate(root, candidates[next++]!, result);
  };
  await Promise.all(Array.from({ length: READ_CONCURRENCY }, worker));
  result.files.sort((a, b) => compareStrings(a.path, b.path));
  result.problems.sort((a, b) => compareStrings(a.file, b.file));
  return result;
}

/** Collects the files under `relative` (every sub-folder listed in parallel); symbolic links are refused. */
async function listFiles(root: string, relative: string, out: string[], problems: Problem[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(path.join(root, ...relative.split('/')), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      problems.push(ruleProblem('io-error', relative, '$', `cannot list the folder: ${describe(error)}`));
    return;
  }
  const folders: string[] = [];
  for (const entry of entries) {
    const child = `${relative}/${entry.name}`;
    if (entry.isSymbolicLink()) problems.push(ruleProblem('symlink', child, '$', 'symbolic links are not followed in registry data'));
    else if (entry.isDirectory()) folders.push(child);
    else out.push(child);
  }
  await Promise.all(folders.map((folder) => listFiles(root, folder, out, problems)));
}

/** Reads one file after checking (without following links) that it is a small regular file. */
async function readCandidate(root: string, relative: string, result: SourceReadResult): Promise<void> {
  const absolute = path.join(root, ...relative.split('/'));
  try {
    const stat = await lstat(absolute);
    if (stat.isSymbolicLink()) result.problems.push(ruleProblem('symlink', relative, '$', 'symbolic links are not followed in registry data'));
    else if (stat.size > MAX_MANIFEST_BYTES)
      result.problems.push(
        ruleProblem('json-too-large', relative, '$', `file is ${stat.size} bytes; the limit is ${MAX_MANIFEST_BYTES}, so it was not read`),
      );
    else if (stat.isFile()) result.files.push({ path: relative, text: await readFile(absolute, 'utf8') });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && relative === VOCABULARY_FILE) return;
    result.problems.push(ruleProblem('io-error', relative, '$', `cannot read: ${describe(error)}`));
  }
}

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
