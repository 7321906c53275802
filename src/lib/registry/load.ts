/**
 * Loads a registry-data folder (or any list of source files) into the model, validating everything
 * on the way: each manifest, its place in the layout, the registry-managed facts, the curation ids,
 * then the registry-wide rules. Bad data never throws; it becomes problems, and the records that are
 * still sound are loaded, so one bad file never hides the state of the others.
 */
import path from 'node:path';
import type { z } from 'zod';
import { locateJsonPaths, parseJson, parseJsonPath } from '../json/parse.ts';
import type { Problem } from '../problems.ts';
import { jsonPath } from '../problems.ts';
import type { RuleCode } from '../rule-codes.ts';
import { ruleProblem } from '../rule-codes.ts';
import { apiPathProblems } from './api-paths.ts';
import type { ManifestResult } from '../validate/manifest.ts';
import { validateManifestText } from '../validate/manifest.ts';
import type { ServerFacts, Vocabulary } from './facts.ts';
import { ServerFactsSchema, VocabularySchema } from './facts.ts';
import {
  dataRoot,
  FACTS_FILE,
  factsFile,
  POLICY_FILE,
  PROBE_FILE,
  PROBE_RUN_FILE,
  SERVERS_DIR,
  splitName,
  SYNC_STATE_FILE,
  VERSIONS_DIR,
  VOCABULARY_FILE,
  versionFile,
} from './layout.ts';
import type { Policy } from './policy.ts';
import { PolicySchema } from './policy.ts';
import type { SyncState } from './sync-state.ts';
import { SyncStateSchema } from './sync-state.ts';
import { byPublishOrder, comparePublishTimes, pickLatest } from './latest.ts';
import type { Registry, ServerRecord, VersionRecord } from './model.ts';
import type { ProbeFile, ProbeRun } from './probe-facts.ts';
import { MAX_PROBE_FILE_BYTES, ProbeFileSchema, ProbeRunSchema } from './probe-facts.ts';
import type { ManifestEntry } from './registry-rules.ts';
import { checkRegistryWide } from './registry-rules.ts';
import type { SourceFile } from './source.ts';
import { readLocalSource } from './source.ts';

export interface LoadResult {
  registry: Registry;
  /** Sorted by file, position, code. The registry is only fit to publish when none is an error. */
  problems: Problem[];
  /**
   * Every manifest that validated, by data-root-relative file, including those the model leaves out
   * for a registry-wide problem (a wrong folder, no facts): callers never parse a manifest again.
   */
  manifests: readonly ManifestEntry[];
}

export interface LoadOptions {
  /**
   * Prefix for file names in problems (e.g. `registry-data`), so messages and CI annotations name
   * files as the user sees them. Model records keep data-root-relative paths.
   */
  root?: string;
  /**
   * Manifests already validated by the caller (an import validates every record first), by path: a
   * file whose text is the same is not validated twice.
   */
  validated?: ReadonlyMap<string, ValidatedManifest>;
}

export interface ValidatedManifest {
  text: string;
  result: ManifestResult;
}

/** Loads and validates the data folder `root` (default: `dataRoot()`, which honours REGISTRY_DATA). */
export async function loadRegistry(root: string = dataRoot()): Promise<LoadResult> {
  const source = await readLocalSource(root);
  const loaded = loadRegistryFromFiles(source.files);
  return withRoot({ ...loaded, problems: [...source.problems, ...loaded.problems] }, displayRoot(root));
}

const VERSION_PATH = new RegExp(`^${SERVERS_DIR}/([^/]+)/([^/]+)/${VERSIONS_DIR}/[^/]+\\.json$`);
const FACTS_PATH = new RegExp(`^${SERVERS_DIR}/([^/]+)/([^/]+)/${FACTS_FILE.replace('.', '\\.')}$`);
const PROBE_PATH = new RegExp(`^${SERVERS_DIR}/([^/]+)/([^/]+)/${PROBE_FILE.replace('.', '\\.')}$`);

interface ServerFolder {
  /** `namespace/name` as spelled by the folders. */
  name: string;
  versionFiles: SourceFile[];
  factsFile?: SourceFile;
  probeFile?: SourceFile;
}

export function loadRegistryFromFiles(files: readonly SourceFile[], options: LoadOptions = {}): LoadResult {
  const problems: Problem[] = [];
  const folders = new Map<string, ServerFolder>();
  const folderOf = (namespace: string, name: string): ServerFolder => {
    const key = `${namespace}/${name}`;
    let found = folders.get(key);
    if (!found) folders.set(key, (found = { name: key, versionFiles: [] }));
    return found;
  };
  let vocabulary: Vocabulary = { categories: [], tags: [] };
  let probeRun: ProbeRun | undefined;
  for (const file of files) {
    const versionMatch = VERSION_PATH.exec(file.path);
    const factsMatch = FACTS_PATH.exec(file.path);
    const probeMatch = PROBE_PATH.exec(file.path);
    if (versionMatch) folderOf(versionMatch[1]!, versionMatch[2]!).versionFiles.push(file);
    else if (factsMatch) folderOf(factsMatch[1]!, factsMatch[2]!).factsFile = file;
    else if (probeMatch) folderOf(probeMatch[1]!, probeMatch[2]!).probeFile = file;
    else if (file.path === VOCABULARY_FILE) vocabulary = parseVocabulary(file, problems) ?? vocabulary;
    else if (file.path === PROBE_RUN_FILE) probeRun = parseProbe(file, ProbeRunSchema, problems);
    else if (file.path === POLICY_FILE) parsePolicy(file, problems);
    else if (file.path === SYNC_STATE_FILE) parseSyncState(file, problems);
    else if (file.path.endsWith('.json'))
      problems.push(
        ruleProblem(
          'misplaced-file',
          file.path,
          '$',
          'this JSON file is not where the registry looks for manifests or facts, so it is ignored',
        ),
      );
    else
      problems.push(
        ruleProblem('unexpected-file', file.path, '$', 'this file is not part of the registry layout and is ignored'),
      );
  }

  const entries: ManifestEntry[] = [];
  const servers: ServerRecord[] = [];
  for (const folder of [...folders.values()].sort((a, b) => compareStrings(a.name, b.name))) {
    const record = loadServer(folder, vocabulary, problems, entries, options.validated);
    if (record) servers.push(record);
  }
  problems.push(...checkRegistryWide(entries, factsFile), ...apiPathProblems(servers));
  addPositions(problems, files);
  const registry: Registry = { servers, vocabulary };
  if (probeRun) registry.probeRun = probeRun;
  return withRoot({ registry, problems, manifests: entries }, options.root);
}

function loadServer(
  folder: ServerFolder,
  vocabulary: Vocabulary,
  problems: Problem[],
  entries: ManifestEntry[],
  validated: LoadOptions['validated'],
): ServerRecord | undefined {
  const facts = folder.factsFile ? parseFacts(folder.factsFile, problems) : undefined;
  const factsPath = factsFile(folder.name);
  const versions: VersionRecord[] = [];
  // In path order, so `manifests` never depends on the order the files came in.
  for (const file of folder.versionFiles.sort((a, b) => compareStrings(a.path, b.path))) {
    const known = validated?.get(file.path);
    const result =
      known?.text === file.text
        ? { ...known.result, problems: known.result.problems.map((p) => ({ ...p, file: file.path })) }
        : validateManifestText(file.text, file.path);
    problems.push(...result.problems);
    const server = result.server;
    if (!server) continue;
    const versionFacts = facts?.versions[server.version];
    entries.push({ file: file.path, server, status: versionFacts?.status, publishedAt: versionFacts?.publishedAt });
    const expected = versionFile(server.name, server.version);
    if (file.path !== expected) {
      const field = server.name === folder.name ? '$.version' : '$.name';
      problems.push(
        ruleProblem(
          'folder-mismatch',
          file.path,
          field,
          `${server.name} version ${JSON.stringify(server.version)} belongs at ${expected}`,
        ),
      );
      continue;
    }
    if (!versionFacts) {
      problems.push(
        ruleProblem(
          'facts-missing',
          file.path,
          '$.version',
          `${factsPath} has no facts (status, publish time) for version ${JSON.stringify(server.version)}`,
        ),
      );
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
  if (!facts) return undefined;
  const filePaths = new Set(folder.versionFiles.map((file) => file.path));
  for (const version of Object.keys(facts.versions).sort(compareStrings)) {
    if (!filePaths.has(versionFile(folder.name, version)))
      problems.push(
        ruleProblem(
          'facts-orphan',
          factsPath,
          jsonPath(['versions', version]),
          `facts for version ${JSON.stringify(version)}, but there is no ${versionFile(folder.name, version)}`,
        ),
      );
  }
  checkCuration(factsPath, facts, vocabulary, problems);
  if (versions.length === 0) return undefined;

  // Newest publish first; equal times by version string, so the order never depends on the input.
  versions.sort((a, b) => byPublishOrder(b, a));
  const latest = pickLatest(versions);
  if (latest) latest.isLatest = true;
  const [namespace, shortName] = splitName(folder.name);
  const probe = folder.probeFile ? parseProbe(folder.probeFile, ProbeFileSchema, problems) : undefined;
  const provenance = facts.provenance;
  return {
    ...(probe && { probe }),
    ...(provenance && {
      listing: {
        source: provenance.source,
        listedSince: provenance.listedSince,
        firstSyncedAt: provenance.firstSyncedAt,
      },
    }),
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

/** A registry-managed JSON file checked against its schema; undefined (with problems) when it does not match. */
function parseManaged<T>(
  file: SourceFile,
  schema: z.ZodType<T>,
  code: RuleCode,
  problems: Problem[],
  maxBytes?: number,
): T | undefined {
  const raw = parseDataJson(file, problems, maxBytes);
  if (raw === undefined) return undefined;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  problems.push(...schemaProblems(code, file.path, parsed.error.issues));
  return undefined;
}

const parseFacts = (file: SourceFile, problems: Problem[]): ServerFacts | undefined =>
  parseManaged(file, ServerFactsSchema, 'facts-invalid', problems);

const parseProbe = <T extends ProbeFile | ProbeRun>(file: SourceFile, schema: z.ZodType<T>, problems: Problem[]) =>
  parseManaged(file, schema, 'probe-invalid', problems, MAX_PROBE_FILE_BYTES);

export const parsePolicy = (file: SourceFile, problems: Problem[]): Policy | undefined =>
  parseManaged(file, PolicySchema, 'policy-invalid', problems);

export const parseSyncState = (file: SourceFile, problems: Problem[]): SyncState | undefined =>
  parseManaged(file, SyncStateSchema, 'sync-state-invalid', problems);

function parseVocabulary(file: SourceFile, problems: Problem[]): Vocabulary | undefined {
  const vocabulary = parseManaged(file, VocabularySchema, 'vocabulary-invalid', problems);
  if (vocabulary === undefined) return undefined;
  for (const kind of ['categories', 'tags'] as const) {
    const seen = new Set<string>();
    vocabulary[kind].forEach((term, index) => {
      if (seen.has(term.id))
        problems.push(
          ruleProblem(
            'vocabulary-invalid',
            file.path,
            jsonPath([kind, index, 'id']),
            `${kind} id ${JSON.stringify(term.id)} is defined twice`,
          ),
        );
      seen.add(term.id);
    });
  }
  return vocabulary;
}

function checkCuration(factsPath: string, facts: ServerFacts, vocabulary: Vocabulary, problems: Problem[]): void {
  for (const kind of ['categories', 'tags'] as const) {
    const known = new Set(vocabulary[kind].map((term) => term.id));
    const code = kind === 'categories' ? 'unknown-category' : 'unknown-tag';
    facts.curation[kind].forEach((id, index) => {
      if (!known.has(id))
        problems.push(
          ruleProblem(
            code,
            factsPath,
            jsonPath(['curation', kind, index]),
            `${JSON.stringify(id)} is not one of the ${kind} in ${VOCABULARY_FILE}`,
          ),
        );
    });
  }
}

/** Parses a registry-managed JSON file (registry.json, vocabulary.json) with the manifests' limits. */
function parseDataJson(file: SourceFile, problems: Problem[], maxBytes?: number): unknown {
  const parsed = parseJson(file.text, { maxBytes });
  if (parsed.ok) return parsed.value;
  problems.push({
    ...ruleProblem(parsed.code, file.path, '$', parsed.message),
    line: parsed.position.line,
    column: parsed.position.column,
  });
  return undefined;
}

function schemaProblems(
  code: RuleCode,
  file: string,
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): Problem[] {
  return issues.map((issue) => ruleProblem(code, file, jsonPath(issue.path), issue.message));
}

/** Fills in line and column for problems that name a JSON path but no position yet. */
function addPositions(problems: Problem[], files: readonly SourceFile[]): void {
  const unplaced = new Map<string, Problem[]>();
  for (const problem of problems) {
    if (problem.line !== undefined) continue;
    unplaced.set(problem.file, [...(unplaced.get(problem.file) ?? []), problem]);
  }
  for (const file of files) {
    const waiting = unplaced.get(file.path);
    if (!waiting) continue;
    const positions = locateJsonPaths(
      file.text,
      waiting.map((problem) => parseJsonPath(problem.path) ?? []),
    );
    waiting.forEach((problem, index) => {
      const position = positions[index];
      if (position) Object.assign(problem, { line: position.line, column: position.column });
    });
  }
}

function withRoot(result: LoadResult, root: string | undefined): LoadResult {
  const problems =
    root === undefined ? result.problems : result.problems.map((p) => ({ ...p, file: path.posix.join(root, p.file) }));
  return { ...result, problems: problems.sort(compareProblems) };
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
