/**
 * Loads a registry-data folder (or any list of source files) into the model, validating everything
 * on the way: each manifest, its place in the layout, the registry-managed facts, the curation ids,
 * then the registry-wide rules. Bad data never throws; it becomes problems, and the records that are
 * still sound are loaded so one bad file never hides the state of the others.
 */
import path from 'node:path';
import type { Problem } from '../problems.ts';
import { jsonPath } from '../problems.ts';
import { validateManifestText } from '../validate/manifest.ts';
import type { ServerFacts, Vocabulary } from './facts.ts';
import { ServerFactsSchema, VocabularySchema } from './facts.ts';
import { dataRoot, factsFile, FACTS_FILE, SERVERS_DIR, splitName, VERSIONS_DIR, VOCABULARY_FILE, versionFileName } from './layout.ts';
import { byPublishOrder, comparePublishTimes, pickLatest } from './latest.ts';
import type { Registry, ServerRecord, VersionRecord } from './model.ts';
import type { ManifestEntry } from './registry-rules.ts';
import { checkRegistryWide } from './registry-rules.ts';
import type { SourceFile } from './source.ts';
import { readLocalSource } from './source.ts';

export interface LoadResult {
  registry: Registry;
  /** Sorted by file, position, code. The registry is only fit to publish when none is an error. */
  problems: Problem[];
}

export interface LoadOptions {
  /**
   * Prefix for file names in problems (e.g. `registry-data`), so messages and CI annotations name
   * files as the user sees them. Model records keep data-root-relative paths.
   */
  root?: string;
}

/** Loads and validates the data folder `root` (default: `dataRoot()`, which honours REGISTRY_DATA). */
export async function loadRegistry(root: string = dataRoot()): Promise<LoadResult> {
  const source = await readLocalSource(root);
  const loaded = loadRegistryFromFiles(source.files);
  return finish(loaded.registry, [...source.problems, ...loaded.problems], { root: displayRoot(root) });
}

const VERSION_PATH = new RegExp(`^${SERVERS_DIR}/([^/]+)/([^/]+)/${VERSIONS_DIR}/([^/]+)\\.json$`);
const FACTS_PATH = new RegExp(`^${SERVERS_DIR}/([^/]+)/([^/]+)/${FACTS_FILE.replace('.', '\\.')}$`);

interface ServerFolder {
  /** `namespace/name` as spelled by the folders. */
  name: string;
  versionFiles: SourceFile[];
  factsFile?: SourceFile;
}

export function loadRegistryFromFiles(files: readonly SourceFile[], options: LoadOptions = {}): LoadResult {
  const problems: Problem[] = [];
  const folders = new Map<string, ServerFolder>();
  const folder = (namespace: string, name: string): ServerFolder => {
    const key = `${namespace}/${name}`;
    let found = folders.get(key);
    if (!found) folders.set(key, (found = { name: key, versionFiles: [] }));
    return found;
  };
  let vocabulary: Vocabulary = { categories: [], tags: [] };
  for (const file of files) {
    const versionMatch = VERSION_PATH.exec(file.path);
    const factsMatch = FACTS_PATH.exec(file.path);
    if (versionMatch) folder(versionMatch[1]!, versionMatch[2]!).versionFiles.push(file);
    else if (factsMatch) folder(factsMatch[1]!, factsMatch[2]!).factsFile = file;
    else if (file.path === VOCABULARY_FILE) vocabulary = parseVocabulary(file, problems) ?? vocabulary;
    else problems.push(misplacedFile(file.path));
  }

  const entries: ManifestEntry[] = [];
  const servers: ServerRecord[] = [];
  for (const serverFolder of [...folders.values()].sort((a, b) => compareStrings(a.name, b.name))) {
    const record = loadServer(serverFolder, vocabulary, problems, entries);
    if (record) servers.push(record);
  }
  problems.push(...checkRegistryWide(entries, factsFile));
  return finish({ servers, vocabulary }, problems, options);
}

function loadServer(
  folder: ServerFolder,
  vocabulary: Vocabulary,
  problems: Problem[],
  entries: ManifestEntry[],
): ServerRecord | undefined {
  const facts = folder.factsFile ? parseFacts(folder.factsFile, problems) : undefined;
  const factsPath = factsFile(folder.name);
  const versions: VersionRecord[] = [];
  const fileNames = new Set(folder.versionFiles.map((file) => file.path.slice(file.path.lastIndexOf('/') + 1)));
  for (const file of folder.versionFiles) {
    const result = validateManifestText(file.text, file.path);
    problems.push(...result.problems);
    const server = result.server;
    if (!server) continue;
    const versionFacts = facts?.versions[server.version];
    entries.push({ file: file.path, server, status: versionFacts?.status, publishedAt: versionFacts?.publishedAt });
    const fileName = file.path.slice(file.path.lastIndexOf('/') + 1);
    if (server.name !== folder.name || fileName !== versionFileName(server.version)) {
      problems.push({
        code: 'folder-mismatch',
        severity: 'error',
        file: file.path,
        path: server.name !== folder.name ? '$.name' : '$.version',
        message: `a manifest for ${server.name} version ${JSON.stringify(server.version)} must be at ${SERVERS_DIR}/${server.name}/${VERSIONS_DIR}/${versionFileName(server.version)}`,
        hint: 'Move the file to the path named here, or correct the name/version inside it.',
      });
      continue;
    }
    if (!versionFacts) {
      problems.push({
        code: 'facts-missing',
        severity: 'error',
        file: file.path,
        path: '$.version',
        message: `${factsPath} has no facts (status, publish time) for version ${JSON.stringify(server.version)}`,
        hint: `Add "${server.version}" to "versions" in ${factsPath}, or run \`npm run import\` for data from the official registry.`,
      });
      continue;
    }
    versions.push({
      server,
      sourceSchemaVersion: result.sourceSchemaVersion ?? '',
      file: file.path,
      status: versionFacts.status,
      ...(versionFacts.statusMessage !== undefined && { statusMessage: versionFacts.statusMessage }),
      ...(versionFacts.statusChangedAt !== undefined && { statusChangedAt: versionFacts.statusChangedAt }),
      publishedAt: versionFacts.publishedAt,
      updatedAt: versionFacts.updatedAt,
      isLatest: false,
    });
  }
  if (folder.factsFile && facts) {
    for (const version of Object.keys(facts.versions).sort(compareStrings)) {
      if (!fileNames.has(versionFileName(version)))
        problems.push(
          at(folder.factsFile, ['versions', version], {
            code: 'facts-orphan',
            severity: 'error',
            message: `facts for version ${JSON.stringify(version)}, which has no file at ${SERVERS_DIR}/${folder.name}/${VERSIONS_DIR}/${versionFileName(version)}`,
            hint: 'Remove this entry, or add the version file it describes.',
          }),
        );
    }
    checkCuration(folder.factsFile, facts, vocabulary, problems);
  }
  if (versions.length === 0 || !facts) return undefined;

  // Newest publish first; equal times by version string so the order never depends on the input.
  versions.sort((a, b) => byPublishOrder(b, a));
  const latest = pickLatest(versions);
  if (latest) latest.isLatest = true;
  const [namespace, shortName] = splitName(folder.name);
  return {
    name: folder.name,
    namespace,
    shortName,
    versions,
    latest,
    curation: facts.curation,
    updatedAt: versions
      .flatMap((version) => [version.publishedAt, version.updatedAt])
      .reduce((max, time) => (comparePublishTimes(time, max) > 0 ? time : max)),
  };
}

function parseFacts(file: SourceFile, problems: Problem[]): ServerFacts | undefined {
  const raw = parseDataJson(file, problems);
  if (raw === undefined) return undefined;
  const parsed = ServerFactsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues)
    problems.push(
      at(file, issue.path as PropertyKey[], {
        code: 'facts-invalid',
        severity: 'error',
        message: issue.message,
        hint: 'registry.json holds registry-managed facts: compare it with registry-data/README.md, or re-run `npm run import`.',
      }),
    );
  return undefined;
}

function parseVocabulary(file: SourceFile, problems: Problem[]): Vocabulary | undefined {
  const raw = parseDataJson(file, problems);
  if (raw === undefined) return undefined;
  const parsed = VocabularySchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      problems.push(
        at(file, issue.path as PropertyKey[], {
          code: 'vocabulary-invalid',
          severity: 'error',
          message: issue.message,
          hint: 'Each category and tag needs a kebab-case id and a label.',
        }),
      );
    return undefined;
  }
  for (const kind of ['categories', 'tags'] as const) {
    const seen = new Set<string>();
    parsed.data[kind].forEach((term, index) => {
      if (seen.has(term.id))
        problems.push(
          at(file, [kind, index, 'id'], {
            code: 'vocabulary-invalid',
            severity: 'error',
            message: `${kind} id ${JSON.stringify(term.id)} is defined twice`,
            hint: 'Give every term a unique id.',
          }),
        );
      seen.add(term.id);
    });
  }
  return parsed.data;
}

function checkCuration(file: SourceFile, facts: ServerFacts, vocabulary: Vocabulary, problems: Problem[]): void {
  for (const kind of ['categories', 'tags'] as const) {
    const known = new Set(vocabulary[kind].map((term) => term.id));
    facts.curation[kind].forEach((id, index) => {
      if (!known.has(id))
        problems.push(
          at(file, ['curation', kind, index], {
            code: kind === 'categories' ? 'unknown-category' : 'unknown-tag',
            severity: 'error',
            message: `${JSON.stringify(id)} is not one of the ${kind} in ${VOCABULARY_FILE}`,
            hint: `Use an id listed under "${kind}" in ${VOCABULARY_FILE}, or add it there first.`,
          }),
        );
    });
  }
}

/** Parses a registry-managed JSON file (registry.json, vocabulary.json). */
function parseDataJson(file: SourceFile, problems: Problem[]): unknown {
  try {
    return JSON.parse(file.text);
  } catch (error) {
    problems.push({
      code: 'json-syntax',
      severity: 'error',
      file: file.path,
      path: '$',
      message: `not valid JSON: ${(error as Error).message}`,
      hint: 'Fix the JSON syntax at the position named in the message.',
    });
    return undefined;
  }
}

/** A problem located at a JSON path inside a data file. */
function at(file: SourceFile, segments: readonly PropertyKey[], problem: Omit<Problem, 'file' | 'path'>): Problem {
  return { ...problem, file: file.path, path: jsonPath(segments) };
}

function misplacedFile(file: string): Problem {
  const isJson = file.endsWith('.json');
  return {
    code: 'misplaced-file',
    severity: isJson ? 'error' : 'warning',
    file,
    path: '$',
    message: isJson
      ? 'this JSON file is not where the registry looks for manifests or facts, so it is ignored'
      : 'this file is not part of the registry layout and is ignored',
    hint: `Manifests go in ${SERVERS_DIR}/<namespace>/<name>/${VERSIONS_DIR}/<version>.json, facts in ${SERVERS_DIR}/<namespace>/<name>/${FACTS_FILE}.`,
  };
}

function finish(registry: Registry, problems: Problem[], options: LoadOptions): LoadResult {
  const prefix = options.root;
  const located = prefix === undefined ? problems : problems.map((p) => ({ ...p, file: path.posix.join(prefix, p.file) }));
  return { registry, problems: located.sort(compareProblems) };
}

/** How to name the data folder in messages: relative to the working directory when inside it. */
function displayRoot(root: string): string {
  const relative = path.relative(process.cwd(), root);
  const inside = relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
  return (inside ? relative || '.' : path.resolve(root)).split(path.sep).join('/');
}

export function compareProblems(a: Problem, b: Problem): number {
  return (
    compareStrings(a.file, b.file) ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    compareStrings(a.path, b.path) ||
    compareStrings(a.code, b.code) ||
    compareStrings(a.message, b.message)
  );
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
