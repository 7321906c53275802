/**
 * Where registry data comes from: a list of `{ path, text }` files, paths POSIX and relative to the
 * data root. The local reader is here; a GitHub-backed reader produces the same list, so loading and
 * validation never know where the bytes came from.
 */
import { closeSync, existsSync, fstatSync, lstatSync, openSync, readdirSync, readSync } from 'node:fs';
import path from 'node:path';
import { MAX_MANIFEST_BYTES } from '../json/parse.ts';
import type { Problem } from '../problems.ts';
import { ruleProblem } from '../rule-codes.ts';
import { PROBE_FILE, PROBE_RUN_FILE, ROOT_FILES, SERVERS_DIR, VOCABULARY_FILE } from './layout.ts';
import { MAX_PROBE_FILE_BYTES } from './probe-facts.ts';

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
 * Reads the root files (`vocabulary.json`, `probe-run.json`, `policy.json`, `sync-state.json`) and everything under `servers/`, sorted by path. Symbolic links and
 * files over the validator's size limit are refused with a problem instead of being followed or read.
 * Synchronous on purpose: at 100k small files, promise-based I/O costs five thread-pool round trips
 * per file and made reading three times slower than validating (measured by npm run bench).
 */
export async function readLocalSource(root: string): Promise<SourceReadResult> {
  const result: SourceReadResult = { files: [], problems: [] };
  try {
    if (!lstatSync(root).isDirectory()) throw new Error('not a directory');
  } catch (error) {
    result.problems.push(ruleProblem('io-error', '.', '$', `cannot read the data folder ${root}: ${describe(error)}`));
    return result;
  }
  for (const file of ROOT_FILES) readRootFile(root, file, result);
  const candidates: string[] = [];
  listFiles(root, SERVERS_DIR, candidates, result.problems);
  for (const candidate of candidates) readCandidate(root, candidate, result);
  result.files.sort((a, b) => compareStrings(a.path, b.path));
  result.problems.sort((a, b) => compareStrings(a.file, b.file));
  return result;
}

/**
 * Reads `vocabulary.json` and the given server folders only (`servers/<namespace>/<name>`), with the
 * same refusals as readLocalSource: what an import needs to check a few servers without reading all.
 */
export function readLocalFolders(root: string, folders: Iterable<string>): SourceReadResult {
  const result: SourceReadResult = { files: [], problems: [] };
  readRootFile(root, VOCABULARY_FILE, result);
  const candidates: string[] = [];
  for (const folder of folders) listFiles(root, folder, candidates, result.problems);
  for (const candidate of candidates) readCandidate(root, candidate, result);
  result.files.sort((a, b) => compareStrings(a.path, b.path));
  return result;
}

/** Reads a file at the root of the data folder, when it exists. */
function readRootFile(root: string, file: string, result: SourceReadResult): void {
  const full = path.join(root, file);
  if (!existsSync(full)) return;
  if (lstatSync(full).isSymbolicLink()) result.problems.push(symlinkProblem(file));
  else readCandidate(root, file, result);
}

/** Every `servers/<namespace>/<name>` folder, sorted; symbolic links are left out (readers refuse them). */
export function listServerFolders(root: string): string[] {
  const folders: string[] = [];
  const children = (relative: string): string[] => {
    try {
      return readdirSync(path.join(root, ...relative.split('/')), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => `${relative}/${entry.name}`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  };
  for (const namespace of children(SERVERS_DIR)) folders.push(...children(namespace));
  return folders.sort(compareStrings);
}

/** The text of each regular file under `folder` (symbolic links and oversized files skipped), for scanning. */
export function readFolderTexts(root: string, folder: string): string[] {
  const candidates: string[] = [];
  const result: SourceReadResult = { files: [], problems: [] };
  listFiles(root, folder, candidates, result.problems);
  for (const candidate of candidates) readCandidate(root, candidate, result);
  return result.files.map((file) => file.text);
}

/** Collects the regular files under `relative`; symbolic links are refused, never followed. */
function listFiles(root: string, relative: string, out: string[], problems: Problem[]): void {
  let entries;
  try {
    entries = readdirSync(path.join(root, ...relative.split('/')), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      problems.push(ruleProblem('io-error', relative, '$', `cannot list the folder: ${describe(error)}`));
    return;
  }
  for (const entry of entries) {
    const child = `${relative}/${entry.name}`;
    if (entry.isSymbolicLink()) problems.push(symlinkProblem(child));
    else if (entry.isDirectory()) listFiles(root, child, out, problems);
    else if (entry.isFile()) out.push(child);
  }
}

/** One buffer for every read: a file that fills it is over the limit and is refused unread. */
let readBuffer: Buffer | undefined;

/** Probe results list up to thousands of tools, so they may be larger than a manifest. */
export function maxFileBytes(relative: string): number {
  return relative.endsWith(`/${PROBE_FILE}`) || relative === PROBE_RUN_FILE ? MAX_PROBE_FILE_BYTES : MAX_MANIFEST_BYTES;
}

/** Reads one regular file: open, read up to the size limit + 1 byte, close (no stat needed). */
function readCandidate(root: string, relative: string, result: SourceReadResult): void {
  const maxBytes = maxFileBytes(relative);
  if (!readBuffer || readBuffer.length < maxBytes + 1) readBuffer = Buffer.allocUnsafe(maxBytes + 1);
  let fd: number | undefined;
  try {
    fd = openSync(path.join(root, ...relative.split('/')), 'r');
    let filled = 0;
    for (let read = -1; read !== 0 && filled < maxBytes + 1; filled += read) {
      read = readSync(fd, readBuffer, filled, maxBytes + 1 - filled, null);
    }
    if (filled > maxBytes) {
      const size = fstatSync(fd).size;
      result.problems.push(
        ruleProblem(
          'json-too-large',
          relative,
          '$',
          `file is ${size} bytes; the limit is ${maxBytes}, so it was not read`,
        ),
      );
      return;
    }
    result.files.push({ path: relative, text: readBuffer.toString('utf8', 0, filled) });
  } catch (error) {
    result.problems.push(ruleProblem('io-error', relative, '$', `cannot read: ${describe(error)}`));
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const symlinkProblem = (relative: string): Problem =>
  ruleProblem('symlink', relative, '$', 'symbolic links are not followed in registry data');

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
