/**
 * Registry-managed facts: what the registry (not the publisher) says about a server and its versions.
 * Kept in `servers/<namespace>/<name>/registry.json`, apart from the publisher's manifests, so an
 * author's PR never touches them and the registry never rewrites an author's file.
 * Timestamps are data (RFC 3339), never derived from git history.
 */
import { z } from 'zod';

const timestamp = z.iso.datetime({ offset: true });

export const VersionStatusSchema = z.enum(['active', 'deprecated', 'deleted']);
export type VersionStatus = z.infer<typeof VersionStatusSchema>;

export const VersionFactsSchema = z.strictObject({
  status: VersionStatusSchema,
  statusMessage: z.string().max(500).optional(),
  statusChangedAt: timestamp.optional(),
  publishedAt: timestamp,
  updatedAt: timestamp,
});
export type VersionFacts = z.infer<typeof VersionFactsSchema>;

export const CurationSchema = z.strictObject({
  /** Ids from `vocabulary.json` categories. */
  categories: z.array(z.string()).default([]),
  /** Ids from `vocabulary.json` tags. */
  tags: z.array(z.string()).default([]),
});
export type Curation = z.infer<typeof CurationSchema>;

/**
 * Where a server taken from an upstream registry by `npm run sync` came from. Written by the sync only;
 * absent for servers published here by pull request (or imported by hand).
 */
export const ProvenanceSchema = z.strictObject({
  /** Base URL of the upstream registry, e.g. `https://registry.modelcontextprotocol.io`. */
  source: z.url({ protocol: /^https?$/ }),
  /** The earliest upstream publish time of the versions taken: listed upstream since then. */
  listedSince: timestamp,
  /** When a sync first took the server: the upstream's clock at the start of that run. */
  firstSyncedAt: timestamp,
  /**
   * The status each version taken had upstream at the last sync. A version whose status here differs
   * was given its status by a maintainer, and the sync leaves it alone.
   */
  upstreamStatus: z.record(z.string(), VersionStatusSchema),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

/** What the model, the API and the pages show of a provenance (not the per-version bookkeeping). */
export const ListingSchema = ProvenanceSchema.pick({ source: true, listedSince: true, firstSyncedAt: true });
export type Listing = z.infer<typeof ListingSchema>;

export const ServerFactsSchema = z.strictObject({
  /** Keyed by the exact version string of each published manifest. */
  versions: z.record(z.string(), VersionFactsSchema),
  curation: CurationSchema.default({ categories: [], tags: [] }),
  provenance: ProvenanceSchema.optional(),
});
export type ServerFacts = z.infer<typeof ServerFactsSchema>;

export const VocabularyTermSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  label: z.string().min(1),
  description: z.string().optional(),
});
export const VocabularySchema = z.strictObject({
  categories: z.array(VocabularyTermSchema),
  tags: z.array(VocabularyTermSchema),
});
export type Vocabulary = z.infer<typeof VocabularySchema>;
