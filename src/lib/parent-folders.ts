/**
 * Writers of many files into fresh folder trees create each folder once: mkdir is a system call per
 * file otherwise, and at 100,000 files that is seconds of kernel time.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';

/** A function that makes sure the folder of each file it is given exists, creating each folder once. */
export function parentFolderMaker(): (file: string) => void {
  const made = new Set<string>();
  return (file) => {
    const parent = path.dirname(file);
    if (made.has(parent)) return;
    mkdirSync(parent, { recursive: true });
    made.add(parent);
  };
}
