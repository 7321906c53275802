/**
 * Generates a registry-data folder (as files, in memory, one at a time) of any size whose shape follows
 * a RegistryProfile: names, namespaces, descriptions, packages, remotes, inputs and versions per server.
 * Pure and seeded: the same options give byte-identical files, and server i is the same whatever N is.
 */
import { factsFile, VOCABULARY_FILE, versionFile } from '../registry/layout.ts';
import type { ServerFacts, Vocabulary } from '../registry/facts.ts';
import type { SourceFile } from '../registry/source.ts';
import {
  type Argument,
  type KeyValueInput,
  type Package,
  type Remote,
  type ServerJson,
  CURRENT_SCHEMA_URL,
  PUBLISHER_META_KEY,
} from '../schema/server.ts';
import type { RegistryProfile } from './profile.ts';
import { mixSeed, Random, WeightedSampler } from './random.ts';

export interface SyntheticOptions {
  servers: number;
  profile: RegistryProfile;
  seed?: number;
  /**
   * Mean versions per server. Defaults to the profile's own mean; the profile's histogram is stretched
   * (shape kept, long tail included) to reach a different one, e.g. the 3.27 of the registry in 2026.
   */
  meanVersions?: number;
}

export const DEFAULT_SEED = 20251218;

/** Versions per server of the official registry on 2026-08-22 (79,402 / 24,247), see REGISTRY-FACTS. */
export const REGISTRY_2026_MEAN_VERSIONS = 79_402 / 24_247;

/** The real registry has no curation; these terms and shares are our assumption of a curated one. */
const CATEGORIES = [
  'ai-and-ml',
  'browser-automation',
  'cloud-platforms',
  'communication',
  'data-and-analytics',
  'databases',
  'developer-tools',
  'file-systems',
  'finance',
  'knowledge-and-memory',
  'productivity',
  'search',
  'security',
] as const;
const CURATED_SHARE = 0.4;
const MAX_TAGS = 3;
const TAG_COUNT = 40;

const FIRST_PUBLISH = Date.UTC(2025, 8, 8);
const PUBLISH_WINDOW_DAYS = 340;
const DAY_MS = 86_400_000;
const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ra',
  'ne',
  'to',
  'vi',
  'su',
  'da',
  'pe',
  'zo',
  'bi',
  'ha',
  'ju',
  'fe',
  'go',
  'ty',
  'wa',
  'ce',
  'xo',
];
const STOP_WORDS = new Set([
  'a',
  'an',
  'and',
  'the',
  'for',
  'with',
  'to',
  'of',
  'in',
  'on',
  'that',
  'your',
  'from',
  'by',
  'is',
  'it',
  'or',
  'via',
  'using',
  'through',
  'more',
  'mcp',
  'server',
  'model',
  'context',
  'protocol',
  'as',
  'into',
  'at',
  'be',
  'this',
  'you',
  'all',
  'any',
  'can',
  'are',
]);

/** Samplers built once per profile (the cumulative tables are the costly part). */
interface Samplers {
  versionsPerServer: WeightedSampler<number>;
  versionFormat: WeightedSampler<string>;
  daysBetween: WeightedSampler<number>;
  serversPerNamespace: WeightedSampler<number>;
  topLevelDomain: WeightedSampler<string>;
  labelLength: WeightedSampler<number>;
  wordsPerName: WeightedSampler<number>;
  nameWord: WeightedSampler<string>;
  descriptionLength: WeightedSampler<number>;
  descriptionWord: WeightedSampler<string>;
  packagesPerVersion: WeightedSampler<number>;
  registryType: WeightedSampler<string>;
  runtimeHints: Map<string, WeightedSampler<string>>;
  transport: WeightedSampler<string>;
  ociHost: WeightedSampler<string>;
  envPerPackage: WeightedSampler<number>;
  runtimeArgs: WeightedSampler<number>;
  packageArgs: WeightedSampler<number>;
  envSuffix: WeightedSampler<string>;
  inputDescriptionLength: WeightedSampler<number>;
  remotesPerVersion: WeightedSampler<number>;
  remoteType: WeightedSampler<string>;
}

function samplersFor(profile: RegistryProfile): Samplers {
  return {
    versionsPerServer: new WeightedSampler(profile.versionsPerServer),
    versionFormat: new WeightedSampler(profile.versionFormats),
    daysBetween: new WeightedSampler(profile.daysBetweenVersions),
    serversPerNamespace: new WeightedSampler(profile.namespaces.serversPerNamespace),
    topLevelDomain: new WeightedSampler(profile.namespaces.topLevelDomains),
    labelLength: new WeightedSampler(profile.namespaces.labelLength),
    wordsPerName: new WeightedSampler(profile.names.wordsPerName),
    nameWord: new WeightedSampler(profile.names.words),
    descriptionLength: new WeightedSampler(profile.descriptions.length),
    descriptionWord: new WeightedSampler(profile.descriptions.words),
    packagesPerVersion: new WeightedSampler(profile.packages.perVersion),
    registryType: new WeightedSampler(profile.packages.registryTypes),
    runtimeHints: new Map(
      Object.entries(profile.packages.runtimeHints).map(([type, hints]) => [type, new WeightedSampler(hints)]),
    ),
    transport: new WeightedSampler(profile.packages.transports),
    ociHost: new WeightedSampler(profile.packages.ociHosts),
    envPerPackage: new WeightedSampler(profile.packages.environmentVariablesPerPackage),
    runtimeArgs: new WeightedSampler(profile.packages.runtimeArgumentsPerPackage),
    packageArgs: new WeightedSampler(profile.packages.packageArgumentsPerPackage),
    envSuffix: new WeightedSampler(profile.inputs.envNameSuffixes),
    inputDescriptionLength: new WeightedSampler(profile.inputs.descriptionLength),
    remotesPerVersion: new WeightedSampler(profile.remotes.perVersion),
    remoteType: new WeightedSampler(profile.remotes.types),
  };
}

/** The controlled vocabulary: fixed categories, and tags taken from the profile's most common topic words. */
export function syntheticVocabulary(profile: RegistryProfile): Vocabulary {
  const tags: string[] = [];
  for (const [word] of profile.descriptions.words) {
    const id = word.toLowerCase();
    if (tags.length === TAG_COUNT) break;
    if (/^[a-z][a-z0-9]{2,}$/.test(id) && !STOP_WORDS.has(id) && !tags.includes(id)) tags.push(id);
  }
  const label = (id: string): string => id.split('-').map(capitalise).join(' ');
  return {
    categories: CATEGORIES.map((id) => ({ id, label: label(id) })),
    tags: tags.sort().map((id) => ({ id, label: label(id) })),
  };
}

/** Every file of the folder: vocabulary.json, then per server its versions and registry.json. */
export function* generateRegistryFiles(options: SyntheticOptions): Generator<SourceFile> {
  const seed = options.seed ?? DEFAULT_SEED;
  const samplers = samplersFor(options.profile);
  const vocabulary = syntheticVocabulary(options.profile);
  const versionScale = (options.meanVersions ?? samplers.versionsPerServer.mean()) / samplers.versionsPerServer.mean();
  yield { path: VOCABULARY_FILE, text: toJson(vocabulary) };

  const namespaces = new NamespaceAllocator(seed, options.profile, samplers);
  for (let index = 0; index < options.servers; index++) {
    const namespace = namespaces.next();
    const random = new Random(mixSeed(seed, index));
    const server = new ServerGenerator(random, options.profile, samplers, namespace, vocabulary, versionScale);
    yield* server.files();
  }
}

/** Hands out namespaces in groups whose sizes follow serversPerNamespace; each server name is unique. */
class NamespaceAllocator {
  private readonly random: Random;
  private readonly used = new Set<string>();
  private readonly profile: RegistryProfile;
  private readonly samplers: Samplers;
  private current: NamespaceState | undefined;
  private remaining = 0;

  constructor(seed: number, profile: RegistryProfile, samplers: Samplers) {
    this.random = new Random(mixSeed(seed, -1));
    this.profile = profile;
    this.samplers = samplers;
  }

  next(): NamespaceState {
    if (this.remaining === 0 || !this.current) {
      this.current = this.create();
      this.remaining = this.samplers.serversPerNamespace.sample(this.random);
    }
    this.remaining--;
    return this.current;
  }

  private create(): NamespaceState {
    const github = this.random.chance(this.profile.namespaces.githubShare);
    const tld = github ? '' : this.samplers.topLevelDomain.sample(this.random);
    let label = pseudoWord(this.random, this.samplers.labelLength.sample(this.random));
    let namespace = github ? `io.github.${label}` : `${tld}.${label}`;
    for (let suffix = 2; this.used.has(namespace); suffix++) {
      namespace = github ? `io.github.${label}${suffix}` : `${tld}.${label}${suffix}`;
      if (!this.used.has(namespace)) label = `${label}${suffix}`;
    }
    this.used.add(namespace);
    return { namespace, label, tld, github, shortNames: new Set() };
  }
}

interface NamespaceState {
  namespace: string;
  /** The GitHub login or the domain's second-level label. */
  label: string;
  /** Empty for io.github namespaces. */
  tld: string;
  github: boolean;
  shortNames: Set<string>;
}

/** The parts of a server that stay the same from one version to the next. */
interface ServerShape {
  name: string;
  shortName: string;
  words: string[];
  title?: string;
  description: string;
  repository?: ServerJson['repository'];
  websiteUrl?: string;
  icons?: ServerJson['icons'];
  meta?: ServerJson['_meta'];
  packages: PackageShape[];
  remotes: Remote[];
}

interface PackageShape {
  registryType: string;
  package: Omit<Package, 'version'>;
  /** npm, PyPI and NuGet packages carry the server's version; OCI puts it in the tag, MCPB in the URL. */
  versioned: 'field' | 'tag' | 'url' | 'none';
}

class ServerGenerator {
  private readonly random: Random;
  private readonly profile: RegistryProfile;
  private readonly samplers: Samplers;
  private readonly namespace: NamespaceState;
  private readonly vocabulary: Vocabulary;
  private readonly versionScale: number;
  private readonly shape: ServerShape;

  constructor(
    random: Random,
    profile: RegistryProfile,
    samplers: Samplers,
    namespace: NamespaceState,
    vocabulary: Vocabulary,
    versionScale: number,
  ) {
    this.random = random;
    this.profile = profile;
    this.samplers = samplers;
    this.namespace = namespace;
    this.vocabulary = vocabulary;
    this.versionScale = versionScale;
    this.shape = this.createShape();
  }

  *files(): Generator<SourceFile> {
    const { random, samplers, shape } = this;
    const count = Math.max(1, stochasticRound(random, samplers.versionsPerServer.sample(random) * this.versionScale));
    const format = samplers.versionFormat.sample(random);
    const semver = [random.chance(0.55) ? 0 : random.int(1, 3), random.int(0, 9), random.int(0, 20)];
    let publishedAt = FIRST_PUBLISH + random.int(0, PUBLISH_WINDOW_DAYS) * DAY_MS + random.int(0, DAY_MS - 1);
    let description = shape.description;
    const facts: ServerFacts = { versions: {}, curation: this.curation() };
    for (let i = 0; i < count; i++) {
      if (i > 0) {
        bumpVersion(random, semver);
        publishedAt += samplers.daysBetween.sample(random) * DAY_MS + random.int(60_000, 6 * 3_600_000);
        if (random.chance(this.profile.descriptions.changeShare)) description = this.description(shape.words);
      }
      const version = formatVersion(format, semver, i);
      const manifest = this.manifest(version, description);
      yield { path: versionFile(shape.name, version), text: toJson(manifest) };
      const at = new Date(publishedAt).toISOString();
      facts.versions[version] = { status: 'active', publishedAt: at, updatedAt: at };
    }
    yield { path: factsFile(shape.name), text: toJson(facts) };
  }

  private manifest(version: string, description: string): ServerJson {
    const { shape } = this;
    const manifest: ServerJson = { $schema: CURRENT_SCHEMA_URL, name: shape.name, description, version };
    if (shape.title) manifest.title = shape.title;
    if (shape.repository) manifest.repository = shape.repository;
    if (shape.websiteUrl) manifest.websiteUrl = shape.websiteUrl;
    if (shape.icons) manifest.icons = shape.icons;
    if (shape.packages.length) manifest.packages = shape.packages.map((entry) => versionedPackage(entry, version));
    if (shape.remotes.length) manifest.remotes = shape.remotes;
    if (shape.meta) manifest._meta = shape.meta;
    return manifest;
  }

  private createShape(): ServerShape {
    const { random, profile, samplers, namespace } = this;
    const words = this.nameWords();
    let shortName = words.join('-');
    for (let suffix = 2; namespace.shortNames.has(shortName); suffix++) shortName = `${words.join('-')}-${suffix}`;
    namespace.shortNames.add(shortName);
    const name = `${namespace.namespace}/${shortName}`;
    const owner = namespace.github ? namespace.label : `${namespace.label}-${namespace.tld}`;
    const host = namespace.github ? `${namespace.label}.github.io` : `${namespace.label}.${namespace.tld}`;
    const optional = profile.optionalFields;

    const shape: ServerShape = { name, shortName, words, description: '', packages: [], remotes: [] };
    shape.description = this.description(words);
    if (random.chance(optional.title)) shape.title = words.map(capitalise).join(' ');
    if (random.chance(optional.repository)) {
      shape.repository = { url: `https://github.com/${owner}/${shortName}`, source: 'github' };
      if (random.chance(optional.repositorySubfolder / Math.max(optional.repository, 1e-9))) {
        shape.repository.subfolder = `servers/${shortName}`;
      }
    }
    if (random.chance(optional.websiteUrl)) shape.websiteUrl = `https://${host}/${shortName}`;
    if (random.chance(optional.icons)) {
      shape.icons = [{ src: `https://${host}/${shortName}/icon.png`, mimeType: 'image/png', sizes: ['128x128'] }];
    }
    if (random.chance(optional.publisherMeta)) {
      shape.meta = { [PUBLISHER_META_KEY]: { tool: 'publisher-cli', build: random.hex(12) } };
    }
    const packageCount = samplers.packagesPerVersion.sample(random);
    for (let i = 0; i < packageCount; i++) shape.packages.push(this.packageShape(owner, shortName, i));
    const remoteCount = samplers.remotesPerVersion.sample(random);
    for (let i = 0; i < remoteCount; i++) {
      const type = samplers.remoteType.sample(random) as Remote['type'];
      // Unique per server: the official registry refuses one remote URL shared by two servers.
      const url = `https://${host}/${shortName}/${type === 'sse' ? 'sse' : 'mcp'}${i === 0 ? '' : `/${i}`}`;
      const remote: Remote = { type, url };
      if (random.chance(profile.remotes.headersShare)) {
        remote.headers = [
          {
            name: 'Authorization',
            description: 'Bearer token for the hosted server',
            isRequired: true,
            isSecret: true,
          },
        ];
      }
      shape.remotes.push(remote);
    }
    return shape;
  }

  private nameWords(): string[] {
    const { random, samplers } = this;
    const count = samplers.wordsPerName.sample(random);
    const words: string[] = [];
    while (words.length < count) {
      const word = samplers.nameWord.sample(random);
      if (!words.includes(word)) words.push(word);
      else if (words.length >= 1 && random.chance(0.5)) break;
    }
    // A name needs two characters or more and must start and end alphanumeric.
    if (words.join('-').length < 2) words.push('mcp');
    return words;
  }

  /** Real descriptions often repeat a word of the name: search relevance depends on it. */
  private description(nameWords: string[]): string {
    const { random, samplers } = this;
    const target = samplers.descriptionLength.sample(random) - random.int(0, 4);
    const topic = random.chance(0.6) ? random.pick(nameWords) : undefined;
    return capitalise(wordsUpTo(random, samplers.descriptionWord, Math.max(1, target), topic));
  }

  private packageShape(owner: string, shortName: string, index: number): PackageShape {
    const { random, samplers } = this;
    const registryType = samplers.registryType.sample(random);
    const hint = samplers.runtimeHints.get(registryType)?.sample(random) ?? '';
    const transportType = samplers.transport.sample(random);
    const transport: Package['transport'] =
      transportType === 'stdio'
        ? { type: 'stdio' }
        : {
            type: transportType as 'sse' | 'streamable-http',
            url: `http://localhost:${8000 + index}/${transportType === 'sse' ? 'sse' : 'mcp'}`,
          };
    const base = { registryType } as Omit<Package, 'version'>;
    let versioned: PackageShape['versioned'] = 'field';
    switch (registryType) {
      case 'npm':
        base.registryBaseUrl = 'https://registry.npmjs.org';
        base.identifier = random.chance(this.profile.packages.npmScopedShare) ? `@${owner}/${shortName}` : shortName;
        break;
      case 'pypi':
        base.registryBaseUrl = 'https://pypi.org';
        base.identifier = shortName;
        break;
      case 'nuget':
        base.registryBaseUrl = 'https://api.nuget.org/v3/index.json';
        base.identifier = [owner, ...shortName.split('-')].map(capitalise).join('.');
        break;
      case 'oci':
        base.identifier = `${samplers.ociHost.sample(random)}/${owner}/${shortName}`;
        versioned = 'tag';
        break;
      case 'mcpb':
        base.identifier = `https://github.com/${owner}/${shortName}/releases/download/v{version}/${shortName}-mcp.mcpb`;
        base.fileSha256 = random.hex(64);
        versioned = 'url';
        break;
      default:
        base.identifier = shortName;
        versioned = 'none';
    }
    if (hint) base.runtimeHint = hint;
    base.transport = transport; // after the identity fields, where publishers put it
    const environmentVariables = this.environmentVariables(shortName);
    if (environmentVariables.length) base.environmentVariables = environmentVariables;
    const runtimeArguments = this.arguments(samplers.runtimeArgs.sample(random));
    if (runtimeArguments.length) base.runtimeArguments = runtimeArguments;
    const packageArguments = this.arguments(samplers.packageArgs.sample(random));
    if (packageArguments.length) base.packageArguments = packageArguments;
    return { registryType, package: base, versioned };
  }

  private environmentVariables(shortName: string): KeyValueInput[] {
    const { random, samplers } = this;
    const count = samplers.envPerPackage.sample(random);
    const prefix = shortName
      .split('-')[0]
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '_');
    const names = new Set<string>();
    const variables: KeyValueInput[] = [];
    for (let i = 0; i < count; i++) {
      const suffix = samplers.envSuffix.sample(random).replace(/[^A-Z0-9]/g, '_');
      let name = `${prefix}_${suffix}`;
      for (let n = 2; names.has(name); n++) name = `${prefix}_${suffix}_${n}`;
      names.add(name);
      variables.push({ name, ...this.inputFields() });
    }
    return variables;
  }

  private arguments(count: number): Argument[] {
    const { random } = this;
    const args: Argument[] = [];
    for (let i = 0; i < count; i++) {
      const word = this.samplers.nameWord.sample(random).replace(/[^a-z0-9]/g, '') || 'option';
      if (random.chance(this.profile.packages.namedArgumentShare)) {
        args.push({ type: 'named', name: `--${word}-${i}`, ...this.inputFields() });
      } else {
        args.push({ type: 'positional', valueHint: `${word}_${i}`, ...this.inputFields() });
      }
    }
    return args;
  }

  private inputFields(): Omit<KeyValueInput, 'name'> {
    const { random, profile, samplers } = this;
    const fields: Omit<KeyValueInput, 'name'> = {};
    if (random.chance(profile.inputs.descriptionShare)) {
      fields.description = capitalise(
        wordsUpTo(random, samplers.descriptionWord, samplers.inputDescriptionLength.sample(random)),
      );
    }
    if (random.chance(profile.inputs.requiredShare)) fields.isRequired = true;
    if (random.chance(profile.inputs.secretShare)) fields.isSecret = true;
    else if (random.chance(profile.inputs.defaultShare)) fields.default = String(random.int(1, 100));
    return fields;
  }

  private curation(): ServerFacts['curation'] {
    const { random, vocabulary } = this;
    if (!random.chance(CURATED_SHARE)) return { categories: [], tags: [] };
    const tags = new Set<string>();
    const tagCount = random.int(0, MAX_TAGS);
    for (let i = 0; i < tagCount; i++) tags.add(random.pick(vocabulary.tags).id);
    return { categories: [random.pick(vocabulary.categories).id], tags: [...tags].sort() };
  }
}

function versionedPackage(entry: PackageShape, version: string): Package {
  switch (entry.versioned) {
    case 'field': {
      const { registryType, registryBaseUrl, identifier, ...rest } = entry.package;
      return { registryType, registryBaseUrl, identifier, version, ...rest };
    }
    case 'tag':
      return { ...entry.package, identifier: `${entry.package.identifier}:${version}` };
    case 'url':
      return { ...entry.package, identifier: entry.package.identifier.replace('{version}', version) };
    case 'none':
      return { ...entry.package };
  }
}

/** Mostly patch releases, sometimes a minor, rarely a major: like the real version histories. */
function bumpVersion(random: Random, semver: number[]): void {
  const roll = random.next();
  if (roll < 0.03) semver.splice(0, 3, semver[0] + 1, 0, 0);
  else if (roll < 0.2) semver.splice(1, 2, semver[1] + 1, 0);
  else semver[2]++;
}

function formatVersion(format: string, [major, minor, patch]: number[], index: number): string {
  switch (format) {
    case 'prerelease':
      return `${major}.${minor}.${patch}-beta.${index + 1}`;
    case 'vprefixed':
      return `v${major}.${minor}.${patch}`;
    case 'other':
      return `${major}.${minor}.${patch}.${index + 1}`;
    default:
      return `${major}.${minor}.${patch}`;
  }
}

/** Sampled words joined up to `length` characters (at least one word, cut to fit). */
function wordsUpTo(random: Random, words: WeightedSampler<string>, length: number, include?: string): string {
  let text = include ?? words.sample(random);
  for (let attempts = 0; attempts < 40 && text.length < length; attempts++) {
    const word = words.sample(random);
    if (text.length + 1 + word.length > length) continue;
    text += ` ${word}`;
  }
  return text.slice(0, Math.max(1, length)).trim();
}

function pseudoWord(random: Random, length: number): string {
  let word = '';
  while (word.length < length) word += random.pick(SYLLABLES);
  return word.slice(0, Math.max(2, length));
}

function stochasticRound(random: Random, value: number): number {
  const floor = Math.floor(value);
  return floor + (random.chance(value - floor) ? 1 : 0);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
