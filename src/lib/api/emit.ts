/**
 * Everything the API publishes, as one stream of files, and the writer that puts them into a build
 * output folder. Names and versions that cannot be paths were refused when the data was loaded
 * (registry/api-paths.ts); the writer still never writes outside its folder.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parentFolderMaker } from '../parent-folders.ts';
import type { Registry } from '../registry/model.ts';
import { hostFiles } from './host.ts';
import type { ApiFile } from './json.ts';
import { officialApiFiles } from './official.ts';
import { ourApiFiles, serverDocument } from './ours.ts';

/** Every API file for the registry, in a fixed order. Lazy, so 100,000 files never sit in memory at once. */
export function* apiFiles(registry: Registry, siteUrl: string): Generator<ApiFile> {
  const documents = registry.servers.map((record) => serverDocument(record, siteUrl));
  yield* hostFiles();
  yield* officialApiFiles(documents);
  yield* ourApiFiles(registry, documents, siteUrl);
}

export interface WriteSummary {
  files: number;
  bytes: number;
}

/**
 * Writes every API file under `outDir`; call only when `apiPathProblems` found nothing. Synchronous on
 * purpose: tens of thousands of small files written in turn take a third of the time that async writes
 * take (each async write is three thread-pool round trips: open, write, close), and nothing else runs
 * while the build waits for them. Each folder is created once.
 */
export async function writeApiFiles(outDir: string, files: Iterable<ApiFile>): Promise<WriteSummary> {
  const root = path.resolve(outDir);
  const makeParent = parentFolderMaker();
  const summary: WriteSummary = { files: 0, bytes: 0 };
  for (const { path: relative, body } of files) {
    const target = path.resolve(root, relative);
    if (!target.startsWith(root + path.sep)) throw new Error(`refusing to write ${relative} outside ${root}`);
    makeParent(target);
    writeFileSync(target, body);
    summary.files += 1;
    summary.bytes += Buffer.byteLength(body);
  }
  return summary;
}
