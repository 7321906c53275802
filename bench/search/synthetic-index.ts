/**
 * The search index of a synthetic registry of any size (src/lib/synthetic, shaped like the real one),
 * built through the real loader and index builder, for measuring search where no site was built.
 */
import { loadRegistryFromFiles } from '../../src/lib/registry/load.ts';
import { buildSearchIndex } from '../../src/lib/search/build.ts';
import type { SearchIndexFile } from '../../src/lib/search/index-file.ts';
import { generateRegistryFiles } from '../../src/lib/synthetic/generate.ts';
import type { RegistryProfile } from '../../src/lib/synthetic/profile.ts';
import { loadProfile } from '../synthetic-folder.ts';

/** One version per server is enough for search (only the latest is indexed), and keeps 100k quick. */
export function syntheticSearchIndex(servers: number, profile: RegistryProfile = loadProfile()): SearchIndexFile {
  const { registry } = loadRegistryFromFiles([...generateRegistryFiles({ servers, profile, meanVersions: 1 })]);
  return buildSearchIndex(registry);
}
