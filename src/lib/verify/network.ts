/**
 * The outside world the PR check and the health job talk to, configured from the environment the
 * script passes in, so CI uses the real services and tests point every one at a loopback server.
 *   GITHUB_TOKEN, GITHUB_API_URL        GitHub REST API (Actions sets GITHUB_API_URL)
 *   MCP_DNS_SERVERS                     comma-separated resolvers, e.g. 127.0.0.1:5353 (default: system)
 *   MCP_WELL_KNOWN_BASE                 serves <base>/<domain>/.well-known/mcp-registry-auth instead of https://<domain>
 *   NPM_REGISTRY_URL, PYPI_URL, NUGET_URL   package registries
 *   OCI_REGISTRY_URL                    one registry answering for every image host
 *   MCPB_DOWNLOAD_BASE                  serves <base>/<host>/<path> instead of the MCPB https URL
 */
import { githubFromEnv } from '../github/client.ts';
import type { NamespaceResolvers } from './namespace.ts';
import { defaultWellKnownUrl, dnsTxtResolver } from './namespace.ts';
import type { PackageRegistries } from './packages.ts';
import { DEFAULT_REGISTRIES } from './packages.ts';

export interface Network {
  namespaces: NamespaceResolvers;
  packages: PackageRegistries;
}

export function packageRegistriesFromEnv(env: NodeJS.ProcessEnv): PackageRegistries {
  const oci = env.OCI_REGISTRY_URL;
  const mcpb = env.MCPB_DOWNLOAD_BASE;
  return {
    npm: env.NPM_REGISTRY_URL || DEFAULT_REGISTRIES.npm,
    pypi: env.PYPI_URL || DEFAULT_REGISTRIES.pypi,
    nuget: env.NUGET_URL || DEFAULT_REGISTRIES.nuget,
    oci: oci ? () => oci : DEFAULT_REGISTRIES.oci,
    download: mcpb
      ? (url) => `${mcpb.replace(/\/+$/, '')}/${url.replace(/^https:\/\//, '')}`
      : DEFAULT_REGISTRIES.download,
  };
}

export function networkFromEnv(env: NodeJS.ProcessEnv): Network {
  const wellKnownBase = env.MCP_WELL_KNOWN_BASE?.replace(/\/+$/, '');
  const dnsServers = env.MCP_DNS_SERVERS?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    namespaces: {
      github: githubFromEnv(env),
      resolveTxt: dnsTxtResolver(dnsServers?.length ? dnsServers : undefined),
      wellKnownUrl: wellKnownBase
        ? (domain) => `${wellKnownBase}/${domain}/.well-known/mcp-registry-auth`
        : defaultWellKnownUrl,
    },
    packages: packageRegistriesFromEnv(env),
  };
}
