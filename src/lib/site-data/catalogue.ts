/**
 * Everything the listing pages need, computed once per build from the model: compact summaries, and
 * the groupings by namespace and category. Pages look records up here instead of scanning the registry.
 */
import type { Registry, ServerRecord, VersionRecord } from '../registry/model.ts';
import type { VersionStatus } from '../registry/facts.ts';
import { namespacePath, safeHttpsUrl, serverPath } from './urls.ts';

/** What a list row shows about a server: small, so tens of thousands of rows stay cheap. */
export interface ServerSummary {
  name: string;
  namespace: string;
  shortName: string;
  title?: string;
  description: string;
  version: string;
  status: VersionStatus;
  /** A validated https icon URL, when the manifest has one. */
  iconUrl?: string;
  /** Package registry types (`npm`, `pypi`...), sorted, unique. */
  packageTypes: string[];
  /** Transports over packages and remotes (`stdio`, `streamable-http`, `sse`), sorted, unique. */
  transports: string[];
  hasRemote: boolean;
  /** When the first version was published: the server's arrival in the registry. */
  firstPublishedAt: string;
  updatedAt: string;
  categories: string[];
}

export interface Catalogue {
  /** Every server, by name, deleted ones included (their pages are tombstones). */
  all: ServerSummary[];
  /** Servers with a latest version (not every version deleted), by name: what listings show. */
  listed: ServerSummary[];
  byName: Map<string, ServerSummary>;
  /** Namespace -> every server in it (deleted ones too, so a tombstone's namespace link works), by name; namespaces sorted. */
  byNamespace: Map<string, ServerSummary[]>;
  /** Category id -> listed servers, by name. */
  byCategory: Map<string, ServerSummary[]>;
  /** Listed servers, newest first arrival first. */
  newest: ServerSummary[];
  /** The vocabulary's categories, in its order, with how many listed servers each has. */
  categories: CategoryTerm[];
  /** Category id -> its label (the id itself when the vocabulary does not know it). */
  categoryLabels: Map<string, string>;
}

export interface CategoryTerm {
  id: string;
  label: string;
  description?: string;
  count: number;
}

/** The version a page describes: the latest, or for a server whose versions are all deleted, the newest. */
export function displayedVersion(record: ServerRecord): VersionRecord {
  const version = record.latest ?? record.versions[0];
  if (version === undefined) throw new Error(`server ${record.name} has no versions`);
  return version;
}

export function firstPublishedAt(record: ServerRecord): string {
  let first = displayedVersion(record).publishedAt;
  for (const version of record.versions) if (version.publishedAt < first) first = version.publishedAt;
  return first;
}

export function summarise(record: ServerRecord): ServerSummary {
  const version = displayedVersion(record);
  const { server } = version;
  const packageTypes = new Set<string>();
  const transports = new Set<string>();
  for (const pkg of server.packages ?? []) {
    packageTypes.add(pkg.registryType);
    transports.add(pkg.transport.type);
  }
  for (const remote of server.remotes ?? []) transports.add(remote.type);
  return {
    name: record.name,
    namespace: record.namespace,
    shortName: record.shortName,
    ...(server.title === undefined ? {} : { title: server.title }),
    description: server.description,
    version: server.version,
    status: record.latest === undefined ? 'deleted' : version.status,
    ...optional('iconUrl', preferredIcon(server.icons)),
    packageTypes: [...packageTypes].sort(),
    transports: [...transports].sort(),
    hasRemote: (server.remotes ?? []).length > 0,
    firstPublishedAt: firstPublishedAt(record),
    updatedAt: record.updatedAt,
    categories: [...record.curation.categories].sort(),
  };
}

/** The first icon with a safe https URL, preferring one without a theme (it suits both themes). */
export function preferredIcon(icons: ReadonlyArray<{ src: string; theme?: string }> | undefined): string | undefined {
  const candidates = (icons ?? []).filter((icon) => safeHttpsUrl(icon.src) !== undefined);
  const chosen = candidates.find((icon) => icon.theme === undefined) ?? candidates[0];
  return chosen === undefined ? undefined : safeHttpsUrl(chosen.src);
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * Only a namespace with several servers gets a page of its own (most namespaces have exactly one server,
 * and a page per namespace was a third of all pages); a one-server namespace is its server's page.
 */
export const hasNamespacePage = (servers: readonly ServerSummary[]): boolean => servers.length > 1;

/** Where a link to a namespace goes: its page, or the page of its only server. */
export function namespaceHref(catalogue: Catalogue, namespace: string): string {
  const servers = catalogue.byNamespace.get(namespace) ?? [];
  const only = servers[0];
  return only !== undefined && !hasNamespacePage(servers) ? serverPath(only.name) : namespacePath(namespace);
}

const catalogues = new WeakMap<Registry, Catalogue>();

/** Builds the catalogue once per registry object (pages of one build share it). */
export function catalogueOf(registry: Registry): Catalogue {
  let catalogue = catalogues.get(registry);
  if (catalogue === undefined) {
    catalogue = buildCatalogue(registry);
    catalogues.set(registry, catalogue);
  }
  return catalogue;
}

function buildCatalogue(registry: Registry): Catalogue {
  const all = registry.servers.map(summarise);
  const listed = all.filter((summary) => summary.status !== 'deleted');
  const byNamespace = new Map<string, ServerSummary[]>();
  const byCategory = new Map<string, ServerSummary[]>();
  for (const summary of all) push(byNamespace, summary.namespace, summary);
  for (const summary of listed) for (const category of summary.categories) push(byCategory, category, summary);
  const newest = [...listed].sort((a, b) => compare(b.firstPublishedAt, a.firstPublishedAt) || compare(a.name, b.name));
  const categories: CategoryTerm[] = (registry.vocabulary?.categories ?? []).map((term) => ({
    id: term.id,
    label: term.label,
    ...(term.description === undefined ? {} : { description: term.description }),
    count: byCategory.get(term.id)?.length ?? 0,
  }));
  return {
    all,
    listed,
    byName: new Map(all.map((summary) => [summary.name, summary])),
    byNamespace: new Map([...byNamespace].sort(([a], [b]) => compare(a, b))),
    byCategory,
    newest,
    categories,
    categoryLabels: new Map(categories.map((term) => [term.id, term.label])),
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** Code-point order, the registry's order for names (locale-independent, deterministic). */
export const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
