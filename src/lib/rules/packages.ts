/** Rules on packages: identifiers, registries, OCI and MCPB specifics, arguments, stdio transports. */
import type { Problem } from '../problems.ts';
import type { Argument, Package } from '../schema/server.ts';
import { quote, rawItem, report, type Rule, type RuleContext } from './context.ts';
import { hostnameOf, schemeKind } from './url.ts';

export const REGISTRY_TYPES = ['npm', 'pypi', 'nuget', 'oci', 'mcpb'] as const;
/** registryBaseUrl accepted per registry type (only npm, PyPI and NuGet take one). */
export const REGISTRY_BASE_URLS: ReadonlyMap<string, readonly string[]> = new Map([
  ['npm', ['https://registry.npmjs.org']],
  ['pypi', ['https://pypi.org']],
  ['nuget', ['https://api.nuget.org/v3/index.json']],
]);
const OCI_HOSTS = new Set([
  'docker.io',
  'registry-1.docker.io',
  'index.docker.io',
  'ghcr.io',
  'quay.io',
  'mcr.microsoft.com',
]);
const OCI_HOST_SUFFIXES = ['.pkg.dev', '.azurecr.io'];

function eachPackage(
  context: RuleContext,
  check: (pkg: Package, path: (string | number)[], index: number) => Problem[],
): Problem[] {
  return (context.server.packages ?? []).flatMap((pkg, index) => check(pkg, ['packages', index], index));
}

export const packageIdentifierSpaces: Rule = (context) =>
  eachPackage(context, (pkg, path) =>
    /\s/.test(pkg.identifier)
      ? [
          report(
            context,
            'package-identifier-spaces',
            [...path, 'identifier'],
            `identifier ${quote(pkg.identifier)} contains whitespace`,
          ),
        ]
      : [],
  );

export const registryType: Rule = (context) =>
  eachPackage(context, (pkg, path) =>
    (REGISTRY_TYPES as readonly string[]).includes(pkg.registryType)
      ? []
      : [
          report(
            context,
            'registry-type',
            [...path, 'registryType'],
            `registryType ${quote(pkg.registryType)} is not one of ${REGISTRY_TYPES.join(', ')}`,
          ),
        ],
  );

export const registryBaseUrl: Rule = (context) =>
  eachPackage(context, (pkg, path) => {
    const allowed = REGISTRY_BASE_URLS.get(pkg.registryType);
    if (pkg.registryBaseUrl === undefined || !allowed || schemeKind(pkg.registryBaseUrl) === 'other') return [];
    if (allowed.includes(pkg.registryBaseUrl.replace(/\/+$/, ''))) return [];
    return [
      report(
        context,
        'registry-base-url',
        [...path, 'registryBaseUrl'],
        `${pkg.registryType} packages must use ${allowed.join(' or ')}, not ${quote(pkg.registryBaseUrl)}`,
      ),
    ];
  });

/** Registry host of an OCI reference: the first segment when it looks like a host, else Docker Hub. */
export function ociHost(identifier: string): string {
  const slash = identifier.indexOf('/');
  const first = slash === -1 ? '' : identifier.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first.toLowerCase() : 'docker.io';
}

export const ociRegistryHost: Rule = (context) =>
  eachPackage(context, (pkg, path) => {
    if (pkg.registryType !== 'oci') return [];
    const host = ociHost(pkg.identifier);
    if (OCI_HOSTS.has(host) || OCI_HOST_SUFFIXES.some((suffix) => host.endsWith(suffix) && host.length > suffix.length))
      return [];
    return [
      report(
        context,
        'oci-registry-host',
        [...path, 'identifier'],
        `image registry ${quote(host)} is not an allowed OCI registry`,
      ),
    ];
  });

export const ociNoVersion: Rule = (context) =>
  eachPackage(context, (pkg, path) => {
    if (pkg.registryType !== 'oci') return [];
    const problems: Problem[] = [];
    for (const field of ['version', 'registryBaseUrl', 'fileSha256'] as const) {
      if (pkg[field] !== undefined) {
        problems.push(
          report(
            context,
            'oci-no-version',
            [...path, field],
            `OCI packages must not set ${field}; the identifier carries the full image reference`,
          ),
        );
      }
    }
    const lastSegment = pkg.identifier.slice(pkg.identifier.lastIndexOf('/') + 1);
    if (!lastSegment.includes(':') && !lastSegment.includes('@')) {
      problems.push(
        report(
          context,
          'oci-no-version',
          [...path, 'identifier'],
          `OCI identifier ${quote(pkg.identifier)} has no tag or digest (e.g. ${quote(`${pkg.identifier}:1.0.0`)})`,
        ),
      );
    }
    return problems;
  });

export const mcpbUrl: Rule = (context) =>
  eachPackage(context, (pkg, path) => {
    if (pkg.registryType !== 'mcpb') return [];
    const kind = schemeKind(pkg.identifier);
    if (kind === 'other') return []; // url-scheme reports it
    if (kind !== 'https' || hostnameOf(pkg.identifier) === undefined) {
      return [
        report(
          context,
          'mcpb-url',
          [...path, 'identifier'],
          `MCPB identifier ${quote(pkg.identifier)} is not an absolute https URL`,
        ),
      ];
    }
    if (!pkg.identifier.toLowerCase().includes('mcp')) {
      return [
        report(
          context,
          'mcpb-url',
          [...path, 'identifier'],
          `MCPB URL ${quote(pkg.identifier)} does not contain "mcp"`,
        ),
      ];
    }
    return [];
  });

export const mcpbSha256: Rule = (context) =>
  eachPackage(context, (pkg, path) =>
    pkg.registryType === 'mcpb' && pkg.fileSha256 === undefined
      ? [report(context, 'mcpb-sha256', path, 'MCPB packages need fileSha256 so clients can verify the download')]
      : [],
  );

function eachNamedArgument(
  context: RuleContext,
  check: (argument: Extract<Argument, { type: 'named' }>, path: (string | number)[]) => Problem[],
): Problem[] {
  return eachPackage(context, (pkg, path) =>
    (['runtimeArguments', 'packageArguments'] as const).flatMap((list) =>
      (pkg[list] ?? []).flatMap((argument, index) =>
        argument.type === 'named' ? check(argument, [...path, list, index]) : [],
      ),
    ),
  );
}

export const argumentNameChars: Rule = (context) =>
  eachNamedArgument(context, (argument, path) => {
    if (argument.name === '')
      return [report(context, 'argument-name-chars', [...path, 'name'], 'a named argument needs a name')];
    const bad = /[<> $]/.exec(argument.name);
    return bad
      ? [
          report(
            context,
            'argument-name-chars',
            [...path, 'name'],
            `argument name ${quote(argument.name)} contains ${quote(bad[0])}`,
          ),
        ]
      : [];
  });

export const argumentValueRepeatsName: Rule = (context) =>
  eachNamedArgument(context, (argument, path) =>
    (['value', 'default'] as const).flatMap((field) => {
      const text = argument[field];
      if (!text || !argument.name || !text.startsWith(argument.name)) return [];
      return [
        report(
          context,
          'argument-value-repeats-name',
          [...path, field],
          `${field} ${quote(text)} starts with the argument name ${quote(argument.name)}`,
        ),
      ];
    }),
  );

/** The schema drops a stdio transport's `url`, so this rule reads the unstripped document. */
export const stdioUrl: Rule = (context) =>
  eachPackage(context, (pkg, path, index) => {
    const transport = rawItem(context.raw.packages, index)?.transport as Record<string, unknown> | undefined;
    if (pkg.transport.type !== 'stdio' || transport?.url === undefined || transport.url === '') return [];
    return [
      report(
        context,
        'stdio-url',
        [...path, 'transport', 'url'],
        `a stdio transport has no url, got ${quote(transport.url)}`,
      ),
    ];
  });
