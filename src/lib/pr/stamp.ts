/**
 * Registry-managed facts for newly merged versions: a publisher's PR adds only
 * versions/<version>.json; on merge the deploy workflow stamps each version that has no facts yet
 * with status "active" and publishedAt/updatedAt = the merge time. The PR check applies the same
 * stamp in memory, so it validates exactly the registry that merging would produce.
 */
import { ServerFactsSchema } from '../registry/facts.ts';
import type { ServerFacts } from '../registry/facts.ts';
import { FACTS_FILE, SERVERS_DIR, VERSIONS_DIR } from '../registry/layout.ts';
import type { SourceFile } from '../registry/source.ts';

const VERSION_PATH = new RegExp(`^(${SERVERS_DIR}/[^/]+/[^/]+)/${VERSIONS_DIR}/[^/]+\\.json$`);

export interface StampedVersion {
  factsFile: string;
  version: string;
}

/**
 * Returns the registry.json files that change (new or rewritten, keys in a stable order) and the
 * versions stamped. Manifests that are not JSON or have no string version are left to validation;
 * facts files that do not parse are never rewritten.
 */
export function stampNewVersions(
  files: readonly SourceFile[],
  at: string,
): { files: SourceFile[]; stamped: StampedVersion[] } {
  const byPath = new Map(files.map((file) => [file.path, file.text]));
  const versionsByDir = new Map<string, string[]>();
  for (const file of files) {
    const match = VERSION_PATH.exec(file.path);
    if (!match) continue;
    const version = manifestVersion(file.text);
    if (version === undefined) continue;
    const list = versionsByDir.get(match[1]!) ?? [];
    list.push(version);
    versionsByDir.set(match[1]!, list);
  }
  const changed: SourceFile[] = [];
  const stamped: StampedVersion[] = [];
  for (const [dir, versions] of [...versionsByDir].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const factsPath = `${dir}/${FACTS_FILE}`;
    const existing = byPath.get(factsPath);
    let facts: ServerFacts;
    if (existing === undefined) facts = { versions: {}, curation: { categories: [], tags: [] } };
    else {
      const parsed = parseFacts(existing);
      if (!parsed) continue;
      facts = parsed;
    }
    const missing = versions.filter((version) => !Object.hasOwn(facts.versions, version)).sort();
    if (missing.length === 0) continue;
    for (const version of missing) {
      facts.versions[version] = { status: 'active', publishedAt: at, updatedAt: at };
      stamped.push({ factsFile: factsPath, version });
    }
    changed.push({ path: factsPath, text: serializeFacts(facts) });
  }
  return { files: changed, stamped };
}

/** Stable output: versions sorted by key, fields in schema order, two-space indent, final newline. */
export function serializeFacts(facts: ServerFacts): string {
  const byKey = <T>(record: Record<string, T>) =>
    Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((key) => [key, record[key]]),
    );
  const { provenance } = facts;
  return `${JSON.stringify(
    {
      versions: byKey(facts.versions),
      curation: facts.curation,
      ...(provenance && {
        provenance: {
          source: provenance.source,
          listedSince: provenance.listedSince,
          firstSyncedAt: provenance.firstSyncedAt,
          upstreamStatus: byKey(provenance.upstreamStatus),
        },
      }),
    },
    null,
    2,
  )}\n`;
}

function parseFacts(text: string): ServerFacts | undefined {
  try {
    const parsed = ServerFactsSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function manifestVersion(text: string): string | undefined {
  try {
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}
