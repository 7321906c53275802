/**
 * The few git operations the PR check needs, through the real `git` binary (never a library that
 * could disagree with what GitHub sees). Paths are POSIX and relative to the repository root.
 */
import { execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export class GitError extends Error {}

export function git(repoDir: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd: repoDir, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
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
}

const STATUS: Record<string, ChangeStatus> = { A: 'added', M: 'modified', D: 'deleted', T: 'modified' };

/** The commit a branch forked from: the PR's changes are counted from here, not from the base tip. */
export async function mergeBase(repoDir: string, base: string, head = 'HEAD'): Promise<string> {
  return (await git(repoDir, ['merge-base', base, head])).trim();
}

export async function resolveCommit(repoDir: string, ref: string): Promise<string> {
  return (await git(repoDir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => {
    throw new GitError(`${ref} is not a commit in ${repoDir}; fetch it first (git fetch origin ${ref}).`);
  })).trim();
}

/**
 * Files changed between `from` and `to` (a ref), or the working tree when `to` is undefined; then
 * untracked files count as added, so `npm run new` output is checked before it is committed.
 * Renames are split into a deletion and an addition: a moved version file is a modified version.
 */
export async function changedFiles(repoDir: string, from: string, to?: string): Promise<FileChange[]> {
  const args = ['diff', '--name-status', '--no-renames', '-z', from, ...(to ? [to] : []), '--'];
  const fields = (await git(repoDir, args)).split('\0').filter(Boolean);
  const changes: FileChange[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) changes.push({ status: STATUS[fields[i]![0]!] ?? 'modified', path: fields[i + 1]! });
  if (!to) {
    const untracked = (await git(repoDir, ['ls-files', '--others', '--exclude-standard', '-z'])).split('\0').filter(Boolean);
    for (const file of untracked) changes.push({ status: 'added', path: file });
  }
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Every file path under `dir` at `ref`. */
export async function listFiles(repoDir: string, ref: string, dir: string): Promise<string[]> {
  return (await git(repoDir, ['ls-tree', '-r', '-z', '--name-only', ref, '--', dir])).split('\0').filter(Boolean);
}

/** The text of one file at `ref`, or undefined when it does not exist there. */
export async function showFile(repoDir: string, ref: string, file: string): Promise<string | undefined> {
  return git(repoDir, ['show', `${ref}:${file}`]).catch(() => undefined);
}

/** Reads many files at `ref` through one `git cat-file --batch` process (thousands of files in well under a second). */
export function readFilesAt(repoDir: string, ref: string, files: readonly string[]): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: repoDir });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new GitError(`git cat-file --batch exited with ${code}`));
      const out = Buffer.concat(chunks);
      const texts = new Map<string, string>();
      let offset = 0;
      for (const file of files) {
        const newline = out.indexOf(10, offset);
        const header = out.subarray(offset, newline).toString('utf8');
        offset = newline + 1;
        if (header.endsWith(' missing')) continue;
        const size = Number(header.split(' ')[2]);
        texts.set(file, out.subarray(offset, offset + size).toString('utf8'));
        offset += size + 1;
      }
      resolve(texts);
    });
    child.stdin.end(files.map((file) => `${ref}:${file}\n`).join(''));
  });
}

/** Reads the PR side: a ref in CI, the working tree locally. */
export async function readHeadFile(repoDir: string, head: string | undefined, file: string): Promise<string | undefined> {
  if (head) return showFile(repoDir, head, file);
  return readFile(path.join(repoDir, ...file.split('/')), 'utf8').catch(() => undefined);
}
