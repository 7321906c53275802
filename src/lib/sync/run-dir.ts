/**
 * The folder a sync keeps beside the data folder while it runs (`registry-data.sync-run/`, never
 * inside it, so a failed run leaves the data folder exactly as it was):
 *
 *   run.json        what is being fetched (source, full or since when) and how far it got
 *   pages/N.json    each page as received, so a run that stopped resumes at the remembered cursor
 *   commit.ndjson   the whole planned change, written before any file of the data folder is touched
 *
 * A run applies all or nothing: `commit.ndjson` appears by one rename once everything is planned; a run
 * that finds it completes those writes before anything else (each is a whole-file write, so doing one
 * twice is harmless). The folder is removed when the run has been applied.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const RunHeaderSchema = z.strictObject({
  source: z.string(),
  full: z.boolean(),
  /** The `updated_since` of every page of this run. */
  since: z.string().optional(),
  /** The upstream's clock when the first page was fetched (its `Date` header), or ours. */
  startedAt: z.string(),
  /** Pages stored so far. */
  pages: z.int().nonnegative(),
  /** The cursor of the next page; absent once the listing is complete. */
  nextCursor: z.string().optional(),
  complete: z.boolean(),
});
export type RunHeader = z.infer<typeof RunHeaderSchema>;

const HEADER = 'run.json';
const PAGES = 'pages';
const COMMIT = 'commit.ndjson';

export function runDir(into: string): string {
  return `${path.resolve(into)}.sync-run`;
}

const pageFile = (dir: string, index: number) => path.join(dir, PAGES, `${String(index + 1).padStart(6, '0')}.json`);

/** The run left by an earlier invocation, or undefined (an unreadable one is treated as none). */
export function readRunHeader(into: string): RunHeader | undefined {
  try {
    return RunHeaderSchema.parse(JSON.parse(readFileSync(path.join(runDir(into), HEADER), 'utf8')));
  } catch {
    return undefined;
  }
}

export function startRun(into: string, header: RunHeader): void {
  const dir = runDir(into);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, PAGES), { recursive: true });
  writeHeader(dir, header);
}

/** Stores page `index` and then the header that counts it, so a crash never counts a page half written. */
export function storePage(into: string, header: RunHeader, text: string): void {
  const dir = runDir(into);
  writeFileSync(pageFile(dir, header.pages - 1), text);
  writeHeader(dir, header);
}

export function readStoredPage(into: string, index: number): string {
  return readFileSync(pageFile(runDir(into), index), 'utf8');
}

export function removeRun(into: string): void {
  rmSync(runDir(into), { recursive: true, force: true });
}

function writeHeader(dir: string, header: RunHeader): void {
  const temp = path.join(dir, `${HEADER}.tmp`);
  writeFileSync(temp, `${JSON.stringify(header)}\n`);
  renameSync(temp, path.join(dir, HEADER));
}

/**
 * Records the planned change: a first line with `summary` (any JSON value), then one `[path, text]`
 * line per file in the order they are to be written. It counts only once renamed into place.
 */
export function writeCommit(into: string, summary: unknown, writes: Iterable<readonly [string, string]>): void {
  const dir = runDir(into);
  mkdirSync(dir, { recursive: true });
  const temp = path.join(dir, `${COMMIT}.tmp`);
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, `${JSON.stringify(summary)}\n`);
    for (const entry of writes) writeSync(fd, `${JSON.stringify(entry)}\n`);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path.join(dir, COMMIT));
}

export interface Commit {
  summary: unknown;
  writes: [string, string][];
}

/** The recorded change of a run that stopped before it was applied, or undefined. */
export function readCommit(into: string): Commit | undefined {
  const file = path.join(runDir(into), COMMIT);
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, 'utf8').split('\n');
  const summary: unknown = JSON.parse(lines[0]!);
  const writes: [string, string][] = [];
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    const entry: unknown = JSON.parse(line);
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'string')
      throw new Error(`${file}: a line is not a [path, text] pair`);
    writes.push([entry[0], entry[1]]);
  }
  return { summary, writes };
}
