/**
 * Stage 2 of the pull-request check (see check.ts): the repository's policy, offline and
 * deterministic. Who may change which file, that published versions never change, that the registry
 * merging would produce validates, and that no new version duplicates or imitates a server already
 * listed. Each new manifest is parsed once, by the load of that merged registry, and handed on.
 */
import type { Problem } from '../problems.ts';
import { ServerFactsSchema } from '../registry/facts.ts';
import type { ServerFacts } from '../registry/facts.ts';
import { loadRegistryFromFiles } from '../registry/load.ts';
import type { ManifestEntry } from '../registry/registry-rules.ts';
import type { SourceFile } from '../registry/source.ts';
import { ruleProblem } from '../rule-codes.ts';
import type { ServerJson } from '../schema/server.ts';
import { IdentityIndex } from '../verify/duplicates.ts';
import { findResemblances, nameIndex } from '../verify/lookalike.ts';
import type { PrSnapshot } from './read.ts';
import { stampNewVersions } from './stamp.ts';

export interface NewVersion {
  name: string;
  version: string;
  /** Repository path of the version file. */
  file: string;
  /** The validated manifest, normalised to the current schema. */
  server: ServerJson;
}

export interface PolicyOutcome {
  problems: Problem[];
  /** Added version files that validate, in path order. */
  newVersions: NewVersion[];
  /** Names of servers the base branch does not list yet, sorted. */
  newServers: string[];
  /** Names the base branch lists. */
  existingNames: ReadonlySet<string>;
  /**
   * registry.json files a non-maintainer changed, whose new text parses: changing status or curation
   * needs the namespace owner, which only the network stage can prove.
   */
  factsNeedingOwner: { file: string; server: string }[];
}

export function applyPolicy(pr: PrSnapshot): PolicyOutcome {
  const loaded = loadRegistryFromFiles(mergedFiles(pr), { root: pr.dataDir });
  const touched = new Set(pr.changes.map((change) => change.path));
  const newVersions = addedVersions(pr, loaded.manifests);
  const { existingNames, identities } = baseIndex(pr);
  const newServers = [...new Set(newVersions.map((v) => v.name).filter((name) => !existingNames.has(name)))].sort();
  const facts = factsChanges(pr);
  return {
    problems: [
      ...whoMayChange(pr),
      ...loaded.problems.filter((problem) => touched.has(problem.file)),
      ...imitations(newVersions, newServers, existingNames, identities),
      ...facts.problems,
    ],
    newVersions,
    newServers,
    existingNames,
    factsNeedingOwner: facts.needingOwner,
  };
}

/** Code and non-server data are the maintainers'; published version files are nobody's to change. */
function whoMayChange(pr: PrSnapshot): Problem[] {
  const problems: Problem[] = [];
  const prefix = `${pr.dataDir}/`;
  for (const change of pr.changes) {
    if (change.kind === 'code') {
      if (!pr.isMaintainer)
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
      if (!pr.isMaintainer)
        problems.push(
          ruleProblem(
            'maintainer-only',
            change.path,
            '$',
            `${change.path.slice(prefix.length)} is maintained by the registry maintainers`,
          ),
        );
    } else if (change.kind === 'version' && change.status !== 'added') {
      problems.push(
        ruleProblem(
          'version-immutable',
          change.path,
          '$',
          `${change.path} is a published version and cannot be ${change.status}`,
          change.status === 'modified' ? { line: 1, column: 1 } : {},
        ),
      );
    } else if (change.kind === 'version' && pr.baseTexts.has(change.path)) {
      problems.push(
        ruleProblem(
          'version-immutable',
          change.path,
          '$',
          `${change.path} was published on the base branch meanwhile; that version is taken`,
          { line: 1, column: 1 },
        ),
      );
    }
  }
  return problems;
}

/**
 * The data folder as merging would leave it, with new versions stamped as the merge stamps them:
 * the base tip plus the PR's data changes, except that a published version file keeps its text.
 * Sorted by path, data-root-relative.
 */
function mergedFiles(pr: PrSnapshot): SourceFile[] {
  const prefix = `${pr.dataDir}/`;
  const merged = new Map<string, string>();
  for (const [file, text] of pr.baseTexts) merged.set(file.slice(prefix.length), text);
  for (const change of pr.changes) {
    if (change.kind === 'code') continue;
    const relative = change.path.slice(prefix.length);
    if (change.status === 'deleted') merged.delete(relative);
    else {
      const text = pr.headTexts.get(change.path);
      if (text !== undefined && !(change.kind === 'version' && change.status !== 'added')) merged.set(relative, text);
    }
  }
  const files = [...merged].map(([path, text]) => ({ path, text }));
  for (const file of stampNewVersions(files, pr.baseTime).files) merged.set(file.path, file.text);
  return [...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([path, text]) => ({ path, text }));
}

/** Version files the PR adds (not ones the base published meanwhile), with the manifests the load validated. */
function addedVersions(pr: PrSnapshot, manifests: readonly ManifestEntry[]): NewVersion[] {
  const prefix = `${pr.dataDir}/`;
  const added = new Set(
    pr.changes
      .filter((c) => c.kind === 'version' && c.status === 'added' && !pr.baseTexts.has(c.path))
      .map((c) => c.path.slice(prefix.length)),
  );
  return manifests
    .filter((entry) => added.has(entry.file))
    .map(({ file, server }) => ({ name: server.name, version: server.version, file: prefix + file, server }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/**
 * registry.json changed by a non-maintainer: deleting it is for maintainers, timestamps are the
 * registry's, and status or curation need the namespace owner (checked by the network stage).
 */
function factsChanges(pr: PrSnapshot): { problems: Problem[]; needingOwner: PolicyOutcome['factsNeedingOwner'] } {
  const problems: Problem[] = [];
  const needingOwner: PolicyOutcome['factsNeedingOwner'] = [];
  if (pr.isMaintainer) return { problems, needingOwner };
  for (const change of pr.changes) {
    if (change.kind !== 'facts') continue;
    if (change.status === 'deleted') {
      const message = 'deleting registry.json removes the registry facts of every version';
      problems.push(ruleProblem('maintainer-only', change.path, '$', message));
      continue;
    }
    const next = parseFacts(pr.headTexts.get(change.path));
    if (!next) continue; // the loader reports the schema problem
    problems.push(...registryManagedFacts(change.path, parseFacts(pr.baseTexts.get(change.path)), next));
    needingOwner.push({ file: change.path, server: change.server! });
  }
  return { problems, needingOwner };
}

/** Names and identities (packages, remotes, repositories) of every version on the base branch. */
function baseIndex(pr: PrSnapshot): { existingNames: Set<string>; identities: IdentityIndex } {
  const existingNames = new Set<string>();
  const identities = new IdentityIndex();
  for (const [file, text] of pr.baseTexts) {
    if (!/\/versions\/[^/]+\.json$/.test(file)) continue;
    const manifest = parseLoosely(text);
    if (manifest?.name) {
      existingNames.add(manifest.name);
      identities.add(manifest);
    }
  }
  return { existingNames, identities };
}

/** A new server whose name imitates a listed one; a new version that claims a listed identity. */
function imitations(
  newVersions: readonly NewVersion[],
  newServers: readonly string[],
  existingNames: ReadonlySet<string>,
  identities: IdentityIndex,
): Problem[] {
  const problems: Problem[] = [];
  const names = nameIndex(existingNames);
  const compared = new Set<string>();
  for (const entry of newVersions) {
    if (newServers.includes(entry.name) && !compared.has(entry.name)) {
      compared.add(entry.name);
      for (const match of findResemblances(entry.name, names))
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
    for (const conflict of identities.conflicts(entry.server)) {
      const code = `duplicate-${conflict.identity.kind}` as const;
      problems.push(
        ruleProblem(
          code,
          entry.file,
          conflict.identity.path,
          `${conflict.identity.label} is already listed as ${conflict.others.join(', ')}`,
        ),
      );
    }
  }
  return problems;
}

/** Timestamps, and the entry of a version not yet merged, are the registry's to write. */
function registryManagedFacts(file: string, before: ServerFacts | undefined, after: ServerFacts): Problem[] {
  const problems: Problem[] = [];
  for (const [version, facts] of Object.entries(after.versions)) {
    const previous = before?.versions[version];
    if (!previous)
      problems.push(
        ruleProblem(
          'facts-registry-managed',
          file,
          `$.versions[${JSON.stringify(version)}]`,
          `facts for version ${JSON.stringify(version)} are added by the registry when the version is merged`,
        ),
      );
    else if (previous.publishedAt !== facts.publishedAt || previous.updatedAt !== facts.updatedAt)
      problems.push(
        ruleProblem(
          'facts-registry-managed',
          file,
          `$.versions[${JSON.stringify(version)}].publishedAt`,
          `publishedAt and updatedAt of ${JSON.stringify(version)} are set by the registry`,
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
