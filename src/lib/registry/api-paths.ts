/**
 * The static API serves `/v0.1/servers/<name>/versions/<version>` as a file of that name, so a name or
 * version that cannot be such a path is refused with the rest of the data: a `..` segment, a version
 * that is also the folder of another version, or one of the API's own file names.
 */
import type { Problem } from '../problems.ts';
import { ruleProblem } from '../rule-codes.ts';
import { splitName } from './layout.ts';
import type { ServerRecord } from './model.ts';

/** File names the API itself uses inside a `versions` folder. */
const RESERVED = new Set(['index.json', 'latest']);
const isUnsafeSegment = (segment: string): boolean => segment === '' || segment === '.' || segment === '..';

export function apiPathProblems(servers: readonly ServerRecord[]): Problem[] {
  const problems: Problem[] = [];
  for (const record of servers) {
    const [namespace, shortName] = splitName(record.name);
    // A namespace called `index.json` would be a folder where the list file is.
    if ([namespace, shortName].some(isUnsafeSegment) || namespace === 'index.json') {
      problems.push(
        unservable(
          record.versions[0]?.file ?? record.name,
          '$.name',
          `the name ${JSON.stringify(record.name)} cannot be an API path`,
        ),
      );
    }
    const versions = new Set(record.versions.map((version) => version.server.version));
    for (const { server, file } of record.versions) {
      const segments = server.version.split('/');
      // `1.0` and `1.0/beta` cannot both exist: one would be a file and a folder at once.
      const clash = segments.slice(1).some((_, index) => versions.has(segments.slice(0, index + 1).join('/')));
      if (segments.some(isUnsafeSegment) || RESERVED.has(server.version) || clash) {
        problems.push(
          unservable(file, '$.version', `the version ${JSON.stringify(server.version)} cannot be an API path`),
        );
      }
    }
  }
  return problems;
}

const unservable = (file: string, jsonPath: string, message: string): Problem =>
  ruleProblem(
    'api-unservable-path',
    file,
    jsonPath,
    `${message}: the API serves /v0.1/servers/<name>/versions/<version> as a file of that name`,
  );
