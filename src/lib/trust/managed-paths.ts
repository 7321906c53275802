/**
 * THE table of what lives under registry-data/ and who may write it. Everything the registry asserts
 * rather than a publisher (owners, probe results, sync state, policy, site configuration, provenance,
 * timestamps, maintainer-set statuses) is writable only by the registry's bot or a maintainer; a
 * publisher writes only their own versions, their proofs, and the status and curation of servers
 * they own. A path no entry matches is maintainer-only.
 *
 * The PR check refuses a change whose author is not among the writers (rule `registry-managed`, or
 * `maintainer-only` when only a maintainer may), and the deploy's write job commits a bot patch only
 * when every path in it is bot-writable here. An issue that adds registry-managed data adds one
 * entry and gets both for free.
 *
 * Dependency-free on purpose: the write job runs it with plain Node, without installing anything.
 */

/**
 * publisher: the owner of the server's namespace, as the PR check proves it; bot: the registry's
 * own automation (stamp, sync, probes), by its configured login; maintainer: .github/MAINTAINERS.
 */
export type Writer = 'publisher' | 'bot' | 'maintainer';

export interface ManagedPath {
  /** Stable id, used in messages and docs/security.md. */
  id: string;
  /** Data-relative path: `*` is one path segment. */
  pattern: string;
  writers: readonly Writer[];
  /** The issue that owns the data. */
  issue: number;
  what: string;
  /** For a file with parts of different owners (registry.json): the rules per JSON path. */
  fields?: readonly ManagedField[];
}

export interface ManagedField {
  /** JSON path inside the file: `$.versions.*.publishedAt`; `*` is one key. Most specific wins. */
  path: string;
  writers: readonly Writer[];
  what: string;
  /** Once written, nobody changes or removes it (timestamps of history). */
  immutable?: boolean;
}

const BOT_OR_MAINTAINER: readonly Writer[] = ['bot', 'maintainer'];
const ANYONE_WHO_OWNS: readonly Writer[] = ['publisher', 'bot', 'maintainer'];

export const MANAGED_PATHS: readonly ManagedPath[] = [
  {
    id: 'versions',
    pattern: 'servers/*/*/versions/*.json',
    writers: ANYONE_WHO_OWNS,
    issue: 13,
    what: "a publisher's server.json, added once and never changed (version-immutable)",
  },
  {
    id: 'server-facts',
    pattern: 'servers/*/*/registry.json',
    writers: ANYONE_WHO_OWNS,
    issue: 13,
    what: 'registry facts of a server; who may write which part is per field',
    fields: [
      {
        path: '$.versions.*',
        writers: BOT_OR_MAINTAINER,
        what: 'a version entry: stamped on merge, never dropped (the stamp restores it)',
      },
      {
        path: '$.versions.*.publishedAt',
        writers: BOT_OR_MAINTAINER,
        immutable: true,
        what: 'publish time: stamped on merge, never changed',
      },
      { path: '$.versions.*.updatedAt', writers: BOT_OR_MAINTAINER, what: 'last change time, set by the stamp' },
      { path: '$.versions.*.statusChangedAt', writers: BOT_OR_MAINTAINER, what: 'status time, set by the stamp' },
      {
        path: '$.versions.*.status',
        writers: ANYONE_WHO_OWNS,
        what: 'active, deprecated or deleted; maintainer-only once a maintainer set it (statusSetBy)',
      },
      { path: '$.versions.*.statusMessage', writers: ANYONE_WHO_OWNS, what: 'why the status is what it is' },
      {
        path: '$.versions.*.statusSetBy',
        writers: ANYONE_WHO_OWNS,
        what: 'who set the status; each writer may only name itself',
      },
      { path: '$.curation', writers: ANYONE_WHO_OWNS, what: 'categories and tags from vocabulary.json' },
      {
        path: '$.provenance',
        writers: BOT_OR_MAINTAINER,
        what: 'where the listing came from (issue 18), e.g. listed upstream since',
      },
    ],
  },
  {
    id: 'namespace-proofs',
    pattern: 'proofs/*/*.json',
    writers: ANYONE_WHO_OWNS,
    issue: 13,
    what: "a pull request's signed namespace proof, proofs/<namespace>/<login>.json; the stamp records and removes it",
  },
  {
    id: 'namespace-owners',
    pattern: 'namespaces/*.json',
    writers: BOT_OR_MAINTAINER,
    issue: 13,
    what: 'who owns a namespace: recorded from a merged proof, or set by a maintainer',
  },
  {
    id: 'probe-results',
    pattern: 'servers/*/*/probe.json',
    writers: BOT_OR_MAINTAINER,
    issue: 16,
    what: 'what probing a server over MCP found (its tools, when they changed)',
  },
  { id: 'probe-run', pattern: 'probe-run.json', writers: BOT_OR_MAINTAINER, issue: 16, what: 'the last probe run' },
  {
    id: 'sync-state',
    pattern: 'sync-state.json',
    writers: BOT_OR_MAINTAINER,
    issue: 18,
    what: 'where the sync from the official registry stands',
  },
  {
    id: 'policy',
    pattern: 'policy.json',
    writers: BOT_OR_MAINTAINER,
    issue: 18,
    what: 'what the registry lists (allow and deny rules)',
  },
  {
    id: 'site-config',
    pattern: 'site.json',
    writers: BOT_OR_MAINTAINER,
    issue: 15,
    what: 'site name, URL, bot and status names',
  },
  {
    id: 'vocabulary',
    pattern: 'vocabulary.json',
    writers: ['maintainer'],
    issue: 13,
    what: 'the controlled categories and tags',
  },
];

const compiled = MANAGED_PATHS.map((entry) => ({ entry, regex: globRegex(entry.pattern) }));

function globRegex(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map(escape).join('[^/]+')}$`);
}

function escape(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/** The entry for a data-relative path, or undefined: an unlisted path is maintainer-only. */
export function managedPath(relative: string): ManagedPath | undefined {
  return compiled.find(({ regex }) => regex.test(relative))?.entry;
}

export function writersOf(relative: string): readonly Writer[] {
  return managedPath(relative)?.writers ?? ['maintainer'];
}

/**
 * The field rule for a JSON path given as keys (`['versions', '1.0.0', 'status']`): the most specific
 * entry, matching whole keys; an unlisted field of a managed file is maintainer-only.
 */
export function managedField(entry: ManagedPath, keys: readonly string[]): ManagedField {
  let best: { field: ManagedField; length: number } | undefined;
  for (const field of entry.fields ?? []) {
    const parts = field.path.replace(/^\$\.?/, '').split('.');
    if (parts.length > keys.length) continue;
    if (!parts.every((part, i) => part === '*' || part === keys[i])) continue;
    if (!best || parts.length > best.length) best = { field, length: parts.length };
  }
  return best?.field ?? { path: `$.${keys.join('.')}`, writers: ['maintainer'], what: 'not a field of this file' };
}
