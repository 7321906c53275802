/**
 * Everything the API publishes, as one stream of files, and the writer that puts them into a build
 * output folder. Paths are checked before anything is written: a name or version that cannot be a
 * path (a `..` segment, a version that is also a folder of another version) is a problem, not a file
 * written somewhere unexpected.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Problem } from '../problems.ts';
import { splitName } from '../registry/layout.ts';
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

/** File names the API itself uses inside a `versions` folder. */
const RESERVED = new Set(['index.json', 'latest']);
const isUnsafeSegment = (segment: string): boolean => segment === '' || segment === '.' || segment === '..';

/** Names and versions that cannot become the API paths clients will request. */
export function apiPathProblems(registry: Registry): Problem[] {
  const problems: Problem[] = [];
  for (const record of registry.servers) {
    const [namespace, shortName] = splitName(record.name);
    // A namespace called `index.json` would be a folder where the list file is.
    if ([namespace, shortName].some(isUnsafeSegment) || namespace === 'index.json') {
      problems.push(unservable(record.versions[0]?.file ?? record.name, '$.name', `the name ${JSON.stringify(record.name)} cannot be an API path`));
    }
    const versions = new Set(record.versions.map((version) => version.server.version));
    for (const { server, file } of record.versions) {
      const segments = server.version.split('/');
      // `1.0` and `1.0/beta` cannot both exist: one would be a file and a folder at once.
      const clash = segments.slice(1).some((_, index) => versions.has(segments.slice(0, index + 1).join('/')));
      if (segments.some(isUnsafeSegment) || RESERVED.has(server.version) || clash) {
        problems.push(unservable(file, '$.version', `the version ${JSON.stringify(server.version)} cannot be an API path`));
      }
    }
  }
  return problems;
}

function unservable(file: string, jsonPath: string, message: string): Problem {
  return {
    code: 'api-unservable-path',
    severity: 'error',
    file,
    path: jsonPath,
    message: `${message}: the official API serves /v0.1/servers/<name>/versions/<version> as a file of that name`,
    hint: 'Use a version without empty, "." or ".." parts between slashes, other than "latest" or "index.json".',
  };
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
  const made = new Set<string>();
  const summary: WriteSummary = { files: 0, bytes: 0 };
  for (const { path: relative, body } of files) {
    const target = path.resolve(root, relative);
    if (!target.startsWith(root + path.sep)) throw new Error(`refusing to write ${relative} outside ${root}`);
    const dir = path.dirname(target);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    writeFileSync(target, body);
    summary.files += 1;
    summary.bytes += Buffer.byteLength(body);
  }
  return summary;
}
