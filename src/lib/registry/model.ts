/**
 * The model every output is built from: pages, the official v0.1 API, our own API, search and feeds.
 * Built once per build from a validated data folder (see load.ts).
 */
import type { ServerJson } from '../schema/server.ts';
import type { Curation, VersionStatus, Vocabulary } from './facts.ts';
import type { ProbeFile, ProbeRun } from './probe-facts.ts';
import type { Listing } from './facts.ts';

export interface VersionRecord {
  /** The manifest normalised to the current schema (2025-12-11). */
  server: ServerJson;
  /** The released schema version the publisher wrote (before normalisation), e.g. `2025-09-29`. */
  sourceSchemaVersion: string;
  /** Data-root-relative path of the publisher's file. */
  file: string;
  status: VersionStatus;
  statusMessage?: string;
  statusChangedAt?: string;
  publishedAt: string;
  updatedAt: string;
  /** Computed by the official algorithm (see latest.ts); exactly one per server unless all are deleted. */
  isLatest: boolean;
}

export interface ServerRecord {
  name: string;
  namespace: string;
  /** The part of the name after the slash. */
  shortName: string;
  /** Every version, newest publish first (ties broken by version string, for determinism). */
  versions: VersionRecord[];
  /** The latest version, or undefined when every version is deleted. */
  latest: VersionRecord | undefined;
  curation: Curation;
  /** Latest publish or update time over all versions: the server's own "updated" time. */
  updatedAt: string;
  /** What `npm run probe` last saw (probe.json), if the server was probed. */
  probe?: ProbeFile;
  /** Where a server taken by `npm run sync` came from (its registry.json provenance). */
  listing?: Listing;
}

export interface Registry {
  /** Sorted by name (code-point order), for deterministic output. */
  servers: ServerRecord[];
  /** The controlled categories and tags (vocabulary.json), for labels; set by the loader. */
  vocabulary?: Vocabulary;
  /** The last probe run's summary (probe-run.json), if any run wrote one. */
  probeRun?: ProbeRun;
}
