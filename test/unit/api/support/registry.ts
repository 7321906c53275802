/**
 * The registry the API tests publish: the shared fixture registry plus one server whose versions are
 * the awkward strings real clients must reach URL-encoded (`+`, braces, a non-ASCII character).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatProblemsText } from '../../../../src/lib/cli/format.ts';
import { hasErrors } from '../../../../src/lib/problems.ts';
import { factsFile, versionFile } from '../../../../src/lib/registry/layout.ts';
import { loadRegistryFromFiles } from '../../../../src/lib/registry/load.ts';
import type { Registry } from '../../../../src/lib/registry/model.ts';
import type { SourceFile } from '../../../../src/lib/registry/source.ts';
import { readLocalSource } from '../../../../src/lib/registry/source.ts';
import { CURRENT_SCHEMA_URL } from '../../../../src/lib/schema/server.ts';

export const FIXTURE_REGISTRY = path.resolve(import.meta.dirname, '../../../fixtures/registry');
export const ODD_SERVER = 'io.github.odd/versions';
/** Oldest publish first; `{{VERSION}}` is the unfilled template some publishers really ship. */
export const ODD_VERSIONS = ['1.0.0', '1.0.0+build.7', '{{VERSION}}', '1.0.1º'] as const;

export function oddServerFiles(): SourceFile[] {
  const files: SourceFile[] = [];
  const versions: Record<string, object> = {};
  ODD_VERSIONS.forEach((version, index) => {
    const manifest = {
      $schema: CURRENT_SCHEMA_URL,
      name: ODD_SERVER,
      title: 'Odd Versions',
      description: 'Version strings that need URL encoding.',
      version,
      remotes: [{ type: 'streamable-http', url: 'https://odd.example.com/mcp' }],
    };
    files.push({ path: versionFile(ODD_SERVER, version), text: JSON.stringify(manifest, null, 2) });
    const day = String(10 + index).padStart(2, '0');
    versions[version] = {
      status: 'active',
      publishedAt: `2025-10-${day}T08:00:00Z`,
      updatedAt: `2025-10-${day}T08:00:00Z`,
    };
  });
  files.push({
    path: factsFile(ODD_SERVER),
    text: JSON.stringify({ versions, curation: { categories: [], tags: [] } }),
  });
  return files;
}

export async function apiTestSource(): Promise<SourceFile[]> {
  const { files, problems } = await readLocalSource(FIXTURE_REGISTRY);
  if (hasErrors(problems)) throw new Error(formatProblemsText(problems));
  return [...files, ...oddServerFiles()];
}

export function registryFrom(files: readonly SourceFile[]): Registry {
  const { registry, problems } = loadRegistryFromFiles(files);
  if (hasErrors(problems)) throw new Error(`the API test registry does not load:\n${formatProblemsText(problems)}`);
  return registry;
}

export async function apiTestRegistry(): Promise<Registry> {
  return registryFrom(await apiTestSource());
}

/** Writes the API test registry as a data folder, for real builds. */
export async function writeApiTestData(dir: string): Promise<void> {
  for (const file of await apiTestSource()) {
    const target = path.join(dir, file.path);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.text);
  }
}
