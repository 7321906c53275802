/**
 * The pull-request check: what CI runs on every PR and `npm run check-pr` runs locally, through
 * this one function. It reads both sides with git (base ref vs a head ref in CI, vs the working
 * tree locally), validates the registry that merging would produce, and reports only what the PR
 * changes or breaks: immutability, who may edit what, namespace and package ownership, duplicates
 * and look-alike names. Nothing here throws for bad data; every finding is a Problem.
 */
import type { Problem } from '../problems.ts';
import { hasErrors } from '../problems.ts';
import { locateJsonPath, parseJsonPath } from '../json/parse.ts';
import { compareProblems, loadRegistryFromFiles } from '../registry/load.ts';
import { FACTS_FILE, SERVERS_DIR, VERSIONS_DIR } from '../registry/layout.ts';
import { ServerFactsSchema } from '../registry/facts.ts';
import type { ServerFacts } from '../registry/facts.ts';
import type { SourceFile } from '../registry/source.ts';
import type { ServerJson } from '../schema/server.ts';
import { validateManifestText } from '../validate/manifest.ts';
import { IdentityIndex } from '../verify/duplicates.ts';
import { findResemblances, nameIndex } from '../verify/lookalike.ts';
import type { Ownership } from '../verify/namespace.ts';
import { verifyNamespace } from '../verify/namespace.ts';
import type { Network } from '../verify/network.ts';
import { verifyPackage } from '../verify/packages.ts';
import { ruleProblem } from '../rule-codes.ts';
import type { FileChange } from './git.ts';
import { changedFiles, git, mergeBase, readHeadFile, readTree, resolveCommit, showFile } from './git.ts';
import { stampNewVersions } from './stamp.ts';

export const MAINTAINERS_FILE = '.github/MAINTAINERS';
export const DEFAULT_DATA_DIR = 'registry-data';

export interface PrCheckOptions {
  repoDir: string;
  /** The branch the PR targets (a ref or commit). Policy files and existing data are read from it. */
  base: string;
  /** The PR's commit; undefined means the working tree (local runs). */
  head?: string;
  /** GitHub login of the PR author; namespace ownership is checked against it. */
  author?: string;
  /** The data folder inside the repository. */
  dataDir?: string;
  /** Outside checks (GitHub, DNS, package registries); undefined skips them with a warning. */
  network?: Network;
}

export type ChangeKind = 'version' | 'facts' | 'other-data' | 'code';

export interface ClassifiedChange extends FileChange {
  kind: ChangeKind;
  /** `namespace/name` for version and facts files. */
  server?: string;
}

export interface PrCheckResult {
  base: string;
  mergeBase: string;
  head: string;
  author: string | null;
  changes: ClassifiedChange[];
  newServers: string[];
  newVersions: { name: string; version: string; file: string }[];
  /** How each new server's namespace was proven, e.g. `GitHub user alice`. */
  ownership: { name: string; via: string }[];
  problems: Problem[];
  labels: string[];
  ok: boolean;
}

/** The labels the check manages on a PR; others are left alone. */
export const MANAGED_LABELS = [
  'new-server',
  'new-version',
  'needs-owner',
  'needs-maintainer',
  'possible-impersonation',
  'invalid',
] as const;

const OWNERSHIP_CODES = new Set([
  'namespace-github',
  'namespace-dns',
  'namespace-unverified',
  'facts-need-owner',
  'package-ownership',
]);
const IMPERSONATION_CODES = new Set([
  'name-confusable',
  'name-lookalike',
  'duplicate-package',
  'duplicate-remote',
  'duplicate-repository',
]);
/** Loader codes that our PR-aware checks report better (they know which side is new). */
const SUPERSEDED: Record<string, string> = {
  'remote-url-claimed': 'duplicate-remote',
  'name-case-collision': 'name-confusable',
};

export async function checkPullRequest(options: PrCheckOptions): Promise<PrCheckResult> {
  const { repoDir } = options;
  const dataDir = (options.dataDir ?? DEFAULT_DATA_DIR).replace(/\/+$/, '');
  const prefix = `${dataDir}/`;
  const base = await resolveCommit(repoDir, options.base);
  const head = options.head ? await resolveCommit(repoDir, options.head) : undefined;
  const forkPoint = await mergeBase(repoDir, base, head ?? 'HEAD');
  const author = options.author ?? null;
  const maintainers = parseMaintainers((await showFile(repoDir, base, MAINTAINERS_FILE)) ?? '');
  const isMaintainer = author !== null && maintainers.has(author.toLowerCase());

  const changes = (await changedFiles(repoDir, forkPoint, head)).map((change) => classify(change, prefix));
  const problems: Problem[] = [];

  // The registry merging would produce: the base tip plus this PR's data changes.
  const baseTexts = await readTree(repoDir, base, dataDir);
  const merged = new Map<string, string>();
  for (const [file, text] of baseTexts) merged.set(file.slice(prefix.length), text);
  const headTexts = new Map<string, string>();
  for (const change of changes) {
    if (!change.path.startsWith(prefix)) continue;
    const relative = change.path.slice(prefix.length);
    if (change.status === 'deleted') merged.delete(relative);
    else {
      const text = await readHeadFile(repoDir, head, change.path);
      if (text === undefined) continue;
      headTexts.set(change.path, text);
      // A version file may not be replaced, so the merged view keeps the published one.
      if (!(change.kind === 'version' && change.status !== 'added')) merged.set(relative, text);
    }
  }

  const newVersions: PrCheckResult['newVersions'] = [];
  const factsChanges: ClassifiedChange[] = [];
  for (const change of changes) {
    if (change.kind === 'code') {
      if (!isMaintainer)
        problems.push(
          ruleProblem(
            'maintainer-only',
            change.path,
            '$',
            'this pull request changes code or configuration, not only registry data',
            {
              severity: 'warning',
              hint: 'A maintainer reviews code changes; keep server submissions to registry-data/ only.',
            },
          ),
        );
    } else if (change.kind === 'other-data') {
      if (!isMaintainer)
        problems.push(
          ruleProblem(
            'maintainer-only',
            change.path,
            '$',
            `${change.path.slice(prefix.length)} is maintained by the registry maintainers`,
          ),
        );
    } else if (change.kind === 'facts') {
      factsChanges.push(change);
    } else if (change.status !== 'added') {
      problems.push(
        ruleProblem(
          'version-immutable',
          change.path,
          '$',
          `${change.path} is a published version and cannot be ${change.status}`,
          change.status === 'modified' ? { line: 1, column: 1 } : {},
        ),
      );
    } else if (baseTexts.has(change.path)) {
      problems.push(
        ruleProblem(
          'version-immutable',
          change.path,
          '$',
          `${change.path} was published on the base branch meanwhile; that version is taken`,
          { line: 1, column: 1 },
        ),
      );
    } else {
      const text = headTexts.get(change.path) ?? '';
      const { server } = validateManifestText(text, change.path);
      if (server) newVersions.push({ name: server.name, version: server.version, file: change.path });
    }
  }

  // Validate the merged registry with new versions stamped as merging would stamp them.
  const stampAt = new Date(
    Number((await git(repoDir, ['show', '-s', '--format=%ct', base])).trim()) * 1000,
  ).toISOString();
  const mergedFiles: SourceFile[] = [...merged].map(([path, text]) => ({ path, text }));
  for (const file of stampNewVersions(mergedFiles, stampAt).files) merged.set(file.path, file.text);
  const loaded = loadRegistryFromFiles(
    [...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([path, text]) => ({ path, text })),
    { root: dataDir },
  );
  const touched = new Set(changes.map((change) => change.path));
  problems.push(...loaded.problems.filter((problem) => touched.has(problem.file)));

  const existingNames = new Set<string>();
  const identities = new IdentityIndex();
  for (const [file, text] of baseTexts) {
    if (!/\/versions\/[^/]+\.json$/.test(file)) continue;
    const manifest = parseLoosely(text);
    if (manifest?.name) {
      existingNames.add(manifest.name);
      identities.add(manifest);
    }
  }
  const newServers = [...new Set(newVersions.map((v) => v.name).filter((name) => !existingNames.has(name)))].sort();
  const ownership: PrCheckResult['ownership'] = [];

  // Ownership: once per server name, and for every package of every new version.
  const ownershipCache = new Map<string, Promise<Ownership>>();
  const ownsNamespace = (namespace: string, file: string): Promise<Ownership> => {
    if (!options.network)
      return Promise.resolve({
        owned: false,
        problem: ruleProblem('namespace-unverified', file, '$.name', 'outside checks were skipped (--offline)', {
          severity: 'warning',
        }),
      });
    let pending = ownershipCache.get(namespace);
    if (!pending)
      ownershipCache.set(
        namespace,
        (pending = verifyNamespace(namespace, author ?? undefined, options.network.namespaces, file)),
      );
    return pending;
  };
  const names = nameIndex(existingNames);
  const reportedNames = new Set<string>();
  for (const entry of newVersions) {
    const text = headTexts.get(entry.file)!;
    const server = validateManifestText(text, entry.file).server as ServerJson;
    if (!reportedNames.has(entry.name)) {
      reportedNames.add(entry.name);
      const result = await ownsNamespace(entry.name.slice(0, entry.name.indexOf('/')), entry.file);
      if (result.owned) ownership.push({ name: entry.name, via: result.via });
      else problems.push({ ...result.problem, file: entry.file });
      if (newServers.includes(entry.name)) {
        for (const match of findResemblances(entry.name, names)) {
          problems.push(
            match.kind === 'confusable'
              ? ruleProblem(
                  'name-confusable',
                  entry.file,
                  '$.name',
                  `${entry.name} is indistinguishable from the existing server ${match.name}`,
                )
              : ruleProblem(
                  'name-lookalike',
                  entry.file,
                  '$.name',
                  `${entry.name} is one character away from the existing server ${match.name}, in another namespace`,
                ),
          );
        }
      }
    }
    for (const conflict of identities.conflicts(server)) {
      const code =
        conflict.identity.kind === 'package'
          ? 'duplicate-package'
          : conflict.identity.kind === 'remote'
            ? 'duplicate-remote'
            : 'duplicate-repository';
      problems.push(
        ruleProblem(
          code,
          entry.file,
          conflict.identity.path,
          `${conflict.identity.label} is already listed as ${conflict.others.join(', ')}`,
        ),
      );
    }
    if (options.network) {
      for (const [index, pkg] of (server.packages ?? []).entries()) {
        problems.push(
          ...(await verifyPackage(entry.name, pkg, options.network.packages, entry.file, `$.packages[${index}]`)),
        );
      }
    } else if (server.packages?.length) {
      problems.push(
        ruleProblem('package-unverified', entry.file, '$.packages', 'package ownership was not checked (--offline)', {
          severity: 'warning',
        }),
      );
    }
  }

  // registry.json: status and curation belong to the namespace owner; timestamps to the registry.
  for (const change of factsChanges) {
    problems.push(
      ...(await checkFactsChange(change, baseTexts.get(change.path), headTexts.get(change.path), isMaintainer, (ns) =>
        ownsNamespace(ns, change.path),
      )),
    );
  }

  const located = dedupe(problems).map((problem) => locate(problem, headTexts.get(problem.file)));
  located.sort(compareProblems);
  const newVersionsOfExisting = newVersions.some((v) => existingNames.has(v.name));
  return {
    base,
    mergeBase: forkPoint,
    head: head ?? 'working tree',
    author,
    changes,
    newServers,
    newVersions,
    ownership: ownership.sort((a, b) => (a.name < b.name ? -1 : 1)),
    problems: located,
    labels: labelsFor(located, newServers.length > 0, newVersionsOfExisting, changes),
    ok: !hasErrors(located),
  };
}

function classify(change: FileChange, prefix: string): ClassifiedChange {
  if (!change.path.startsWith(prefix)) return { ...change, kind: 'code' };
  const relative = change.path.slice(prefix.length);
  const version = new RegExp(`^${SERVERS_DIR}/([^/]+)/([^/]+)/${VERSIONS_DIR}/[^/]+\\.json$`).exec(relative);
  if (version) return { ...change, kind: 'version', server: `${version[1]}/${version[2]}` };
  const facts = new RegExp(`^${SERVERS_DIR}/([^/]+)/([^/]+)/${FACTS_FILE.replace('.', '\\.')}$`).exec(relative);
  if (facts) return { ...change, kind: 'facts', server: `${facts[1]}/${facts[2]}` };
  return { ...change, kind: 'other-data' };
}

async function checkFactsChange(
  change: ClassifiedChange,
  before: string | undefined,
  after: string | undefined,
  isMaintainer: boolean,
  ownsNamespace: (namespace: string) => Promise<Ownership>,
): Promise<Problem[]> {
  if (isMaintainer) return [];
  if (change.status === 'deleted')
    return [
      ruleProblem(
        'maintainer-only',
        change.path,
        '$',
        'deleting registry.json removes the registry facts of every version',
      ),
    ];
  const old = parseFacts(before);
  const next = parseFacts(after);
  if (!next) return []; // the loader reports the schema problem
  const problems: Problem[] = [];
  for (const [version, facts] of Object.entries(next.versions)) {
    const previous = old?.versions[version];
    if (!previous)
      problems.push(
        ruleProblem(
          'facts-registry-managed',
          change.path,
          `$.versions[${JSON.stringify(version)}]`,
          `facts for version ${JSON.stringify(version)} are added by the registry when the version is merged`,
        ),
      );
    else if (previous.publishedAt !== facts.publishedAt || previous.updatedAt !== facts.updatedAt) {
      problems.push(
        ruleProblem(
          'facts-registry-managed',
          change.path,
          `$.versions[${JSON.stringify(version)}].publishedAt`,
          `publishedAt and updatedAt of ${JSON.stringify(version)} are set by the registry`,
        ),
      );
    }
  }
  const namespace = change.server!.slice(0, change.server!.indexOf('/'));
  const ownership = await ownsNamespace(namespace);
  if (!ownership.owned) {
    problems.push(
      ruleProblem(
        'facts-need-owner',
        change.path,
        '$',
        `status and curation of ${change.server} may only be changed by its owner or a maintainer: ${ownership.problem.message}`,
      ),
    );
  }
  return problems;
}

function parseFacts(text: string | undefined): ServerFacts | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = ServerFactsSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function parseLoosely(text: string): Partial<ServerJson> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Partial<ServerJson>) : undefined;
  } catch {
    return undefined;
  }
}

export function parseMaintainers(text: string): Set<string> {
  return new Set(
    text
      .split(/\r?\n/)
      .map((line) => line.replace(/#.*/, '').trim().replace(/^@/, '').toLowerCase())
      .filter(Boolean),
  );
}

function dedupe(problems: Problem[]): Problem[] {
  const ours = new Set(problems.map((p) => `${p.code} ${p.file} ${p.path}`));
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const replacement = SUPERSEDED[problem.code];
    if (replacement && ours.has(`${replacement} ${problem.file} ${problem.path}`)) return false;
    const key = `${problem.code} ${problem.file} ${problem.path} ${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Adds line/column from the head text for problems that have a JSON path but no position yet. */
function locate(problem: Problem, text: string | undefined): Problem {
  if (problem.line !== undefined || text === undefined || problem.path === '$') return problem;
  const position = locateJsonPath(text, parseJsonPath(problem.path) ?? []);
  return position ? { ...problem, line: position.line, column: position.column } : problem;
}

function labelsFor(
  problems: Problem[],
  newServer: boolean,
  newVersion: boolean,
  changes: ClassifiedChange[],
): string[] {
  const labels = new Set<string>();
  if (newServer) labels.add('new-server');
  if (newVersion) labels.add('new-version');
  if (problems.some((p) => OWNERSHIP_CODES.has(p.code))) labels.add('needs-owner');
  if (problems.some((p) => p.code === 'maintainer-only') || changes.some((c) => c.kind === 'code'))
    labels.add('needs-maintainer');
  if (problems.some((p) => IMPERSONATION_CODES.has(p.code))) labels.add('possible-impersonation');
  if (problems.some((p) => p.severity === 'error' && !OWNERSHIP_CODES.has(p.code) && !IMPERSONATION_CODES.has(p.code)))
    labels.add('invalid');
  return MANAGED_LABELS.filter((label) => labels.has(label));
}
