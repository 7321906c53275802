/**
 * The layout of a registry-data folder. Every path the project reads or writes goes through here.
 *
 *   registry-data/
 *     vocabulary.json                         controlled categories and tags
 *     policy.json                             optional: which upstream servers `npm run sync` takes
 *     sync-state.json                         what the sync remembers between runs (written by it)
 *     servers/<namespace>/<name>/
 *       versions/<version>.json               the publisher's server.json, verbatim, never changed
 *       registry.json                         registry-managed facts (status, timestamps, curation)
 *       probe.json                            registry-managed probe result (npm run probe)
 *     probe-run.json                          registry-managed summary of the last probe run
 */
import path from 'node:path';
import { splitName } from './names.ts';

export { splitName };

export const SERVERS_DIR = 'servers';
export const VERSIONS_DIR = 'versions';
export const FACTS_FILE = 'registry.json';
export const VOCABULARY_FILE = 'vocabulary.json';
export const PROBE_FILE = 'probe.json';
export const PROBE_RUN_FILE = 'probe-run.json';
export const POLICY_FILE = 'policy.json';
export const SYNC_STATE_FILE = 'sync-state.json';
/** Files at the data root besides `servers/`. */
export const ROOT_FILES: readonly string[] = [VOCABULARY_FILE, PROBE_RUN_FILE, POLICY_FILE, SYNC_STATE_FILE];

/** The data folder: `REGISTRY_DATA` if set, else `registry-data/` in the working directory. */
export function dataRoot(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.REGISTRY_DATA ?? 'registry-data');
}

/** `io.github.user/weather` -> `servers/io.github.user/weather` (POSIX separators, relative to the root). */
export function serverDir(name: string): string {
  const [namespace, short] = splitName(name);
  return `${SERVERS_DIR}/${namespace}/${short}`;
}

export function versionFile(name: string, version: string): string {
  // The version is the file name as it is: the validator's `version-unsafe-filename` rule makes that safe.
  return `${serverDir(name)}/${VERSIONS_DIR}/${version}.json`;
}

export function factsFile(name: string): string {
  return `${serverDir(name)}/${FACTS_FILE}`;
}

export function probeFile(name: string): string {
  return `${serverDir(name)}/${PROBE_FILE}`;
}
