/**
 * The search index as published at build time, and its decoding in the browser.
 *
 * Columnar JSON (one array per field, one entry per listed server) because gzip compresses runs of
 * similar strings far better than repeated object keys. Servers are ordered newest update first, so
 * the update day is stored as a small non-negative delta and the "recently updated" sort is free.
 */
import type { Kind, ListedStatus, PackageType, RemoteTransport, SearchResultItem } from './types.ts';
import { KINDS, PACKAGE_TYPES, REMOTE_TRANSPORTS } from './types.ts';
import { defaultOwner } from './owner.ts';
import { runAtOnce } from './slices.ts';
import type { Steps } from './slices.ts';

export const INDEX_FORMAT_VERSION = 2;

export interface SearchIndexFile {
  version: typeof INDEX_FORMAT_VERSION;
  /** Vocabulary ids referenced by position from `categories` and `tags`. */
  categoryIds: string[];
  tagIds: string[];
  name: string[];
  /** Empty when the server has no title. */
  title: string[];
  description: string[];
  /** Package identifiers, shortened (see `searchableIdentifier`), space separated. */
  packages: string[];
  categories: number[][];
  tags: number[][];
  /** First entry: days since 1970-01-01 of the newest update; then how many days older than the previous entry. */
  dayDelta: number[];
  /** Bit set of kinds, package types, transports, status and ranking facts; see FLAG_BITS. */
  flags: number[];
  /** The namespace's owner where the Public Suffix List decides otherwise than `defaultOwner`, else empty (see owner.ts). */
  owner: string[];
  /** GitHub stars of the server's own repository (see `hasOwnRepository`); absent without enrichment. */
  stars?: number[];
}

/** Bit positions in `flags`. Append only: reordering would break published indexes of this version. */
const FLAG_BITS = {
  local: 0,
  remote: 1,
  npm: 2,
  pypi: 3,
  oci: 4,
  nuget: 5,
  mcpb: 6,
  'streamable-http': 7,
  sse: 8,
  deprecated: 9,
  /** The repository is in the GitHub account the namespace names (see `hasOwnRepository` in build.ts). */
  'own-repository': 10,
  /** Enrichment says the repository is archived. */
  archived: 11,
} as const;
type FlagName = keyof typeof FLAG_BITS;

/** Facts about a server that ranking weighs besides its text (see `documentPrior` in engine.ts). */
export interface RankingFacts {
  /** The namespace's owner, as owner.ts derives it. */
  owner: string;
  ownRepository: boolean;
  archived: boolean;
  /** Stars of its own repository; 0 when unknown. */
  stars: number;
}

/** A server as the query engine sees it: what the list shows plus what is only searched or weighed. */
export interface SearchDoc extends SearchResultItem, RankingFacts {
  packages: string;
  tags: string[];
  /** Position in update order: 0 = most recently updated. */
  updateRank: number;
}

const DAY_MS = 86_400_000;

export function encodeFlags(
  item: SearchResultItem,
  facts: Pick<RankingFacts, 'ownRepository' | 'archived'> = { ownRepository: false, archived: false },
): number {
  const names: FlagName[] = [...item.kinds, ...item.packageTypes, ...item.transports];
  if (item.status === 'deprecated') names.push('deprecated');
  if (facts.ownRepository) names.push('own-repository');
  if (facts.archived) names.push('archived');
  return names.reduce((bits, name) => bits | (1 << FLAG_BITS[name]), 0);
}

const hasFlag = (flags: number, name: FlagName): boolean => (flags & (1 << FLAG_BITS[name])) !== 0;

export function dayNumber(isoDate: string): number {
  return Math.floor(Date.parse(isoDate) / DAY_MS);
}

type FlagFacts = Pick<SearchResultItem, 'status' | 'kinds' | 'packageTypes' | 'transports'>;

function decodeFlags(flags: number): FlagFacts {
  return {
    status: (hasFlag(flags, 'deprecated') ? 'deprecated' : 'active') satisfies ListedStatus,
    kinds: KINDS.filter((kind: Kind) => hasFlag(flags, kind)),
    packageTypes: PACKAGE_TYPES.filter((type: PackageType) => hasFlag(flags, type)),
    transports: REMOTE_TRANSPORTS.filter((transport: RemoteTransport) => hasFlag(flags, transport)),
  };
}

/** Rebuilds the documents from a published index. Throws when the file is not an index of this version. */
export function decodeSearchIndex(file: SearchIndexFile): SearchDoc[] {
  return runAtOnce(decodeSearchIndexSteps(file));
}

/** Documents decoded between two points where decoding may pause. */
const DOCS_PER_STEP = 256;

/** `decodeSearchIndex` in steps, for a page to run in slices (see slices.ts). */
export function* decodeSearchIndexSteps(file: SearchIndexFile): Steps<SearchDoc[]> {
  if (file?.version !== INDEX_FORMAT_VERSION) {
    throw new Error(
      `search index version ${String(file?.version)} is not the supported version ${INDEX_FORMAT_VERSION}`,
    );
  }
  const count = file.name.length;
  const columns = [
    file.title,
    file.description,
    file.packages,
    file.categories,
    file.tags,
    file.dayDelta,
    file.flags,
    file.owner,
    file.stars ?? file.name,
  ];
  if (columns.some((column) => !Array.isArray(column) || column.length !== count)) {
    throw new Error('search index columns have different lengths');
  }
  const docs: SearchDoc[] = [];
  // Few distinct flag sets and days occur: decode each once (100k servers decode at load).
  const flagFacts = new Map<number, FlagFacts>();
  let day = 0;
  let updated = '';
  for (let i = 0; i < count; i++) {
    if (i % DOCS_PER_STEP === DOCS_PER_STEP - 1) yield;
    const previousDay = day;
    day = i === 0 ? file.dayDelta[0] : day - file.dayDelta[i];
    if (i === 0 || day !== previousDay) updated = new Date(day * DAY_MS).toISOString().slice(0, 10);
    const flags = file.flags[i];
    let facts = flagFacts.get(flags);
    if (!facts) {
      facts = decodeFlags(flags);
      flagFacts.set(flags, facts);
    }
    const title = file.title[i];
    const name = file.name[i];
    docs.push({
      name,
      ...(title ? { title } : {}),
      description: file.description[i],
      updated,
      ...facts,
      categories: file.categories[i].map((at) => file.categoryIds[at]),
      tags: file.tags[i].map((at) => file.tagIds[at]),
      packages: file.packages[i],
      updateRank: i,
      owner: file.owner[i] || defaultOwner(name.slice(0, name.indexOf('/'))),
      ownRepository: hasFlag(flags, 'own-repository'),
      archived: hasFlag(flags, 'archived'),
      stars: file.stars?.[i] ?? 0,
    });
  }
  return docs;
}
