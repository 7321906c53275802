/**
 * Where a package can be looked at by a person: its page on the package registry, or for an MCPB
 * bundle its download URL. Always built with encoded path segments and passed through the URL check.
 */
import type { Package } from '../schema/server.ts';
import { safeHttpUrl } from './urls.ts';

const DEFAULT_BASES: Record<string, string> = {
  npm: 'https://registry.npmjs.org',
  pypi: 'https://pypi.org',
  nuget: 'https://api.nuget.org/v3/index.json',
};

/** Encodes each path segment but keeps `@` readable (npm scopes). */
const path = (identifier: string): string =>
  identifier
    .split('/')
    .map((part) => encodeURIComponent(part).replace(/%40/g, '@'))
    .join('/');

export interface PackageLink {
  url: string;
  label: string;
}

export function packagePageLink(
  pkg: Pick<Package, 'registryType' | 'identifier' | 'registryBaseUrl'>,
): PackageLink | undefined {
  const { registryType, identifier } = pkg;
  // A package on a private or mirror registry has no public page we know of.
  if (pkg.registryBaseUrl !== undefined && pkg.registryBaseUrl.replace(/\/$/, '') !== DEFAULT_BASES[registryType])
    return undefined;
  switch (registryType) {
    case 'npm':
      return link(`https://www.npmjs.com/package/${path(identifier)}`, 'npm');
    case 'pypi':
      return link(`https://pypi.org/project/${path(identifier)}/`, 'PyPI');
    case 'nuget':
      return link(`https://www.nuget.org/packages/${path(identifier)}`, 'NuGet');
    case 'mcpb':
      return link(identifier, 'download');
    case 'oci':
      return ociLink(identifier);
    default:
      return undefined;
  }
}

function ociLink(identifier: string): PackageLink | undefined {
  const reference = identifier.split('@')[0]!.replace(/:[^/:]*$/, '');
  const parts = reference.split('/');
  const host = parts.length > 1 && /[.:]/.test(parts[0]!) ? parts.shift()! : 'docker.io';
  const repository = parts.join('/');
  if (repository === '') return undefined;
  if (host === 'docker.io') {
    return repository.startsWith('library/') || !repository.includes('/')
      ? link(`https://hub.docker.com/_/${path(repository.replace(/^library\//, ''))}`, 'Docker Hub')
      : link(`https://hub.docker.com/r/${path(repository)}`, 'Docker Hub');
  }
  if (host === 'ghcr.io') return link(`https://ghcr.io/${path(repository)}`, 'GitHub Packages');
  if (host === 'quay.io') return link(`https://quay.io/repository/${path(repository)}`, 'Quay');
  return undefined;
}

function link(url: string, label: string): PackageLink | undefined {
  const safe = safeHttpUrl(url);
  return safe === undefined ? undefined : { url: safe, label };
}
