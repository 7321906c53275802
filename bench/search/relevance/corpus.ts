/**
 * The relevance corpus: the official registry's 11,978 servers of 2026-06-12 (names, descriptions,
 * namespaces, repositories; titles and packages where registry-data/ has the server), read from the
 * committed fixture, turned into registry records and published through the real index builder, so the
 * engine under test sees exactly what a site built from that registry would ship.
 *
 * At 25k the real rows are followed by synthetic copies: real descriptions, titles and short names under
 * new namespaces (as forks and republished wrappers are), grouped as the real namespaces are, so the
 * copies compete for the same queries and crowd the same way.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import type { Registry, ServerRecord } from '../../../src/lib/registry/model.ts';
import type { Package, ServerJson } from '../../../src/lib/schema/server.ts';
import { buildSearchIndex } from '../../../src/lib/search/build.ts';
import type { SearchIndexFile } from '../../../src/lib/search/index-file.ts';
import { Random } from '../../../src/lib/synthetic/random.ts';

export const CORPUS_FILE = path.resolve(import.meta.dirname, '../../../test/fixtures/search/official-2026-06.json.br');

/** Columnar, one entry per server, sorted by name. */
export interface CorpusFile {
  source: string;
  name: string[];
  description: string[];
  /** Empty when unknown. */
  title: string[];
  /** `registryType:identifier` pairs, space separated; empty when unknown. */
  packages: string[];
  status: ('active' | 'deprecated')[];
  /** `local`, `remote` or `unknown`, as the summary says. */
  type: string[];
  /** `YYYY-MM-DD` of the last update. */
  updated: string[];
  /** Repository URL, empty when none. */
  repository: string[];
}

export interface CorpusRow {
  name: string;
  description: string;
  title: string;
  packages: { registryType: string; identifier: string }[];
  status: 'active' | 'deprecated';
  type: string;
  updated: string;
  repository: string;
}

/** The 11,978 real servers, sorted by name. */
export function readCorpus(file = CORPUS_FILE): CorpusRow[] {
  const corpus = JSON.parse(brotliDecompressSync(readFileSync(file)).toString('utf8')) as CorpusFile;
  return corpus.name.map((name, at) => ({
    name,
    description: corpus.description[at],
    title: corpus.title[at],
    packages: corpus.packages[at]
      .split(' ')
      .filter(Boolean)
      .map((pair) => {
        const colon = pair.indexOf(':');
        return { registryType: pair.slice(0, colon), identifier: pair.slice(colon + 1) };
      }),
    status: corpus.status[at],
    type: corpus.type[at],
    updated: corpus.updated[at],
    repository: corpus.repository[at],
  }));
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ra', 'ne', 'to', 'vi', 'su', 'da', 'pe', 'zo', 'bi', 'ha', 'ju', 'fe', 'go'];

/**
 * `rows` followed by synthetic copies up to `total` servers. Each synthetic namespace takes the size and
 * the form (`io.github.<login>` or reverse DNS) of a real namespace, drawn at random, and its servers copy
 * the description, title, short name and update day of random real servers; a repository, if the copied
 * server had one, moves to the new owner. No packages: those are unique to their publisher.
 */
export function withSyntheticCopies(rows: readonly CorpusRow[], total: number, seed = 20260612): CorpusRow[] {
  const random = new Random(seed);
  const namespaces = [...Map.groupBy(rows, (row) => namespaceOf(row.name)).entries()];
  const result = [...rows];
  const taken = new Set(rows.map((row) => row.name.toLowerCase()));
  while (result.length < total) {
    const [realNamespace, members] = random.pick(namespaces);
    const label = Array.from({ length: random.int(3, 5) }, () => random.pick(SYLLABLES)).join('');
    const github = realNamespace.startsWith('io.github.');
    const namespace = github ? `io.github.${label}` : `${realNamespace.split('.')[0]}.${label}`;
    for (let count = 0; count < members.length && result.length < total; count++) {
      const copied = random.pick(rows);
      const shortName = copied.name.slice(copied.name.indexOf('/') + 1);
      let name = `${namespace}/${shortName}`;
      for (let suffix = 2; taken.has(name.toLowerCase()); suffix++) name = `${namespace}/${shortName}-${suffix}`;
      taken.add(name.toLowerCase());
      const repositoryName = copied.repository.split('/')[4];
      result.push({
        ...copied,
        name,
        packages: [],
        repository: repositoryName ? `https://github.com/${label}/${repositoryName}` : '',
      });
    }
  }
  return result;
}

export function namespaceOf(name: string): string {
  return name.slice(0, name.indexOf('/'));
}

/** Registry records of the rows: one active or deprecated version each, as the summary describes it. */
export function corpusRegistry(rows: readonly CorpusRow[]): Registry {
  const servers = rows.map((row): ServerRecord => {
    const updatedAt = `${row.updated}T00:00:00Z`;
    const server: ServerJson = {
      name: row.name,
      description: row.description,
      version: '1.0.0',
      ...(row.title ? { title: row.title } : {}),
      ...(row.repository ? { repository: { url: row.repository, source: 'github' } } : {}),
      ...(row.packages.length > 0
        ? { packages: row.packages.map((pkg) => ({ ...pkg, transport: { type: 'stdio' } }) as Package) }
        : {}),
    };
    const version = {
      server,
      sourceSchemaVersion: '2025-12-11',
      file: `servers/${row.name}/versions/1.0.0.json`,
      status: row.status,
      publishedAt: updatedAt,
      updatedAt,
      isLatest: true,
    };
    return {
      name: row.name,
      namespace: namespaceOf(row.name),
      shortName: row.name.slice(row.name.indexOf('/') + 1),
      versions: [version],
      latest: version,
      curation: { categories: [], tags: [] },
      updatedAt,
    };
  });
  return { servers: servers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) };
}

/** The search index a site built from these rows would publish. */
export function corpusIndex(rows: readonly CorpusRow[]): SearchIndexFile {
  return buildSearchIndex(corpusRegistry(rows));
}
