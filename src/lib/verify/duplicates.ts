/**
 * The same package, remote URL or repository listed under two server names: either a mistake
 * (a new name instead of a new version) or someone re-listing another project's artefacts.
 */
import type { Package, ServerJson } from '../schema/server.ts';

export type IdentityKind = 'package' | 'remote' | 'repository';

export interface Identity {
  kind: IdentityKind;
  key: string;
  /** JSON path inside the manifest, for the problem. */
  path: string;
  /** What to show a human. */
  label: string;
}

/** PEP 503 for PyPI, lower case for npm/NuGet/OCI names (without the tag), the exact URL for MCPB. */
export function packageKey(pkg: Pick<Package, 'registryType' | 'identifier'>): string {
  const type = pkg.registryType.toLowerCase();
  let id = pkg.identifier.trim();
  if (type === 'pypi') id = id.toLowerCase().replace(/[-_.]+/g, '-');
  else if (type === 'oci')
    id = id
      .toLowerCase()
      .replace(/@.*$/, '')
      .replace(/:[^/:]*$/, '')
      .replace(/^docker\.io\//, '');
  else if (type !== 'mcpb') id = id.toLowerCase();
  return `${type}:${id}`;
}

/** Scheme and host are case-insensitive; a trailing slash does not make a different endpoint. */
export function urlKey(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host.toLowerCase()}${parsed.pathname.replace(/\/+$/, '')}${parsed.search}`;
  } catch {
    return url.trim();
  }
}

export function repositoryKey(url: string, subfolder?: string): string {
  const base = url
    .trim()
    .toLowerCase()
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .replace(/^http:/, 'https:');
  const folder = (subfolder ?? '').replace(/^\.?\/+|\/+$/g, '');
  return folder ? `${base}#${folder}` : base;
}

export function identities(server: Partial<ServerJson>): Identity[] {
  const out: Identity[] = [];
  server.packages?.forEach((pkg, i) => {
    if (pkg?.registryType && pkg.identifier)
      out.push({
        kind: 'package',
        key: packageKey(pkg),
        path: `$.packages[${i}].identifier`,
        label: `${pkg.registryType} package ${pkg.identifier}`,
      });
  });
  server.remotes?.forEach((remote, i) => {
    if (remote?.url)
      out.push({ kind: 'remote', key: urlKey(remote.url), path: `$.remotes[${i}].url`, label: `remote ${remote.url}` });
  });
  if (server.repository?.url) {
    out.push({
      kind: 'repository',
      key: repositoryKey(server.repository.url, server.repository.subfolder),
      path: '$.repository.url',
      label: `repository ${server.repository.url}${server.repository.subfolder ? ` (${server.repository.subfolder})` : ''}`,
    });
  }
  return out;
}

/** identity key -> server names using it, over every listed version. */
export class IdentityIndex {
  private readonly owners = new Map<string, Set<string>>();

  add(server: Partial<ServerJson>): void {
    if (!server.name) return;
    for (const identity of identities(server)) {
      const key = `${identity.kind} ${identity.key}`;
      let names = this.owners.get(key);
      if (!names) this.owners.set(key, (names = new Set()));
      names.add(server.name);
    }
  }

  /**
   * Other server names already using one of this manifest's identities. An identity this server
   * itself already lists is grandfathered: a new version of a server that has always shared its
   * package (real data has 30 such servers) is not blocked for it.
   */
  conflicts(server: ServerJson): { identity: Identity; others: string[] }[] {
    return identities(server).flatMap((identity) => {
      const names = this.owners.get(`${identity.kind} ${identity.key}`);
      if (!names || names.has(server.name)) return [];
      return [{ identity, others: [...names].sort() }];
    });
  }
}
