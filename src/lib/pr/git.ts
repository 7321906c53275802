/**
 * The few git operations the PR check needs, through the real `git` binary (never a library that
 * could disagree with what GitHub sees). Paths are POSIX and relative to the repository root.
 */
import { execFile, spawn } from 'node:child_process';
import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';

export class GitError extends Error {}

/** `env` replaces the environment (pass `{ ...process.env, ... }` to extend it). */
export function git(repoDir: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const options = { cwd: repoDir, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' as const, env };
    execFile('git', args, options, (error, stdout, stderr) => {
      if (error) reject(new GitError(`git ${args.join(' ')} failed: ${(stderr || error.message).trim()}`));
      else resolve(stdout);
    });
  });
}

export type ChangeStatus = 'added' | 'modified' | 'deleted';

export interface FileChange {
  status: ChangeStatus;
  /** Repository-relative POSIX path. */
  path: string;
  /**
   * The git mode on the PR side (the old one for a deletion): `100644` a regular file, `100755`
   * executable, `120000` a symbolic link, `160000` a gitlink (submodule entry).
   */
  mode: string;
}

export const REGULAR_FILE_MODE = '100644';

const STATUS: Record<string, ChangeStatus> = { A: 'added', M: 'modified', D: 'deleted', T: 'modified' };

/** The commit a branch forked from: the PR's changes are counted from here, not from the base tip. */
export async function mergeBase(repoDir: string, base: string, head = 'HEAD'): Promise<string> {
  return (await git(repoDir, ['merge-base', base, head])).trim();
}

export async function resolveCommit(repoDir: string, ref: string): Promise<string> {
  return (
    await git(repoDir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => {
      throw new GitError(`${ref} is not a commit in ${repoDir}; fetch it first (git fetch origin ${ref}).`);
    })
  ).trim();
}

/**
 * Files changed between `from` and `to` (a ref), or the working tree when `to` is undefined; then
 * untracked files count as added, so `npm run new` output is checked before it is committed.
 * Renames are split into a deletion and an addition: a moved version file is a modified version.
 */
export async function changedFiles(repoDir: string, from: string, to?: string): Promise<FileChange[]> {
  // --raw: `:<old mode> <new mode> <old id> <new id> <status>` NUL `<path>` NUL, per file.
  const args = ['diff', '--raw', '--no-renames', '--no-abbrev', '-z', from, ...(to ? [to] : []), '--'];
  const fields = (await git(repoDir, args)).split('\0');
  const changes: FileChange[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (!fields[i]!.startsWith(':')) break;
    const [oldMode, newMode, , , letter] = fields[i]!.slice(1).split(' ') as [string, string, string, string, string];
    const status = STATUS[letter[0]!] ?? 'modified';
    changes.push({ status, path: fields[i + 1]!, mode: status === 'deleted' ? oldMode : newMode });
  }
  if (!to) {
    const untracked = (await git(repoDir, ['ls-files', '--others', '--exclude-standard', '-z']))
      .split('\0')
      .filter(Boolean);
    for (const file of untracked)
      changes.push({
        status: 'added',
        path: file,
        mode: await workingTreeMode(path.join(repoDir, ...file.split('/'))),
      });
  }
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The mode git would record for a file in the working tree. */
async function workingTreeMode(file: string): Promise<string> {
  const stats = await lstat(file);
  if (stats.isSymbolicLink()) return '120000';
  if (stats.isDirectory()) return '160000'; // an untracked nested repository is listed as a folder
  return stats.mode & 0o111 ? '100755' : REGULAR_FILE_MODE;
}

/**
 * Every regular file under `dir` at `ref` with its text: one `git ls-tree` for the blob ids, then
 * one `git cat-file --batch` fed ids (resolving `ref:path` per file is several times slower).
 */
export async function readTree(repoDir: string, ref: string, dir: string): Promise<Map<string, string>> {
  const entries = (await git(repoDir, ['ls-tree', '-r', '-z', ref, '--', dir]))
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf('\t');
      const [mode, , oid] = line.slice(0, tab).split(' ');
      return { mode: mode!, oid: oid!, path: line.slice(tab + 1) };
    })
    .filter((entry) => entry.mode === '100644' || entry.mode === '100755');
  const texts = new Map<string, string>();
  if (entries.length === 0) return texts;
  const out = await new Promise<Buffer>((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: repoDir });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(Buffer.concat(chunks)) : reject(new GitError(`git cat-file --batch exited with ${code}`)),
    );
    child.stdin.end(entries.map((entry) => `${entry.oid}\n`).join(''));
  });
  let offset = 0;
  for (const entry of entries) {
    const newline = out.indexOf(10, offset);
    const size = Number(out.subarray(offset, newline).toString('utf8').split(' ')[2]);
    offset = newline + 1;
    texts.set(entry.path, out.subarray(offset, offset + size).toString('utf8'));
    offset += size + 1;
  }
  return texts;
}

/** The text of one file at `ref`, or undefined when it does not exist there. */
export async function showFile(repoDir: string, ref: string, file: string): Promise<string | undefined> {
  return git(repoDir, ['show', `${ref}:${file}`]).catch(() => undefined);
}

/** Reads the PR side: a ref in CI, the working tree locally. */
export async function readHeadFile(
  repoDir: string,
  head: string | undefined,
  file: string,
): Promise<string | undefined> {
  if (head) return showFile(repoDir, head, file);
  return readFile(path.join(repoDir, ...file.split('/')), 'utf8').catch(() => undefined);
}
