/**
 * Derives bench/registry-profile.json (distributions only, no records) from a dump of the official
 * registry: `node bench/derive-profile.ts [dump.json]`. Run once when a newer dump is available.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RegistryProfileSchema, type RegistryProfile } from '../src/lib/synthetic/profile.ts';

const DEFAULT_DUMP = '../shared/data/official-registry-2025-12-18.json';
const OUT = path.join(import.meta.dirname, 'registry-profile.json');
const TOP_DESCRIPTION_WORDS = 600;
const TOP_NAME_WORDS = 300;

interface DumpEntry {
  server: Record<string, any>;
  _meta?: Record<string, any>;
}

class Counter<T extends string | number> {
  readonly counts = new Map<T, number>();
  add(value: T): void {
    this.counts.set(value, (this.counts.get(value) ?? 0) + 1);
  }
  /** Sorted by value (numbers) or by count then value (strings), for a stable committed file. */
  entries(limit = Infinity): [T, number][] {
    const all = [...this.counts];
    if (all.every(([value]) => typeof value === 'number'))
      return all.sort((a, b) => (a[0] as number) - (b[0] as number));
    all.sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
    return all.slice(0, limit);
  }
}

const share = (part: number, whole: number): number => Math.round((part / whole) * 10_000) / 10_000;

function derive(entries: DumpEntry[], file: string): RegistryProfile {
  const byServer = new Map<string, DumpEntry[]>();
  for (const entry of entries) {
    const list = byServer.get(entry.server.name) ?? [];
    list.push(entry);
    byServer.set(entry.server.name, list);
  }

  const versionsPerServer = new Counter<number>();
  const versionFormats = new Counter<string>();
  const daysBetween = new Counter<number>();
  let laterVersions = 0;
  let changedDescriptions = 0;
  for (const list of byServer.values()) {
    versionsPerServer.add(list.length);
    const sorted = list
      .map((entry) => ({
        entry,
        at: Date.parse(entry._meta?.['io.modelcontextprotocol.registry/official']?.publishedAt),
      }))
      .sort((a, b) => a.at - b.at);
    for (let i = 1; i < sorted.length; i++) {
      laterVersions++;
      if (sorted[i].entry.server.description !== sorted[i - 1].entry.server.description) changedDescriptions++;
      if (Number.isFinite(sorted[i].at) && Number.isFinite(sorted[i - 1].at)) {
        daysBetween.add(Math.min(60, Math.round((sorted[i].at - sorted[i - 1].at) / 86_400_000)));
      }
    }
  }
  for (const { server } of entries) {
    const version = String(server.version);
    if (/^\d+\.\d+\.\d+$/.test(version)) versionFormats.add('semver');
    else if (/^\d+\.\d+\.\d+-[0-9A-Za-z.-]+$/.test(version)) versionFormats.add('prerelease');
    else if (/^v\d+\.\d+\.\d+/.test(version)) versionFormats.add('vprefixed');
    else versionFormats.add('other');
  }

  const namespaceServers = new Counter<string>();
  for (const name of byServer.keys()) namespaceServers.add(name.split('/')[0]);
  const serversPerNamespace = new Counter<number>();
  const topLevelDomains = new Counter<string>();
  const labelLength = new Counter<number>();
  let githubNamespaces = 0;
  for (const [namespace, count] of namespaceServers.counts) {
    serversPerNamespace.add(count);
    if (namespace.startsWith('io.github.')) {
      githubNamespaces++;
      labelLength.add(namespace.slice('io.github.'.length).length);
    } else {
      const labels = namespace.split('.');
      topLevelDomains.add(labels[0]);
      labelLength.add(labels[1]?.length ?? labels[0].length);
    }
  }

  const descriptionLength = new Counter<number>();
  const descriptionWords = new Counter<string>();
  const bucket = (length: number): number => Math.max(5, Math.ceil(length / 5) * 5);
  for (const { server } of entries) {
    const description = String(server.description ?? '');
    descriptionLength.add(bucket(description.length));
    for (const word of description.split(/\s+/)) {
      const clean = word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
      if (clean) descriptionWords.add(clean);
    }
  }

  const wordsPerName = new Counter<number>();
  const nameWords = new Counter<string>();
  // Only words that descriptions use too: topics, not the publishers' logins that names often repeat.
  const topicWords = new Set(
    [...descriptionWords.counts].filter(([, count]) => count >= 2).map(([word]) => word.toLowerCase()),
  );
  for (const name of byServer.keys()) {
    const words = name
      .split('/')[1]
      .split(/[-_.]+/)
      .filter(Boolean);
    wordsPerName.add(words.length);
    for (const word of words) if (topicWords.has(word.toLowerCase())) nameWords.add(word.toLowerCase());
  }

  const packagesPerVersion = new Counter<number>();
  const registryTypes = new Counter<string>();
  const runtimeHints = new Map<string, Counter<string>>();
  const transports = new Counter<string>();
  const ociHosts = new Counter<string>();
  const envPerPackage = new Counter<number>();
  const runtimeArgs = new Counter<number>();
  const packageArgs = new Counter<number>();
  let npmPackages = 0;
  let npmScoped = 0;
  let argumentsTotal = 0;
  let namedArguments = 0;
  const envSuffixes = new Counter<string>();
  const inputDescriptionLength = new Counter<number>();
  let inputs = 0;
  let described = 0;
  let secret = 0;
  let required = 0;
  let defaulted = 0;
  const countInput = (input: Record<string, any>): void => {
    inputs++;
    if (input.description) {
      described++;
      inputDescriptionLength.add(bucket(String(input.description).length));
    }
    if (input.isSecret) secret++;
    if (input.isRequired) required++;
    if (input.default !== undefined) defaulted++;
  };
  const remotesPerVersion = new Counter<number>();
  const remoteTypes = new Counter<string>();
  let remotes = 0;
  let remotesWithHeaders = 0;
  const optional = { title: 0, websiteUrl: 0, icons: 0, repository: 0, repositorySubfolder: 0, publisherMeta: 0 };

  for (const { server } of entries) {
    if (server.title) optional.title++;
    if (server.websiteUrl) optional.websiteUrl++;
    if (server.icons?.length) optional.icons++;
    if (server.repository?.url) optional.repository++;
    if (server.repository?.subfolder) optional.repositorySubfolder++;
    if (server._meta) optional.publisherMeta++;

    const packages: Record<string, any>[] = server.packages ?? [];
    packagesPerVersion.add(packages.length);
    for (const pkg of packages) {
      const type = String(pkg.registryType ?? pkg.registry_type);
      registryTypes.add(type);
      const hints = runtimeHints.get(type) ?? new Counter<string>();
      hints.add(String(pkg.runtimeHint ?? ''));
      runtimeHints.set(type, hints);
      transports.add(String(pkg.transport?.type ?? 'stdio'));
      if (type === 'npm') {
        npmPackages++;
        if (String(pkg.identifier).startsWith('@')) npmScoped++;
      }
      if (type === 'oci') {
        const first = String(pkg.identifier).split('/')[0];
        ociHosts.add(first.includes('.') ? first : 'docker.io');
      }
      const env: Record<string, any>[] = pkg.environmentVariables ?? [];
      envPerPackage.add(env.length);
      for (const variable of env) {
        countInput(variable);
        envSuffixes.add(String(variable.name).split('_').at(-1)!.toUpperCase());
      }
      for (const [list, counter] of [
        [pkg.runtimeArguments ?? [], runtimeArgs],
        [pkg.packageArguments ?? [], packageArgs],
      ] as const) {
        counter.add(list.length);
        for (const argument of list) {
          argumentsTotal++;
          if (argument.type === 'named') namedArguments++;
          countInput(argument);
        }
      }
    }
    const serverRemotes: Record<string, any>[] = server.remotes ?? [];
    remotesPerVersion.add(serverRemotes.length);
    for (const remote of serverRemotes) {
      remotes++;
      remoteTypes.add(String(remote.type));
      if (remote.headers?.length) remotesWithHeaders++;
    }
  }
  const rareRemoteCounts = remotesPerVersion.entries().filter(([count]) => count <= 4);

  return RegistryProfileSchema.parse({
    source: { file: path.basename(file), servers: byServer.size, versions: entries.length },
    versionsPerServer: versionsPerServer.entries(),
    versionFormats: versionFormats.entries(),
    daysBetweenVersions: daysBetween.entries(),
    namespaces: {
      githubShare: share(githubNamespaces, namespaceServers.counts.size),
      serversPerNamespace: serversPerNamespace.entries(),
      topLevelDomains: topLevelDomains.entries(),
      labelLength: labelLength.entries(),
    },
    names: { wordsPerName: wordsPerName.entries(), words: nameWords.entries(TOP_NAME_WORDS) },
    descriptions: {
      length: descriptionLength.entries(),
      words: descriptionWords.entries(TOP_DESCRIPTION_WORDS),
      changeShare: share(changedDescriptions, Math.max(1, laterVersions)),
    },
    optionalFields: Object.fromEntries(
      Object.entries(optional).map(([key, count]) => [key, share(count, entries.length)]),
    ),
    packages: {
      perVersion: packagesPerVersion.entries(),
      registryTypes: registryTypes.entries(),
      runtimeHints: Object.fromEntries(
        [...runtimeHints].sort(([a], [b]) => a.localeCompare(b)).map(([type, c]) => [type, c.entries()]),
      ),
      transports: transports.entries(),
      npmScopedShare: share(npmScoped, Math.max(1, npmPackages)),
      ociHosts: ociHosts.entries(),
      environmentVariablesPerPackage: envPerPackage.entries(),
      runtimeArgumentsPerPackage: runtimeArgs.entries(),
      packageArgumentsPerPackage: packageArgs.entries(),
      namedArgumentShare: share(namedArguments, Math.max(1, argumentsTotal)),
    },
    inputs: {
      envNameSuffixes: envSuffixes.entries(40),
      descriptionShare: share(described, inputs),
      descriptionLength: inputDescriptionLength.entries(),
      secretShare: share(secret, inputs),
      requiredShare: share(required, inputs),
      defaultShare: share(defaulted, inputs),
    },
    remotes: {
      // Counts above 4 are single outliers (one server listing 30 regional endpoints): dropped.
      perVersion: rareRemoteCounts,
      types: remoteTypes.entries(),
      headersShare: share(remotesWithHeaders, Math.max(1, remotes)),
    },
  });
}

const dump = path.resolve(process.argv[2] ?? DEFAULT_DUMP);
const profile = derive(JSON.parse(readFileSync(dump, 'utf8')) as DumpEntry[], dump);
writeFileSync(OUT, `${JSON.stringify(profile)}\n`);
console.log(
  `wrote ${path.relative(process.cwd(), OUT)}: ${profile.source.servers} servers, ${profile.source.versions} versions`,
);
