/**
 * Shapes shared by the search index (built at build time), the query engine and the React island.
 * Pure types and constants: no Astro or React import.
 */

export const PACKAGE_TYPES = ['npm', 'pypi', 'oci', 'nuget', 'mcpb'] as const;
export type PackageType = (typeof PACKAGE_TYPES)[number];

export const REMOTE_TRANSPORTS = ['streamable-http', 'sse'] as const;
export type RemoteTransport = (typeof REMOTE_TRANSPORTS)[number];

/** Local = installable from a package; remote = reachable at a URL. A server may be both. */
export const KINDS = ['local', 'remote'] as const;
export type Kind = (typeof KINDS)[number];

/** Deleted servers never reach the index; deprecated ones are listed with a warning. */
export const LISTED_STATUSES = ['active', 'deprecated'] as const;
export type ListedStatus = (typeof LISTED_STATUSES)[number];

export const SORTS = ['relevance', 'updated', 'name'] as const;
export type Sort = (typeof SORTS)[number];

/** One server as the results list shows it. Built from the latest version of a server. */
export interface SearchResultItem {
  /** Full name, `namespace/name`. */
  name: string;
  title?: string;
  description: string;
  /** Day of the last publish or update, `YYYY-MM-DD`. */
  updated: string;
  status: ListedStatus;
  kinds: Kind[];
  packageTypes: PackageType[];
  transports: RemoteTransport[];
  categories: string[];
}

/** The whole search state; the URL query string encodes exactly this. */
export interface SearchState {
  q: string;
  kind: Kind[];
  type: PackageType[];
  transport: RemoteTransport[];
  category: string[];
  status: ListedStatus[];
  sort: Sort;
  /** One namespace's results only, uncollapsed (`and 37 more from this publisher`); empty for all. */
  publisher: string;
}

export type FacetName = 'kind' | 'type' | 'transport' | 'category' | 'status';
export const FACET_NAMES: readonly FacetName[] = ['kind', 'type', 'transport', 'category', 'status'];

/** For each facet, value -> number of results if that value alone were selected in its group. */
export type FacetCounts = Record<FacetName, Record<string, number>>;

export const EMPTY_STATE: SearchState = {
  q: '',
  kind: [],
  type: [],
  transport: [],
  category: [],
  status: [],
  sort: 'relevance',
  publisher: '',
};

/** Where the build publishes the search index (src/pages/search-index.json.ts). */
export const SEARCH_INDEX_PATH = '/search-index.json';
