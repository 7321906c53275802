/** Registry records for search tests, built through the same model types the loader produces. */
import type { Registry, ServerRecord, VersionRecord } from '../../../src/lib/registry/model.ts';
import type { VersionStatus } from '../../../src/lib/registry/facts.ts';
import type { Package, Remote } from '../../../src/lib/schema/server.ts';
import { CURRENT_SCHEMA_URL } from '../../../src/lib/schema/server.ts';

export interface RecordSpec {
  name: string;
  description: string;
  title?: string;
  packages?: Pick<Package, 'registryType' | 'identifier'>[];
  remotes?: Remote['type'][];
  categories?: string[];
  tags?: string[];
  status?: VersionStatus;
  updatedAt?: string;
  /** Repository URL. */
  repository?: string;
}

export function record(spec: RecordSpec): ServerRecord {
  const slash = spec.name.indexOf('/');
  const updatedAt = spec.updatedAt ?? '2025-10-01T00:00:00Z';
  const version: VersionRecord = {
    server: {
      $schema: CURRENT_SCHEMA_URL,
      name: spec.name,
      description: spec.description,
      ...(spec.title ? { title: spec.title } : {}),
      version: '1.0.0',
      ...(spec.repository ? { repository: { url: spec.repository, source: 'github' } } : {}),
      ...(spec.packages
        ? {
            packages: spec.packages.map((pkg) => ({ ...pkg, version: '1.0.0', transport: { type: 'stdio' as const } })),
          }
        : {}),
      ...(spec.remotes
        ? { remotes: spec.remotes.map((type) => ({ type, url: `https://${spec.name.slice(0, slash)}.example/mcp` })) }
        : {}),
    },
    sourceSchemaVersion: '2025-12-11',
    file: `servers/${spec.name}/versions/1.0.0.json`,
    status: spec.status ?? 'active',
    publishedAt: updatedAt,
    updatedAt,
    isLatest: spec.status !== 'deleted',
  };
  return {
    name: spec.name,
    namespace: spec.name.slice(0, slash),
    shortName: spec.name.slice(slash + 1),
    versions: [version],
    latest: spec.status === 'deleted' ? undefined : version,
    curation: { categories: spec.categories ?? [], tags: spec.tags ?? [] },
    updatedAt,
  };
}

export function registryOf(specs: RecordSpec[]): Registry {
  return { servers: specs.map(record).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) };
}
