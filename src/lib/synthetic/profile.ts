/**
 * The shape of the real registry, as distributions: what the synthetic generator samples from.
 * Derived once from a dump of the official registry by `bench/derive-profile.ts` and committed as
 * `bench/registry-profile.json`, so benchmarks run without the dump (and without copying its records).
 */
import { z } from 'zod';

/** `[value, count]` pairs: how often each value occurred. */
const NumberHistogramSchema = z.array(z.tuple([z.number(), z.number().nonnegative()])).min(1);
/** `[value, count]` pairs for categorical values (words, registry types, hints...). */
const WeightedStringsSchema = z.array(z.tuple([z.string(), z.number().nonnegative()])).min(1);
const shareSchema = z.number().min(0).max(1);

export const RegistryProfileSchema = z.strictObject({
  source: z.strictObject({
    file: z.string(),
    servers: z.number().int().positive(),
    versions: z.number().int().positive(),
  }),
  versionsPerServer: NumberHistogramSchema,
  /** How version strings look: `semver` (1.2.3), `prerelease` (1.2.3-beta.4), `vprefixed` (v1.2.3), `other`. */
  versionFormats: WeightedStringsSchema,
  /** Days between two consecutive versions of a server. */
  daysBetweenVersions: NumberHistogramSchema,
  namespaces: z.strictObject({
    /** Share of namespaces of the form `io.github.<login>` (the rest are reverse DNS). */
    githubShare: shareSchema,
    serversPerNamespace: NumberHistogramSchema,
    /** First label of reverse-DNS namespaces (`com`, `ai`, `io`...). */
    topLevelDomains: WeightedStringsSchema,
    /** Length in characters of the GitHub login / domain label. */
    labelLength: NumberHistogramSchema,
  }),
  names: z.strictObject({
    /** Words (split on `-`, `_`, `.`) per short name. */
    wordsPerName: NumberHistogramSchema,
    words: WeightedStringsSchema,
  }),
  descriptions: z.strictObject({
    /** Description length in characters, in buckets of 5 (value = bucket upper bound). */
    length: NumberHistogramSchema,
    words: WeightedStringsSchema,
    /** Share of a server's later versions whose description differs from the previous version's. */
    changeShare: shareSchema,
  }),
  optionalFields: z.strictObject({
    title: shareSchema,
    websiteUrl: shareSchema,
    icons: shareSchema,
    repository: shareSchema,
    repositorySubfolder: shareSchema,
    publisherMeta: shareSchema,
  }),
  packages: z.strictObject({
    perVersion: NumberHistogramSchema,
    registryTypes: WeightedStringsSchema,
    /** Per registry type, its runtimeHint values; `""` means no hint. */
    runtimeHints: z.record(z.string(), WeightedStringsSchema),
    transports: WeightedStringsSchema,
    /** npm identifiers with an `@scope/`. */
    npmScopedShare: shareSchema,
    /** OCI image hosts (`docker.io`, `ghcr.io`...). */
    ociHosts: WeightedStringsSchema,
    environmentVariablesPerPackage: NumberHistogramSchema,
    runtimeArgumentsPerPackage: NumberHistogramSchema,
    packageArgumentsPerPackage: NumberHistogramSchema,
    namedArgumentShare: shareSchema,
  }),
  inputs: z.strictObject({
    /** Last `_`-separated word of environment variable names (`KEY`, `TOKEN`, `URL`...). */
    envNameSuffixes: WeightedStringsSchema,
    descriptionShare: shareSchema,
    descriptionLength: NumberHistogramSchema,
    secretShare: shareSchema,
    requiredShare: shareSchema,
    defaultShare: shareSchema,
  }),
  remotes: z.strictObject({
    perVersion: NumberHistogramSchema,
    types: WeightedStringsSchema,
    headersShare: shareSchema,
  }),
});
export type RegistryProfile = z.infer<typeof RegistryProfileSchema>;
export type NumberHistogram = RegistryProfile['versionsPerServer'];
export type WeightedStrings = RegistryProfile['versionFormats'];
