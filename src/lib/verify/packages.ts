/**
 * Package ownership, as the official registry proves it:
 *   npm    the package.json of that exact version has "mcpName": "<server name>"
 *   PyPI, NuGet  the README of that version contains "mcp-name: <server name>"
 *   OCI    the image config has the label io.modelcontextprotocol.server.name=<server name>
 *   MCPB   an https download whose SHA-256 equals fileSha256
 * Every base URL is configurable so tests run against loopback servers with recorded answers.
 */
import { createHash } from 'node:crypto';
import type { Problem } from '../problems.ts';
import type { Package } from '../schema/server.ts';
import { ruleProblem } from '../rule-codes.ts';
import { getJson, getText, httpFetch, HttpError, readCapped, readJson } from './http.ts';

export interface PackageRegistries {
  npm: string;
  pypi: string;
  /** NuGet's flat container (package content) base. */
  nuget: string;
  /** Base URL of an OCI registry host: docker.io is served by registry-1.docker.io. */
  oci: (host: string) => string;
  /** Where an MCPB URL is downloaded from (identity outside tests). */
  download: (url: string) => string;
  timeoutMs?: number;
  maxDownloadBytes?: number;
}

export const DEFAULT_REGISTRIES: PackageRegistries = {
  npm: 'https://registry.npmjs.org',
  pypi: 'https://pypi.org',
  nuget: 'https://api.nuget.org/v3-flatcontainer',
  oci: (host) => `https://${host === 'docker.io' ? 'registry-1.docker.io' : host}`,
  download: (url) => url,
};

export const OCI_NAME_LABEL = 'io.modelcontextprotocol.server.name';

/** Checks one package of one manifest; `at` is its JSON path, e.g. `$.packages[0]`. */
export async function verifyPackage(
  serverName: string,
  pkg: Package,
  registries: PackageRegistries,
  file: string,
  at: string,
): Promise<Problem[]> {
  try {
    switch (pkg.registryType) {
      case 'npm':
        return await verifyNpm(serverName, pkg, registries, file, at);
      case 'pypi':
        return readmeProblems(serverName, pkg, await pypiReadme(pkg, registries), file, at);
      case 'nuget':
        return readmeProblems(serverName, pkg, await nugetReadme(pkg, registries), file, at);
      case 'oci':
        return await verifyOci(serverName, pkg, registries, file, at);
      case 'mcpb':
        return await verifyMcpb(pkg, registries, file, at);
      default:
        return [
          ruleProblem(
            'package-unverified',
            file,
            `${at}.registryType`,
            `registry type ${JSON.stringify(pkg.registryType)} has no ownership check`,
          ),
        ];
    }
  } catch (error) {
    return [
      ruleProblem(
        'package-unverified',
        file,
        at,
        `could not check ${pkg.registryType} package ${pkg.identifier}: ${(error as Error).message}`,
      ),
    ];
  }
}

/** npm's URL for a name: the scope's slash is encoded (`@scope%2fname`). */
export function npmPackageUrl(base: string, name: string, version = 'latest'): string {
  return `${base.replace(/\/+$/, '')}/${name.replace('/', '%2f')}/${encodeURIComponent(version)}`;
}

async function verifyNpm(
  serverName: string,
  pkg: Package,
  registries: PackageRegistries,
  file: string,
  at: string,
): Promise<Problem[]> {
  const manifest = (await getJson(
    npmPackageUrl(registries.npm, pkg.identifier, pkg.version),
    {},
    registries.timeoutMs,
  )) as { mcpName?: unknown } | undefined;
  if (!manifest) return [notFound(pkg, file, at)];
  if (manifest.mcpName === serverName) return [];
  const found =
    manifest.mcpName === undefined ? 'has no "mcpName"' : `has "mcpName": ${JSON.stringify(manifest.mcpName)}`;
  return [
    ruleProblem(
      'package-ownership',
      file,
      `${at}.identifier`,
      `npm package ${pkg.identifier}@${pkg.version ?? 'latest'} ${found}, not ${JSON.stringify(serverName)}`,
    ),
  ];
}

async function pypiReadme(pkg: Package, registries: PackageRegistries): Promise<string | undefined> {
  const path = pkg.version ? `${pkg.identifier}/${encodeURIComponent(pkg.version)}` : pkg.identifier;
  const data = (await getJson(`${registries.pypi.replace(/\/+$/, '')}/pypi/${path}/json`, {}, registries.timeoutMs)) as
    { info?: { description?: string } } | undefined;
  return data === undefined ? undefined : (data.info?.description ?? '');
}

async function nugetReadme(pkg: Package, registries: PackageRegistries): Promise<string | undefined> {
  const id = pkg.identifier.toLowerCase();
  const version = (pkg.version ?? '').toLowerCase();
  return getText(`${registries.nuget.replace(/\/+$/, '')}/${id}/${version}/readme`, {}, registries.timeoutMs);
}

function readmeProblems(
  serverName: string,
  pkg: Package,
  readme: string | undefined,
  file: string,
  at: string,
): Problem[] {
  if (readme === undefined) return [notFound(pkg, file, at)];
  const marker = new RegExp(`mcp-name:\\s*${serverName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9._/-])`);
  if (marker.test(readme)) return [];
  return [
    ruleProblem(
      'package-ownership',
      file,
      `${at}.identifier`,
      `the README of ${pkg.registryType} package ${pkg.identifier} ${pkg.version ?? ''} does not contain "mcp-name: ${serverName}"`,
    ),
  ];
}

export interface OciReference {
  host: string;
  repository: string;
  reference: string;
}

/** `ghcr.io/o/img:1.0`, `o/img:1.0` (docker.io), `img` (docker.io/library), `host/img@sha256:...`. */
export function parseOciReference(identifier: string, version?: string): OciReference {
  let rest = identifier;
  let host = 'docker.io';
  const first = rest.split('/')[0]!;
  if (rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    host = first;
    rest = rest.slice(first.length + 1);
  }
  let reference = version ?? 'latest';
  const at = rest.indexOf('@');
  if (at !== -1) {
    reference = rest.slice(at + 1);
    rest = rest.slice(0, at);
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon !== -1) {
      reference = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
    }
  }
  if (host === 'docker.io' && !rest.includes('/')) rest = `library/${rest}`;
  return { host, repository: rest, reference };
}

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

interface OciManifest {
  mediaType?: string;
  manifests?: { digest: string; platform?: { os?: string; architecture?: string } }[];
  config?: { digest: string };
}

/** The registry HTTP API: anonymous bearer token when challenged, manifest (through an index), config blob. */
async function verifyOci(
  serverName: string,
  pkg: Package,
  registries: PackageRegistries,
  file: string,
  at: string,
): Promise<Problem[]> {
  const ref = parseOciReference(pkg.identifier, pkg.version);
  const base = `${registries.oci(ref.host).replace(/\/+$/, '')}/v2/${ref.repository}`;
  let authorization: string | undefined;
  const get = async (url: string, accept: string): Promise<Response> => {
    const headers: Record<string, string> = { accept };
    if (authorization) headers.authorization = authorization;
    let response = await httpFetch(url, { headers }, registries.timeoutMs);
    const challenge = response.headers.get('www-authenticate');
    if (response.status === 401 && !authorization && challenge?.startsWith('Bearer ')) {
      authorization = `Bearer ${await ociToken(challenge, ref.repository, registries.timeoutMs)}`;
      response = await httpFetch(url, { headers: { ...headers, authorization } }, registries.timeoutMs);
    }
    return response;
  };
  let response = await get(`${base}/manifests/${ref.reference}`, MANIFEST_TYPES);
  if (response.status === 404) return [notFound(pkg, file, at)];
  if (!response.ok) throw new HttpError(response.url, response.status, `manifest: HTTP ${response.status}`);
  let manifest = (await readJson(response, response.url)) as OciManifest;
  if (manifest.manifests) {
    const chosen =
      manifest.manifests.find((m) => m.platform?.os === 'linux' && m.platform.architecture === 'amd64') ??
      manifest.manifests[0];
    if (!chosen) return [notFound(pkg, file, at)];
    response = await get(`${base}/manifests/${chosen.digest}`, MANIFEST_TYPES);
    if (!response.ok)
      throw new HttpError(response.url, response.status, `manifest ${chosen.digest}: HTTP ${response.status}`);
    manifest = (await readJson(response, response.url)) as OciManifest;
  }
  if (!manifest.config?.digest) throw new Error('the image manifest has no config');
  response = await get(`${base}/blobs/${manifest.config.digest}`, 'application/json');
  if (!response.ok) throw new HttpError(response.url, response.status, `config blob: HTTP ${response.status}`);
  const config = (await readJson(response, response.url)) as { config?: { Labels?: Record<string, string> | null } };
  const label = config.config?.Labels?.[OCI_NAME_LABEL];
  if (label === serverName) return [];
  const found = label === undefined ? 'has no label' : `has the label ${OCI_NAME_LABEL}=${JSON.stringify(label)}`;
  return [
    ruleProblem(
      'package-ownership',
      file,
      `${at}.identifier`,
      `image ${pkg.identifier} ${found}; expected ${OCI_NAME_LABEL}=${serverName}`,
    ),
  ];
}

async function ociToken(challenge: string, repository: string, timeoutMs?: number): Promise<string> {
  const params = Object.fromEntries(
    [...challenge.slice('Bearer '.length).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]),
  );
  if (!params.realm) throw new Error('the registry asked for a token without a realm');
  const url = new URL(params.realm);
  if (params.service) url.searchParams.set('service', params.service);
  url.searchParams.set('scope', params.scope ?? `repository:${repository}:pull`);
  const body = (await getJson(url.href, {}, timeoutMs)) as { token?: string; access_token?: string } | undefined;
  const token = body?.token ?? body?.access_token;
  if (!token) throw new Error(`no token from ${url.origin}`);
  return token;
}

async function verifyMcpb(pkg: Package, registries: PackageRegistries, file: string, at: string): Promise<Problem[]> {
  if (!pkg.identifier.startsWith('https://')) {
    return [
      ruleProblem('package-sha256', file, `${at}.identifier`, 'an MCPB package must be an https download URL', {
        hint: 'Use the https URL of the .mcpb release asset.',
      }),
    ];
  }
  if (!pkg.fileSha256)
    return [ruleProblem('package-sha256', file, `${at}.fileSha256`, 'an MCPB package needs fileSha256')];
  const url = registries.download(pkg.identifier);
  const response = await httpFetch(url, {}, registries.timeoutMs ?? 60_000);
  if (response.status === 404) return [notFound(pkg, file, at)];
  if (!response.ok) throw new HttpError(url, response.status, `HTTP ${response.status}`);
  const hash = createHash('sha256');
  await readCapped(response, registries.maxDownloadBytes ?? 200 * 1024 * 1024, url, (chunk) => hash.update(chunk));
  const actual = hash.digest('hex');
  if (actual === pkg.fileSha256) return [];
  return [
    ruleProblem(
      'package-sha256',
      file,
      `${at}.fileSha256`,
      `the file at ${pkg.identifier} has SHA-256 ${actual}, not ${pkg.fileSha256}`,
    ),
  ];
}

function notFound(pkg: Package, file: string, at: string): Problem {
  return ruleProblem(
    'package-not-found',
    file,
    `${at}.identifier`,
    `${pkg.registryType} package ${pkg.identifier}${pkg.version ? ` version ${pkg.version}` : ''} was not found`,
  );
}
