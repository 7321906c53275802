/**
 * Stage 1 of the pull-request check (see check.ts): everything the check needs from git, read once.
 * No policy here: the snapshot says what the PR changes and what both sides hold; the later stages
 * decide what that means. Policy inputs (the maintainers list) come from the base branch, never from
 * the PR, so a PR cannot grant itself rights.
 */
import { FACTS_FILE, SERVERS_DIR, VERSIONS_DIR } from '../registry/layout.ts';
import type { FileChange } from './git.ts';
import { changedFiles, git, mergeBase, readHeadFile, readTree, resolveCommit, showFile } from './git.ts';

export const MAINTAINERS_FILE = '.github/MAINTAINERS';
export const DEFAULT_DATA_DIR = 'registry-data';

export interface PrReadOptions {
  repoDir: string;
  /** The branch the PR targets (a ref or commit). Policy files and existing data are read from it. */
  base: string;
  /** The PR's commit; undefined means the working tree (local runs). */
  head?: string;
  /** GitHub login of the PR author; namespace ownership is checked against it. */
  author?: string;
  /** The data folder inside the repository. */
  dataDir?: string;
}

/** `version`: a publisher's versions/<v>.json; `facts`: a registry.json; `code`: outside the data. */
export type ChangeKind = 'version' | 'facts' | 'other-data' | 'code';

export interface ClassifiedChange extends FileChange {
  kind: ChangeKind;
  /** `namespace/name` for version and facts files. */
  server?: string;
}

export interface PrSnapshot {
  /** The base tip, resolved to a commit. */
  base: string;
  /** The PR's commit, or undefined for the working tree. */
  head: string | undefined;
  /** Where the PR forked from the base: its changes are counted from here, not from the base tip. */
  mergeBase: string;
  author: string | null;
  /** Whether the author is listed in the base branch's .github/MAINTAINERS. */
  isMaintainer: boolean;
  /** The data folder, repository-relative, without a trailing slash. */
  dataDir: string;
  /** Every changed file, sorted by path. */
  changes: ClassifiedChange[];
  /** Every file under the data folder at the base tip, by repository path. */
  baseTexts: ReadonlyMap<string, string>;
  /** The PR's text of each changed data file that still exists, by repository path. */
  headTexts: ReadonlyMap<string, string>;
  /** The base tip's commit time (ISO 8601): merging stamps new versions with it. */
  baseTime: string;
}

export async function readPullRequest(options: PrReadOptions): Promise<PrSnapshot> {
  const { repoDir } = options;
  const dataDir = (options.dataDir ?? DEFAULT_DATA_DIR).replace(/\/+$/, '');
  const base = await resolveCommit(repoDir, options.base);
  const head = options.head ? await resolveCommit(repoDir, options.head) : undefined;
  const forkPoint = await mergeBase(repoDir, base, head ?? 'HEAD');
  const author = options.author ?? null;
  const maintainers = parseMaintainers((await showFile(repoDir, base, MAINTAINERS_FILE)) ?? '');
  const changes = (await changedFiles(repoDir, forkPoint, head)).map((change) => classify(change, `${dataDir}/`));
  const headTexts = new Map<string, string>();
  for (const change of changes) {
    if (change.kind === 'code' || change.status === 'deleted') continue;
    const text = await readHeadFile(repoDir, head, change.path);
    if (text !== undefined) headTexts.set(change.path, text);
  }
  const baseSeconds = Number((await git(repoDir, ['show', '-s', '--format=%ct', base])).trim());
  return {
    base,
    head,
    mergeBase: forkPoint,
    author,
    isMaintainer: author !== null && maintainers.has(author.toLowerCase()),
    dataDir,
    changes,
    baseTexts: await readTree(repoDir, base, dataDir),
    headTexts,
    baseTime: new Date(baseSeconds * 1000).toISOString(),
  };
}

/** Sorts a change by where it is: `prefix` is the data folder with a trailing slash. */
export function classify(change: FileChange, prefix: string): ClassifiedChange {
  if (!change.path.startsWith(prefix)) return { ...change, kind: 'code' };
  const relative = change.path.slice(prefix.length);
  const version = new RegExp(`^${SERVERS_DIR}/([^/]+)/([^/]+)/${VERSIONS_DIR}/[^/]+\\.json$`).exec(relative);
  if (version) return { ...change, kind: 'version', server: `${version[1]}/${version[2]}` };
  const facts = new RegExp(`^${SERVERS_DIR}/([^/]+)/([^/]+)/${FACTS_FILE.replace('.', '\\.')}$`).exec(relative);
  if (facts) return { ...change, kind: 'facts', server: `${facts[1]}/${facts[2]}` };
  return { ...change, kind: 'other-data' };
}

/** Logins from a MAINTAINERS file: one per line, `@` optional, `#` comments, case-insensitive. */
export function parseMaintainers(text: string): Set<string> {
  return new Set(
    text
      .split(/\r?\n/)
      .map((line) => line.replace(/#.*/, '').trim().replace(/^@/, '').toLowerCase())
      .filter(Boolean),
  );
}
