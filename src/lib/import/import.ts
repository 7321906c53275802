/**
 * Imports official registry records into a data folder: each version's `server` verbatim into
 * versions/<version>.json and the official facts into registry.json. Idempotent: what is already
 * there is left alone and reported unchanged. Only what the official registry itself would refuse is
 * refused (manifest errors, registry-wide conflicts), plus any change to a published version file
 * (`version-immutable`). Everything is planned and checked in memory first, against the data folder
 * as it would be after the import, then written file by file (each with a rename).
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseJson } from '../json/parse.ts';
import { serializeFacts } from '../pr/stamp.ts';
import type { Problem } from '../problems.ts';
import { hasErrors } from '../problems.ts';
import { ruleProblem } from '../rule-codes.ts';
import type { ServerFacts, VersionFacts, Vocabulary } from '../registry/facts.ts';
import { ServerFactsSchema, VocabularySchema } from '../registry/facts.ts';
import { factsFile, VOCABULARY_FILE, versionFile } from '../registry/layout.ts';
import { byPublishOrder } from '../registry/latest.ts';
import { loadRegistryFromFiles } from '../registry/load.ts';
import type { ServerJson } from '../schema/server.ts';
import type { SourceFile } from '../registry/source.ts';
import { readLocalSource } from '../registry/source.ts';
import { validateManifestText } from '../validate/manifest.ts';
import { suggestCuration } from './curate.ts';
import type { ImportRecord } from './official.ts';

export type OutcomeKind = 'added' | 'updated' | 'unchanged' | 'refused';

export interface ImportOutcome {
  kind: OutcomeKind;
  origin: string;
  /** `name@version`, or the origin when the record has no string name and version. */
  label: string;
  /** Why a record was refused (errors only). */
  problems: Problem[];
}

export interface ImportSummary {
  outcomes: ImportOutcome[];
  counts: Record<OutcomeKind, number>;
  /** Data-root-relative paths written, sorted. Empty when nothing changed. */
  written: string[];
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

export async function importRecords(records: readonly ImportRecord[], into: string): Promise<ImportSummary> {
  const existing = await readExisting(into);
  const byPath = new Map(existing.map((file) => [file.path, file.text]));
  const outcomes = new Map<ImportRecord, ImportOutcome>();
  const refuse = (record: ImportRecord, label: string, problems: Problem[]) =>
    outcomes.set(record, {
      kind: 'refused',
      origin: record.origin,
      label,
      problems: problems.filter((p) => p.severity === 'error'),
    });

  // 1. Each record on its own: manifest rules, official facts, immutability of what is on disk.
  const planned = new Map<string, Planned>();
  for (const record of records) {
    const text = formatJson(record.server);
    const result = validateManifestText(text, record.origin);
    const server = result.server;
    const label = labelOf(record);
    if (!server) {
      refuse(record, label, result.problems);
      continue;
    }
    if (!record.facts.ok) {
      refuse(record, label, [ruleProblem('official-meta-missing', record.origin, '$._meta', record.facts.reason)]);
      continue;
    }
    const file = versionFile(server.name, server.version);
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
    if (earlier) {
      // The same version listed twice with the same content: one import, later facts win.
      outcomes.delete(earlier.record);
    }
    planned.set(file, { record, server, file, text, facts: record.facts.value, present: onDisk !== undefined });
  }

  // 2. The registry as it would be: registry-wide rules; refuse what the registry would not accept.
  const vocabulary = parseVocabulary(byPath.get(VOCABULARY_FILE));
  let factsTexts = new Map<string, string>();
  for (let round = 0; round < 5; round++) {
    factsTexts = planFacts([...planned.values()], byPath, vocabulary);
    const overlay = new Map(byPath);
    for (const item of planned.values()) overlay.set(item.file, item.text);
    for (const [file, text] of factsTexts) overlay.set(file, text);
    const { problems } = loadRegistryFromFiles([...overlay].map(([file, text]) => ({ path: file, text })));
    const blocked = [...planned.values()].filter((item) =>
      problems.some(
        (p) =>
          p.severity === 'error' && (p.file === item.file || (!item.present && p.file === factsFile(item.server.name))),
      ),
    );
    if (blocked.length === 0) break;
    for (const item of blocked) {
      planned.delete(item.file);
      const own = problems.filter(
        (p) => p.severity === 'error' && (p.file === item.file || p.file === factsFile(item.server.name)),
      );
      refuse(item.record, `${item.server.name}@${item.server.version}`, own);
    }
  }

  // 3. Outcomes and writes.
  const writes = new Map<string, string>();
  for (const item of planned.values()) {
    const label = `${item.server.name}@${item.server.version}`;
    const factsPath = factsFile(item.server.name);
    const factsChanged =
      byPath.get(factsPath) !== factsTexts.get(factsPath) && versionFactsChanged(byPath.get(factsPath), item);
    const kind: OutcomeKind = !item.present ? 'added' : factsChanged ? 'updated' : 'unchanged';
    outcomes.set(item.record, { kind, origin: item.record.origin, label, problems: [] });
    if (!item.present) writes.set(item.file, item.text);
  }
  for (const [file, text] of factsTexts) if (byPath.get(file) !== text) writes.set(file, text);
  const written = [...writes.keys()].sort();
  // Manifests first, facts last: an interrupted import leaves facts-missing errors, which re-running fixes.
  for (const file of written.filter((f) => !f.endsWith('/registry.json')))
    await writeAtomically(into, file, writes.get(file)!);
  for (const file of written.filter((f) => f.endsWith('/registry.json')))
    await writeAtomically(into, file, writes.get(file)!);

  const ordered = records.map((record) => outcomes.get(record)).filter((o): o is ImportOutcome => o !== undefined);
  const counts: Record<OutcomeKind, number> = { added: 0, updated: 0, unchanged: 0, refused: 0 };
  for (const outcome of ordered) counts[outcome.kind]++;
  return { outcomes: ordered, counts, written };
}

/** `name@version` as the record spells them, even when invalid, else its origin. */
function labelOf(record: ImportRecord): string {
  const { name, version } = record.server;
  return typeof name === 'string' && typeof version === 'string' ? `${name}@${version}` : record.origin;
}

/** New registry.json texts for every server with planned versions (unchanged ones included). */
function planFacts(
  items: readonly Planned[],
  byPath: ReadonlyMap<string, string>,
  vocabulary: Vocabulary,
): Map<string, string> {
  const byServer = new Map<string, Planned[]>();
  for (const item of items) byServer.set(item.server.name, [...(byServer.get(item.server.name) ?? []), item]);
  const texts = new Map<string, string>();
  for (const [name, versions] of byServer) {
    const file = factsFile(name);
    const current = parseFacts(byPath.get(file));
    const facts: ServerFacts = current?.facts ?? { versions: {}, curation: { categories: [], tags: [] } };
    for (const item of versions) facts.versions[item.server.version] = orderedFacts(item.facts);
    if (!current?.hasCuration) {
      const newest = [...versions].sort((a, b) =>
        byPublishOrder({ ...b.facts, server: b.server }, { ...a.facts, server: a.server }),
      )[0]!;
      facts.curation = suggestCuration(newest.server, vocabulary);
    }
    texts.set(file, serializeFacts(facts));
  }
  return texts;
}

function versionFactsChanged(currentText: string | undefined, item: Planned): boolean {
  const current = parseFacts(currentText)?.facts.versions[item.server.version];
  return current === undefined || formatJson(orderedFacts(current)) !== formatJson(orderedFacts(item.facts));
}

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

async function readExisting(into: string): Promise<SourceFile[]> {
  const source = await readLocalSource(into);
  // A folder that does not exist yet is an empty registry; other read errors stop the import.
  const fatal = source.problems.filter((p) => !(p.code === 'io-error' && p.file === '.' && /ENOENT/.test(p.message)));
  if (hasErrors(fatal)) throw new Error(`cannot read ${into}: ${fatal[0]!.file}: ${fatal[0]!.message}`);
  return source.files;
}

async function writeAtomically(root: string, file: string, text: string): Promise<void> {
  const target = path.join(root, ...file.split('/'));
  await mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, target);
}
