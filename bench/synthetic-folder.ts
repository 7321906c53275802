/** Writes a synthetic registry-data folder (src/lib/synthetic) to disk, with the committed profile. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parentFolderMaker } from '../src/lib/parent-folders.ts';
import { FACTS_FILE } from '../src/lib/registry/layout.ts';
import type { ServerJson } from '../src/lib/schema/server.ts';
import { generateRegistryFiles, REGISTRY_2026_MEAN_VERSIONS } from '../src/lib/synthetic/generate.ts';
import { type RegistryProfile, RegistryProfileSchema } from '../src/lib/synthetic/profile.ts';

export const PROFILE_FILE = path.join(import.meta.dirname, 'registry-profile.json');

export interface SyntheticFolder {
  dir: string;
  servers: number;
  versions: number;
  files: number;
  bytes: number;
}

export function loadProfile(): RegistryProfile {
  return RegistryProfileSchema.parse(JSON.parse(readFileSync(PROFILE_FILE, 'utf8')));
}

/** Servers follow the real registry's shape, with as many versions per server as it had in 2026 (~80k at 25k). */
export function writeSyntheticRegistry(dir: string, servers: number, profile = loadProfile()): SyntheticFolder {
  const folder: SyntheticFolder = { dir, servers, versions: 0, files: 0, bytes: 0 };
  const makeParent = parentFolderMaker();
  for (const file of generateRegistryFiles({ servers, profile, meanVersions: REGISTRY_2026_MEAN_VERSIONS })) {
    const target = path.join(dir, file.path);
    makeParent(target);
    writeFileSync(target, file.text);
    folder.files++;
    folder.bytes += Buffer.byteLength(file.text);
    if (file.path.includes('/versions/')) folder.versions++;
  }
  return folder;
}

/**
 * What a typical pull request does: one server's newest manifest gets a new description. Returns the
 * server's name.
 */
export function editOneDescription(dir: string): string {
  const servers = path.join(dir, 'servers');
  const namespace = readdirSync(servers).sort()[0]!;
  const name = readdirSync(path.join(servers, namespace)).sort()[0]!;
  const versions = path.join(servers, namespace, name, 'versions');
  const file = path.join(versions, readdirSync(versions).sort().at(-1)!);
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as ServerJson;
  manifest.description = `Edited: ${manifest.description}`.slice(0, 100);
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest.name;
}

/** The newest manifest of each synthetic server, generated in memory (no folder): search benchmarks at any N. */
export function* latestManifests(servers: number, profile = loadProfile()): Generator<ServerJson> {
  let newest: string | undefined;
  for (const file of generateRegistryFiles({ servers, profile, meanVersions: REGISTRY_2026_MEAN_VERSIONS })) {
    // Versions come oldest first, then the server's registry.json.
    if (file.path.includes('/versions/')) newest = file.text;
    else if (file.path.endsWith(`/${FACTS_FILE}`) && newest) yield JSON.parse(newest) as ServerJson;
  }
}
