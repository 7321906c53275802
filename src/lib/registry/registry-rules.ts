/**
 * Registry-wide rules: checks that need every manifest at once, as the official registry applies
 * them at publish time against its whole database. Each returns problems; none throws.
 */
import type { Problem } from '../problems.ts';
import { ruleProblem } from '../rule-codes.ts';
import type { ServerJson } from '../schema/server.ts';
import type { VersionStatus } from './facts.ts';
import { comparePublishTimes } from './latest.ts';

/** The official cap on versions per server. */
export const MAX_VERSIONS_PER_SERVER = 10_000;

/** One parsed manifest and where it came from, whether or not it sits in the right folder. */
export interface ManifestEntry {
  /** Data-root-relative path of the manifest. */
  file: string;
  server: ServerJson;
  status?: VersionStatus;
  publishedAt?: string;
}

export function checkRegistryWide(entries: readonly ManifestEntry[], factsFileOf: (name: string) => string): Problem[] {
  return [
    ...checkDuplicateVersions(entries),
    ...checkNameCaseCollisions(entries),
    ...checkSharedRemoteUrls(entries),
    ...checkVersionCount(entries, factsFileOf),
  ];
}

/** Versions are immutable: one (name, version) pair is published once. The first file (by path) keeps it. */
export function checkDuplicateVersions(entries: readonly ManifestEntry[]): Problem[] {
  const firstFile = new Map<string, string>();
  const problems: Problem[] = [];
  for (const entry of byFile(entries)) {
    const key = `${entry.server.name}\u0000${entry.server.version}`;
    const first = firstFile.get(key);
    if (first === undefined) firstFile.set(key, entry.file);
    else
      problems.push(
        ruleProblem(
          'duplicate-version',
          entry.file,
          '$.version',
          `${entry.server.name} version ${JSON.stringify(entry.server.version)} is already published in ${first}`,
        ),
      );
  }
  return problems;
}

/**
 * Names that differ only by case would be one folder on case-insensitive file systems and look
 * identical to users. The spelling published first keeps the name; every file of the others is an error.
 */
export function checkNameCaseCollisions(entries: readonly ManifestEntry[]): Problem[] {
  const owner = new Map<string, ManifestEntry>();
  for (const entry of byFile(entries)) {
    const key = entry.server.name.toLowerCase();
    const claim = owner.get(key);
    if (claim === undefined || comparePublishTimes(entry.publishedAt ?? '', claim.publishedAt ?? '') < 0)
      owner.set(key, entry);
  }
  return byFile(entries).flatMap((entry) => {
    const claimed = owner.get(entry.server.name.toLowerCase())!.server.name;
    return claimed === entry.server.name
      ? []
      : [
          ruleProblem(
            'name-case-collision',
            entry.file,
            '$.name',
            `${entry.server.name} differs from the existing server ${claimed} only by letter case`,
          ),
        ];
  });
}

/**
 * One remote URL may belong to one server only. The server that published it first keeps it; every
 * other server's use is an error. Deleted versions no longer claim their URLs.
 */
export function checkSharedRemoteUrls(entries: readonly ManifestEntry[]): Problem[] {
  const claims = new Map<string, { name: string; publishedAt: string; file: string }>();
  const live = byFile(entries).filter((entry) => entry.status !== 'deleted');
  for (const entry of live) {
    for (const remote of entry.server.remotes ?? []) {
      const claim = claims.get(remote.url);
      const publishedAt = entry.publishedAt ?? '';
      if (claim === undefined || comparePublishTimes(publishedAt, claim.publishedAt) < 0)
        claims.set(remote.url, { name: entry.server.name, publishedAt, file: entry.file });
    }
  }
  const problems: Problem[] = [];
  for (const entry of live) {
    (entry.server.remotes ?? []).forEach((remote, index) => {
      const claim = claims.get(remote.url)!;
      if (claim.name !== entry.server.name)
        problems.push(
          ruleProblem(
            'remote-url-claimed',
            entry.file,
            `$.remotes[${index}].url`,
            `remote URL ${remote.url} already belongs to ${claim.name} (${claim.file})`,
          ),
        );
    });
  }
  return problems;
}

export function checkVersionCount(entries: readonly ManifestEntry[], factsFileOf: (name: string) => string): Problem[] {
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(entry.server.name, (counts.get(entry.server.name) ?? 0) + 1);
  return [...counts]
    .filter(([, count]) => count > MAX_VERSIONS_PER_SERVER)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, count]) =>
      ruleProblem(
        'too-many-versions',
        factsFileOf(name),
        '$.versions',
        `${name} has ${count} versions; the limit is ${MAX_VERSIONS_PER_SERVER}`,
      ),
    );
}

function byFile(entries: readonly ManifestEntry[]): ManifestEntry[] {
  return [...entries].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
