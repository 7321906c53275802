/**
 * Builds the search index and the server-rendered first page of results from the registry model.
 * Runs at build time (Astro endpoint) and in tests; deterministic: same registry -> same bytes.
 */
import type { Registry, ServerRecord } from '../registry/model.ts';
import type { Package } from '../schema/server.ts';
import type { SearchIndexFile } from './index-file.ts';
import { INDEX_FORMAT_VERSION, dayNumber, encodeFlags } from './index-file.ts';
import type { Kind, PackageType, RemoteTransport, SearchResultItem } from './types.ts';
import { PACKAGE_TYPES, REMOTE_TRANSPORTS } from './types.ts';
import { tokenize } from './text.ts';
import { parse as parseDomain } from 'tldts';
import { defaultOwner, ownerKey } from './owner.ts';
import type { RepositoryFacts } from '../github/enrich.ts';
import { repositoryKey } from '../github/enrich.ts';

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Servers that appear in search and listings: a latest version exists and is not deleted. */
export function listedServers(registry: Registry): ServerRecord[] {
  return registry.servers
    .filter((record) => record.latest !== undefined && record.latest.status !== 'deleted')
    .sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt) || byCodePoint(a.name, b.name));
}

export function toSearchResultItem(record: ServerRecord): SearchResultItem {
  const latest = record.latest;
  if (!latest) throw new Error(`${record.name} has no listed version`);
  const { server } = latest;
  const packages = server.packages ?? [];
  const remotes = server.remotes ?? [];
  const kinds: Kind[] = [];
  if (packages.length > 0) kinds.push('local');
  if (remotes.length > 0) kinds.push('remote');
  const packageTypes = PACKAGE_TYPES.filter((type: PackageType) => packages.some((p) => p.registryType === type));
  const transports = REMOTE_TRANSPORTS.filter((type: RemoteTransport) => remotes.some((r) => r.type === type));
  return {
    name: record.name,
    ...(server.title ? { title: server.title } : {}),
    description: server.description,
    updated: record.updatedAt.slice(0, 10),
    status: latest.status === 'deprecated' ? 'deprecated' : 'active',
    kinds,
    packageTypes,
    transports,
    categories: [...record.curation.categories].sort(byCodePoint),
  };
}

/** The first `size` servers in the order the island shows for an empty query (recently updated first). */
export function initialSearchResults(registry: Registry, size: number): { items: SearchResultItem[]; total: number } {
  const listed = listedServers(registry);
  return { items: listed.slice(0, size).map(toSearchResultItem), total: listed.length };
}

/**
 * The part of a package identifier worth searching: a GitHub release URL -> `owner/repo`, any other
 * URL -> its last path segment, an OCI reference without registry host and tag.
 */
export function searchableIdentifier(pkg: Pick<Package, 'registryType' | 'identifier'>): string {
  const { identifier } = pkg;
  if (URL.canParse(identifier) && /^https?:/.test(identifier)) {
    const url = new URL(identifier);
    const segments = url.pathname.split('/').filter(Boolean);
    if (url.hostname === 'github.com' && segments.length >= 2) return `${segments[0]}/${segments[1]}`;
    return segments.at(-1) ?? url.hostname;
  }
  if (pkg.registryType === 'oci') {
    const withoutDigest = identifier.split('@')[0];
    const parts = withoutDigest.split('/');
    if (parts.length > 1 && /[.:]/.test(parts[0])) parts.shift();
    return parts.join('/').replace(/:[^/]*$/, '');
  }
  return identifier;
}

/** Identifiers that add words beyond the server's name, deduplicated, in manifest order. */
function packageText(record: ServerRecord): string {
  const nameWords = new Set(tokenize(record.name));
  const seen = new Set<string>();
  for (const pkg of record.latest?.server.packages ?? []) {
    const text = searchableIdentifier(pkg);
    if (tokenize(text).every((word) => nameWords.has(word))) continue;
    seen.add(text);
  }
  return [...seen].join(' ');
}

/**
 * The namespace's owner (see owner.ts), the Public Suffix List deciding, private suffixes included:
 * `app.vercel.acme` is owned by acme, a tenant of vercel.app, not by Vercel.
 */
export function namespaceOwner(namespace: string): string {
  if (namespace.startsWith('io.github.')) return defaultOwner(namespace);
  const host = namespace.split('.').reverse().join('.');
  return parseDomain(host, { allowPrivateDomains: true }).domainWithoutSuffix || defaultOwner(namespace);
}

/** GitHub facts of a repository URL, from enrichment (`npm run enrich`), when known. */
export type RepositoryFactsLookup = (url: string) => RepositoryFacts | undefined;

/**
 * Whether the server's repository is in the GitHub account its namespace names (`io.github.acme/x` at
 * `github.com/acme/...`, which the registry's GitHub proof makes the publisher's own; `com.acme/x` at
 * `github.com/acme/...`, the same name). A wrapper pointing at the vendor's repository does not count,
 * so it cannot borrow the vendor's stars.
 */
export function hasOwnRepository(record: ServerRecord, owner = namespaceOwner(record.namespace)): boolean {
  const url = record.latest?.server.repository?.url;
  const key = url === undefined ? undefined : repositoryKey(url);
  return key !== undefined && ownerKey(key.slice(0, key.indexOf('/'))) === ownerKey(owner);
}

export function buildSearchIndex(
  registry: Registry,
  repositoryFacts: RepositoryFactsLookup = () => undefined,
): SearchIndexFile {
  const listed = listedServers(registry);
  const categoryIds = [...new Set(listed.flatMap((r) => r.curation.categories))].sort(byCodePoint);
  const tagIds = [...new Set(listed.flatMap((r) => r.curation.tags))].sort(byCodePoint);
  const categoryAt = new Map(categoryIds.map((id, at) => [id, at]));
  const tagAt = new Map(tagIds.map((id, at) => [id, at]));
  const file: SearchIndexFile = {
    version: INDEX_FORMAT_VERSION,
    categoryIds,
    tagIds,
    name: [],
    title: [],
    description: [],
    packages: [],
    categories: [],
    tags: [],
    dayDelta: [],
    flags: [],
    owner: [],
  };
  const stars: number[] = [];
  let previousDay = 0;
  for (const [at, record] of listed.entries()) {
    const item = toSearchResultItem(record);
    const day = dayNumber(record.updatedAt);
    file.name.push(item.name);
    file.title.push(item.title ?? '');
    file.description.push(item.description);
    file.packages.push(packageText(record));
    file.categories.push(item.categories.map((id) => categoryAt.get(id) ?? -1));
    file.tags.push([...record.curation.tags].sort(byCodePoint).map((id) => tagAt.get(id) ?? -1));
    file.dayDelta.push(at === 0 ? day : previousDay - day);
    const owner = namespaceOwner(record.namespace);
    const ownRepository = hasOwnRepository(record, owner);
    const url = record.latest?.server.repository?.url;
    const facts = url === undefined ? undefined : repositoryFacts(url);
    file.flags.push(encodeFlags(item, { ownRepository, archived: facts?.archived === true }));
    file.owner.push(owner === defaultOwner(record.namespace) ? '' : owner);
    stars.push(ownRepository ? (facts?.stars ?? 0) : 0);
    previousDay = day;
  }
  // Only with enrichment: an index without it carries no column of zeros.
  if (stars.some((count) => count > 0)) file.stars = stars;
  return file;
}
