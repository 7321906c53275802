/**
 * Imports official registry records into a data folder: each version's `server` verbatim into
 * versions/<version>.json and the official facts into registry.json. Idempotent: what is already
 * there is left alone and reported unchanged. Only what the official registry itself would refuse is
 * refused (manifest errors, registry-wide conflicts), plus any change to a published version file
 * (`version-immutable`).
 *
 * Planning and writing are separate: `planImport` checks everything in memory, against the data folder
 * as it would be after the import, and returns the files to write; `applyImport` writes them (each
 * with a rename). `npm run import` does both at once; `npm run sync` records the plan first, so that a
 * run is applied whole or not at all.
 *
 * Planning reads only what the records can conflict with: the folders of the servers they belong to,
 * the folders whose names differ from theirs only by case, and the folders of servers whose manifests
 * mention one of their remote URLs. The registry-wide rules over that subset give the same answer for
 * the records as over the whole folder, and an incremental sync of a few records into a registry of
 * 25,000 servers does not validate all of it.
 */
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parentFolderMaker } from '../parent-folders.ts';
import { parseJson } from '../json/parse.ts';
import { serializeFacts } from '../pr/stamp.ts';
import type { Problem } from '../problems.ts';
import { hasErrors } from '../problems.ts';
import { ruleProblem } from '../rule-codes.ts';
import type { ServerFacts, VersionFacts, VersionStatus, Vocabulary } from '../registry/facts.ts';
import { ServerFactsSchema, VocabularySchema } from '../registry/facts.ts';
import {
  FACTS_FILE,
  factsFile,
  SERVERS_DIR,
  serverDir,
  VERSIONS_DIR,
  VOCABULARY_FILE,
  versionFile,
} from '../registry/layout.ts';
import { byPublishOrder, comparePublishTimes } from '../registry/latest.ts';
import type { ValidatedManifest } from '../registry/load.ts';
import { loadRegistryFromFiles } from '../registry/load.ts';
import type { ServerJson } from '../schema/server.ts';
import type { SourceFile } from '../registry/source.ts';
import { listServerFolders, readFolderTexts, readLocalFolders } from '../registry/source.ts';
import { validateManifestText } from '../validate/manifest.ts';
import { suggestCuration } from './curate.ts';
import type { ImportRecord } from './official.ts';

export type OutcomeKind = 'added' | 'updated' | 'unchanged' | 'refused';

export interface StatusChange {
  from: VersionStatus;
  to: VersionStatus;
  message?: string;
  at?: string;
}

export interface ImportOutcome {
  kind: OutcomeKind;
  origin: string;
  /** `name@version`, or the origin when the record has no string name and version. */
  label: string;
  /** Why a record was refused (errors only). */
  problems: Problem[];
  /** An `updated` version whose status or status message changed. */
  statusChange?: StatusChange;
  /** A version whose status a maintainer set here: the upstream status it was not given. */
  keptMaintainerStatus?: { kept: VersionStatus; upstream: VersionStatus };
  /** The first version of a server new to the data folder. */
  newServer?: boolean;
}

export interface ImportSummary {
  outcomes: ImportOutcome[];
  counts: Record<OutcomeKind, number>;
  /** Data-root-relative paths written, sorted. Empty when nothing changed. */
  written: string[];
}

export interface ImportPlan {
  outcomes: ImportOutcome[];
  counts: Record<OutcomeKind, number>;
  /** The files to write, data-root-relative, sorted by path. */
  writes: Map<string, string>;
}

export interface ImportOptions {
  /**
   * Records taken from an upstream registry by a sync: servers keep their provenance (the source, since
   * when they are listed there, when the sync first took them), and a status a maintainer set here is
   * never replaced by the upstream one.
   */
  upstream?: { source: string; seenAt: string };
}

/** Stable formatting of every JSON file the registry writes. */
export const formatJson = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

interface Planned {
  record: ImportRecord;
  server: ServerJson;
  file: string;
  text: string;
  facts: VersionFacts;
  /** True when the version file already holds this content. */
  present: boolean;
}

/** Plans, then writes: the import as one call. */
export async function importRecords(
  records: readonly ImportRecord[],
  into: string,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const plan = await planImport(records, into, options);
  applyImport(into, plan.writes);
  return { outcomes: plan.outcomes, counts: plan.counts, written: [...plan.writes.keys()] };
}

export async function planImport(
  records: readonly ImportRecord[],
  into: string,
  options: ImportOptions = {},
): Promise<ImportPlan> {
  const outcomes = new Map<ImportRecord, ImportOutcome>();
  const refuse = (record: ImportRecord, label: string, problems: Problem[]) =>
    outcomes.set(record, {
      kind: 'refused',
      origin: record.origin,
      label,
      problems: problems.filter((p) => p.severity === 'error'),
    });

  // 1. Each record on its own: manifest rules and official facts.
  const candidates: {
    record: ImportRecord;
    server: ServerJson;
    facts: VersionFacts;
    text: string;
    validated: ValidatedManifest;
  }[] = [];
  for (const record of records) {
    const text = formatJson(record.server);
    const result = validateManifestText(text, record.origin);
    const server = result.server;
    if (!server) refuse(record, labelOf(record), result.problems);
    else if (!record.facts.ok)
      refuse(record, labelOf(record), [
        ruleProblem('official-meta-missing', record.origin, '$._meta', record.facts.reason),
      ]);
    else candidates.push({ record, server, facts: record.facts.value, text, validated: { text, result } });
  }

  // 2. What the records can conflict with, read from the data folder.
  const existing = readScope(into, candidates);
  const byPath = new Map(existing.map((file) => [file.path, file.text]));

  // 3. Immutability of what is published; the same version listed twice is imported once.
  const planned = new Map<string, Planned>();
  const validated = new Map<string, ValidatedManifest>();
  for (const { record, server, facts, text, validated: result } of candidates) {
    const file = versionFile(server.name, server.version);
    const label = `${server.name}@${server.version}`;
    const earlier = planned.get(file);
    const onDisk = byPath.get(file);
    const differs = (other: string) => !sameJson(other, text);
    if ((earlier && differs(earlier.text)) || (onDisk !== undefined && differs(onDisk))) {
      refuse(record, label, [
        ruleProblem(
          'version-immutable',
          record.origin,
          '$',
          `${label} is already published (${file}) with different content`,
        ),
      ]);
      continue;
    }
    // The same version listed twice with the same content: one import, later facts win.
    if (earlier) outcomes.delete(earlier.record);
    planned.set(file, { record, server, file, text, facts, present: onDisk !== undefined });
    if (onDisk === undefined) validated.set(file, result);
  }

  // 4. The registry as it would be: registry-wide rules; refuse what the registry would not accept.
  const vocabulary = parseVocabulary(byPath.get(VOCABULARY_FILE));
  let factsPlan: FactsPlan = { texts: new Map(), notes: new Map() };
  for (let round = 0; round < 5; round++) {
    factsPlan = planFacts([...planned.values()], byPath, vocabulary, options);
    const overlay = new Map(byPath);
    for (const item of planned.values()) overlay.set(item.file, item.text);
    for (const [file, text] of factsPlan.texts) overlay.set(file, text);
    const { problems } = loadRegistryFromFiles(
      [...overlay].map(([file, text]) => ({ path: file, text })),
      { validated },
    );
    const errorsByFile = new Map<string, Problem[]>();
    for (const problem of problems)
      if (problem.severity === 'error')
        errorsByFile.set(problem.file, [...(errorsByFile.get(problem.file) ?? []), problem]);
    const blocked = [...planned.values()].filter(
      (item) => errorsByFile.has(item.file) || (!item.present && errorsByFile.has(factsFile(item.server.name))),
    );
    if (blocked.length === 0) break;
    for (const item of blocked) {
      planned.delete(item.file);
      const own = [...(errorsByFile.get(item.file) ?? []), ...(errorsByFile.get(factsFile(item.server.name)) ?? [])];
      refuse(item.record, `${item.server.name}@${item.server.version}`, own);
    }
  }

  // 5. Outcomes and writes.
  const writes = new Map<string, string>();
  const factsBefore = memoize((file: string) => parseFacts(byPath.get(file))?.facts);
  const factsAfter = memoize((file: string) => parseFacts(factsPlan.texts.get(file))?.facts);
  // The earliest published version of a server new to the folder is the one reported as a new server.
  const firstOfNewServer = new Map<string, Planned>();
  for (const item of planned.values()) {
    if (byPath.has(factsFile(item.server.name))) continue;
    const first = firstOfNewServer.get(item.server.name);
    if (!first || byPublishOrder(withFacts(item), withFacts(first)) < 0) firstOfNewServer.set(item.server.name, item);
  }
  for (const item of planned.values()) {
    const factsPath = factsFile(item.server.name);
    const before = factsBefore(factsPath)?.versions[item.server.version];
    const after = factsAfter(factsPath)?.versions[item.server.version];
    const changed = before === undefined || after === undefined || !sameFacts(before, after);
    const kind: OutcomeKind = !item.present ? 'added' : changed ? 'updated' : 'unchanged';
    const outcome: ImportOutcome = {
      kind,
      origin: item.record.origin,
      label: `${item.server.name}@${item.server.version}`,
      problems: [],
    };
    if (kind === 'updated' && before && after && statusDiffers(before, after))
      outcome.statusChange = {
        from: before.status,
        to: after.status,
        ...(after.statusMessage !== undefined && { message: after.statusMessage }),
        ...(after.statusChangedAt !== undefined && { at: after.statusChangedAt }),
      };
    const kept = factsPlan.notes.get(item.file);
    if (kept) outcome.keptMaintainerStatus = kept;
    if (firstOfNewServer.get(item.server.name) === item) outcome.newServer = true;
    outcomes.set(item.record, outcome);
    if (!item.present) writes.set(item.file, item.text);
  }
  for (const [file, text] of factsPlan.texts) if (byPath.get(file) !== text) writes.set(file, text);

  const ordered = records.map((record) => outcomes.get(record)).filter((o): o is ImportOutcome => o !== undefined);
  const counts: Record<OutcomeKind, number> = { added: 0, updated: 0, unchanged: 0, refused: 0 };
  for (const outcome of ordered) counts[outcome.kind]++;
  const sorted = new Map([...writes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { outcomes: ordered, counts, writes: sorted };
}

/**
 * Writes planned files: manifests first, then facts, then files at the root of the data folder (the
 * sync's state), so an interrupted write leaves facts-missing errors that running it again fixes and
 * never a state that claims what was not written. Each file is written whole under a temporary name
 * and renamed. Synchronous on purpose: at 100,000 files, awaiting each write costs three thread-pool
 * round trips.
 */
export function applyImport(into: string, writes: Iterable<readonly [string, string]>): void {
  const root = path.resolve(into);
  const makeParent = parentFolderMaker();
  const rank = (file: string) => (!file.startsWith(`${SERVERS_DIR}/`) ? 2 : file.endsWith(`/${FACTS_FILE}`) ? 1 : 0);
  const ordered = [...writes].map((entry, index) => ({ entry, index }));
  ordered.sort((a, b) => rank(a.entry[0]) - rank(b.entry[0]) || a.index - b.index);
  for (const {
    entry: [file, text],
  } of ordered) {
    const target = path.resolve(root, ...file.split('/'));
    if (!target.startsWith(root + path.sep)) throw new Error(`refusing to write ${file} outside ${root}`);
    makeParent(target);
    const temp = `${target}.${process.pid}.tmp`;
    writeFileSync(temp, text);
    renameSync(temp, target);
  }
}

/** `name@version` as the record spells them, even when invalid, else its origin. */
function labelOf(record: ImportRecord): string {
  const { name, version } = record.server;
  return typeof name === 'string' && typeof version === 'string' ? `${name}@${version}` : record.origin;
}

const withFacts = (item: Planned) => ({ ...item.facts, server: item.server });

function memoize<T>(compute: (key: string) => T): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    if (!cache.has(key)) cache.set(key, compute(key));
    return cache.get(key)!;
  };
}

/**
 * The existing files the records are checked against: their own servers' folders, folders whose name
 * differs only by case, and folders whose manifests mention one of their remote URLs (or escape
 * characters, which could spell one). Missing folder: an empty registry.
 */
function readScope(into: string, candidates: readonly { server: ServerJson }[]): SourceFile[] {
  let folders: string[];
  try {
    folders = listServerFolders(into);
  } catch (error) {
    throw new Error(`cannot read ${into}: ${(error as Error).message}`);
  }
  const wanted = new Set(candidates.map(({ server }) => serverDir(server.name)));
  const lowerNames = new Set([...wanted].map((folder) => folder.toLowerCase()));
  for (const folder of folders) if (lowerNames.has(folder.toLowerCase())) wanted.add(folder);
  const read = (scope: Iterable<string>) => {
    const source = readLocalFolders(into, [...scope].sort());
    if (hasErrors(source.problems))
      throw new Error(`cannot read ${into}: ${source.problems[0]!.file}: ${source.problems[0]!.message}`);
    return source.files;
  };
  const own = read(wanted);
  // A URL a server already uses was checked against every other server when that version landed; only
  // URLs new to their server need a look at the others.
  // (Deleted versions no longer claim their URLs.)
  const byPath = new Map(own.map((file) => [file.path, file.text]));
  const ownTexts = new Map<string, string[]>();
  for (const folder of wanted) {
    const facts = parseFacts(byPath.get(`${folder}/${FACTS_FILE}`))?.facts;
    const live = Object.entries(facts?.versions ?? {}).filter(([, version]) => version.status !== 'deleted');
    ownTexts.set(
      folder,
      live.map(([version]) => byPath.get(`${folder}/${VERSIONS_DIR}/${version}.json`) ?? ''),
    );
  }
  const newUrls = new Set<string>();
  for (const { server } of candidates) {
    const texts = ownTexts.get(serverDir(server.name)) ?? [];
    for (const remote of server.remotes ?? []) {
      const needle = JSON.stringify(remote.url);
      if (!texts.some((text) => text.includes(needle))) newUrls.add(needle);
    }
  }
  if (newUrls.size === 0) return own;
  // Escapes could spell a URL differently, so a manifest with any backslash is read too.
  const needles = [...newUrls, '\\'];
  let more = false;
  for (const folder of folders) {
    if (wanted.has(folder)) continue;
    const texts = readFolderTexts(into, `${folder}/${VERSIONS_DIR}`);
    if (texts.some((text) => needles.some((needle) => text.includes(needle)))) {
      wanted.add(folder);
      more = true;
    }
  }
  return more ? read(wanted) : own;
}

interface FactsPlan {
  /** New registry.json texts for every server with planned versions (unchanged ones included). */
  texts: Map<string, string>;
  /** Versions whose maintainer-set status was kept, by version file. */
  notes: Map<string, { kept: VersionStatus; upstream: VersionStatus }>;
}

function planFacts(
  items: readonly Planned[],
  byPath: ReadonlyMap<string, string>,
  vocabulary: Vocabulary,
  options: ImportOptions,
): FactsPlan {
  const byServer = new Map<string, Planned[]>();
  for (const item of items) {
    const list = byServer.get(item.server.name);
    if (list) list.push(item);
    else byServer.set(item.server.name, [item]);
  }
  const plan: FactsPlan = { texts: new Map(), notes: new Map() };
  for (const [name, versions] of byServer) {
    const file = factsFile(name);
    const current = parseFacts(byPath.get(file));
    const facts: ServerFacts = current?.facts ?? { versions: {}, curation: { categories: [], tags: [] } };
    const upstream = options.upstream;
    const provenance = upstream
      ? (facts.provenance ?? {
          source: upstream.source,
          listedSince: versions[0]!.facts.publishedAt,
          firstSyncedAt: upstream.seenAt,
          upstreamStatus: {},
        })
      : undefined;
    for (const item of versions) {
      const version = item.server.version;
      const local = Object.hasOwn(facts.versions, version) ? facts.versions[version] : undefined;
      const lastUpstream =
        provenance && Object.hasOwn(provenance.upstreamStatus, version)
          ? provenance.upstreamStatus[version]
          : undefined;
      if (upstream && local && lastUpstream !== undefined && local.status !== lastUpstream) {
        // A maintainer set this status here: keep it, and remember what upstream says now.
        if (local.status !== item.facts.status)
          plan.notes.set(item.file, { kept: local.status, upstream: item.facts.status });
      } else facts.versions[version] = orderedFacts(item.facts);
      if (provenance) {
        provenance.upstreamStatus[version] = item.facts.status;
        if (comparePublishTimes(item.facts.publishedAt, provenance.listedSince) < 0)
          provenance.listedSince = item.facts.publishedAt;
      }
    }
    if (provenance) facts.provenance = provenance;
    if (!current?.hasCuration) {
      const newest = [...versions].sort((a, b) => byPublishOrder(withFacts(b), withFacts(a)))[0]!;
      facts.curation = suggestCuration(newest.server, vocabulary);
    }
    plan.texts.set(file, serializeFacts(facts));
  }
  return plan;
}

const statusDiffers = (a: VersionFacts, b: VersionFacts): boolean =>
  a.status !== b.status || a.statusMessage !== b.statusMessage;

const sameFacts = (a: VersionFacts, b: VersionFacts): boolean =>
  formatJson(orderedFacts(a)) === formatJson(orderedFacts(b));

/** Facts with keys in schema order and absent optionals left out, for stable files. */
function orderedFacts(facts: VersionFacts): VersionFacts {
  const { status, statusMessage, statusChangedAt, publishedAt, updatedAt } = facts;
  return {
    status,
    ...(statusMessage !== undefined && { statusMessage }),
    ...(statusChangedAt !== undefined && { statusChangedAt }),
    publishedAt,
    updatedAt,
  };
}

function parseFacts(text: string | undefined): { facts: ServerFacts; hasCuration: boolean } | undefined {
  if (text === undefined) return undefined;
  const parsed = parseJson(text);
  if (!parsed.ok) return undefined;
  const facts = ServerFactsSchema.safeParse(parsed.value);
  if (!facts.success) return undefined;
  return {
    facts: facts.data,
    hasCuration: typeof parsed.value === 'object' && parsed.value !== null && 'curation' in parsed.value,
  };
}

function parseVocabulary(text: string | undefined): Vocabulary {
  const parsed = text === undefined ? undefined : parseJson(text);
  const vocabulary = parsed?.ok ? VocabularySchema.safeParse(parsed.value) : undefined;
  return vocabulary?.success ? vocabulary.data : { categories: [], tags: [] };
}

/** Same JSON value, whatever the formatting or key order. */
function sameJson(a: string, b: string): boolean {
  const parsedA = parseJson(a);
  const parsedB = parseJson(b);
  return parsedA.ok && parsedB.ok && canonical(parsedA.value) === canonical(parsedB.value);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null)
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}
