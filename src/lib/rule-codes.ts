/**
 * Every problem code anything can report (the validator, the registry loader, import, the build, the
 * pull-request check and the health job), with its severity, a title, a fix hint and the official
 * MCP registry check it mirrors. `Problem.code` is typed by this table; the CLIs, the bot comment,
 * docs/validation.md (kept in sync by a test) and CONTRIBUTING.md read it.
 */
import { MAX_JSON_DEPTH, MAX_MANIFEST_BYTES } from './json/parse.ts';
import type { Problem, Severity } from './problems.ts';

export interface RuleInfo {
  severity: Severity;
  /** What the rule checks, in a few words. */
  title: string;
  /** How to fix it, in one sentence. */
  hint: string;
  /** The official registry behaviour this mirrors, or why the rule is our own. */
  mirrors: string;
  /**
   * Who reports it: `manifest`, validation of one server.json; `registry`, the loader, import or build,
   * which see the whole registry; `pull-request`, the PR check, which also sees the diff, the author
   * and the outside world; `health`, the nightly health check.
   */
  scope: 'manifest' | 'registry' | 'pull-request' | 'health';
}

const OFFICIAL_SCHEMA = 'official server.schema.json 2025-12-11';
const VALIDATORS = 'official registry semantic validation (internal/validators)';
const OWN = 'MCP Index: not checked by the official registry';

export const RULES = {
  // --- Reading the file
  'json-syntax': {
    severity: 'error',
    title: 'File is not valid JSON',
    hint: 'Fix the JSON syntax at the reported line and column (no comments, no trailing commas, double quotes only).',
    mirrors: 'official registry rejects a body that is not JSON',
    scope: 'manifest',
  },
  'json-too-large': {
    severity: 'error',
    title: `File is larger than ${MAX_MANIFEST_BYTES / 1024 / 1024} MiB`,
    hint: 'A server.json is a few kilobytes; move long texts to your repository README.',
    mirrors: OWN + ' (a guard against hostile input)',
    scope: 'manifest',
  },
  'json-too-deep': {
    severity: 'error',
    title: `JSON nested more than ${MAX_JSON_DEPTH} levels deep`,
    hint: 'Flatten the structure; no server.json field nests deeper than a few levels.',
    mirrors: OWN + ' (a guard against hostile input)',
    scope: 'manifest',
  },
  // --- $schema and migration
  'schema-missing': {
    severity: 'warning',
    title: '$schema is missing',
    hint: 'Add "$schema": "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json".',
    mirrors: 'official registry requires $schema in practice; here the current version is assumed',
    scope: 'manifest',
  },
  'schema-outdated': {
    severity: 'warning',
    title: '$schema is an older released version',
    hint: 'Update the file to the 2025-12-11 schema and its $schema URL; it was read and normalised meanwhile.',
    mirrors: 'official registry warns about a non-current schema version',
    scope: 'manifest',
  },
  'schema-unknown': {
    severity: 'error',
    title: '$schema is not a released server.json schema',
    hint: 'Use "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json".',
    mirrors: 'official registry rejects an unknown schema version',
    scope: 'manifest',
  },
  'legacy-value-normalised': {
    severity: 'warning',
    title: 'An old-schema value was changed to fit the current schema',
    hint: 'Rewrite the field as the message suggests, so the stored meaning is exactly what you intend.',
    mirrors: 'official registry accepted these values under older schemas',
    scope: 'manifest',
  },
  'legacy-field-conflict': {
    severity: 'warning',
    title: 'A field is given in both old (snake_case) and new (camelCase) spelling',
    hint: 'Keep only the camelCase spelling.',
    mirrors: 'official schema 2025-07-09 used snake_case, later versions camelCase',
    scope: 'manifest',
  },
  // --- Structure (zod schema)
  'schema-type': {
    severity: 'error',
    title: 'Value has the wrong JSON type',
    hint: 'Use the type the schema expects (string, number, boolean, object or array) at this path.',
    mirrors: OFFICIAL_SCHEMA,
    scope: 'manifest',
  },
  'schema-required': {
    severity: 'error',
    title: 'Required field is missing',
    hint: 'Add the missing field; see the official server.json schema for its meaning.',
    mirrors: OFFICIAL_SCHEMA,
    scope: 'manifest',
  },
  'schema-enum': {
    severity: 'error',
    title: 'Value is not one of the allowed values',
    hint: 'Use one of the values listed in the message.',
    mirrors: OFFICIAL_SCHEMA,
    scope: 'manifest',
  },
  'schema-format': {
    severity: 'error',
    title: 'String does not have the required format',
    hint: 'Write the value in the format named in the message (absolute URI, 64 hex characters, WIDTHxHEIGHT...).',
    mirrors: OFFICIAL_SCHEMA,
    scope: 'manifest',
  },
  'schema-length': {
    severity: 'error',
    title: 'String or list is too short or too long',
    hint: 'Shorten or fill in the value to the length given in the message.',
    mirrors: OFFICIAL_SCHEMA,
    scope: 'manifest',
  },
  'schema-unknown-field': {
    severity: 'warning',
    title: 'Property is not part of the schema and is dropped',
    hint: 'Check the spelling against the server.json schema (fields are camelCase), or remove the property.',
    mirrors: 'official registry drops unknown properties silently; MCP Index says so',
    scope: 'manifest',
  },
  'schema-invalid': {
    severity: 'error',
    title: 'Value does not match the schema',
    hint: 'Compare this field with the official server.json schema.',
    mirrors: OFFICIAL_SCHEMA,
    scope: 'manifest',
  },
  // --- Name, description, title, version
  'name-format': {
    severity: 'error',
    title: 'Server name is not namespace/name',
    hint: 'Use exactly one "/", letters, digits, ".", "-" (and "_" after the slash), starting and ending each part with a letter or digit, 3-200 characters.',
    mirrors: VALIDATORS + ': invalid-server-name',
    scope: 'manifest',
  },
  'name-namespace-format': {
    severity: 'error',
    title: 'Namespace is not reverse-DNS',
    hint: 'Use a reverse-DNS namespace you can prove: io.github.<user> or a domain you own reversed (com.example).',
    mirrors: 'official registry namespace ownership (io.github.<login>, reverse-DNS domains)',
    scope: 'manifest',
  },
  'description-length': {
    severity: 'error',
    title: 'Description is not 1-100 characters',
    hint: 'Write a one-line description of at most 100 characters; put details in your README.',
    mirrors: OFFICIAL_SCHEMA + ': description minLength 1, maxLength 100',
    scope: 'manifest',
  },
  'title-length': {
    severity: 'error',
    title: 'Title is not 1-100 characters',
    hint: 'Use a short display name of at most 100 characters, or leave title out.',
    mirrors: OFFICIAL_SCHEMA + ': title minLength 1, maxLength 100',
    scope: 'manifest',
  },
  'title-blank': {
    severity: 'error',
    title: 'Title is only whitespace',
    hint: 'Give a real display name or leave title out.',
    mirrors: VALIDATORS + ': title-whitespace-only',
    scope: 'manifest',
  },
  'version-reserved': {
    severity: 'error',
    title: 'Version "latest" is reserved',
    hint: 'Use the concrete version you are publishing, e.g. "1.2.3".',
    mirrors: VALIDATORS + ': reserved-version-string',
    scope: 'manifest',
  },
  'version-range': {
    severity: 'error',
    title: 'Version is a range, not one version',
    hint: 'Use one specific version such as "1.2.3"; ranges like ^1.2.3, ~1.2, >=1.0, 1.x and 1 || 2 are rejected.',
    mirrors: VALIDATORS + ': version-looks-like-range',
    scope: 'manifest',
  },
  'version-length': {
    severity: 'error',
    title: 'Version is longer than 255 characters',
    hint: 'Use a short version string such as "1.2.3".',
    mirrors: OFFICIAL_SCHEMA + ': version maxLength 255',
    scope: 'manifest',
  },
  'version-unsafe-filename': {
    severity: 'error',
    title: 'Version cannot be used as a file name',
    hint: 'Remove "/", "\\", control characters and <>:"|?*, and do not start with "." or end with "." or a space.',
    mirrors: OWN + ' (versions are stored as versions/<version>.json and used in URLs)',
    scope: 'manifest',
  },
  // --- Remotes and transports
  'remote-transport': {
    severity: 'error',
    title: 'Remote transport is not streamable-http or sse',
    hint: 'Set remotes[].type to "streamable-http" (preferred) or "sse"; stdio is only for packages.',
    mirrors: VALIDATORS + ': unsupported-remote-transport-type',
    scope: 'manifest',
  },
  'remote-https': {
    severity: 'error',
    title: 'Remote URL is not https',
    hint: 'Serve the remote over https and use an https:// URL.',
    mirrors: VALIDATORS + ': invalid-remote-url',
    scope: 'manifest',
  },
  'remote-localhost': {
    severity: 'error',
    title: 'Remote URL points to localhost',
    hint: 'A remote must be reachable by everyone; publish a package with a local transport for local servers.',
    mirrors: VALIDATORS + ': invalid-remote-url',
    scope: 'manifest',
  },
  'remote-template-undeclared': {
    severity: 'error',
    title: 'Remote URL uses a {variable} that is not declared',
    hint: 'Declare every {name} used in the URL under remotes[].variables.',
    mirrors: VALIDATORS + ': invalid-templated-url',
    scope: 'manifest',
  },
  'package-transport-url-template': {
    severity: 'error',
    title: 'Package transport URL uses an undeclared {variable} or is not a valid URL',
    hint: 'Reference only argument names/valueHints or environment variable names of the same package, in an http(s) URL.',
    mirrors: VALIDATORS + ': invalid-templated-url',
    scope: 'manifest',
  },
  'stdio-url': {
    severity: 'error',
    title: 'A stdio transport has a url',
    hint: 'Remove url from a stdio transport, or use streamable-http/sse.',
    mirrors: VALIDATORS + ': stdio-transport-url-not-empty',
    scope: 'manifest',
  },
  'url-scheme': {
    severity: 'error',
    title: 'URL uses a scheme other than http(s)',
    hint: 'Use an https:// URL; javascript:, data:, file: and other schemes are never accepted.',
    mirrors: VALIDATORS + ' (URLs must be http/https) and MCP Index safety rules',
    scope: 'manifest',
  },
  'website-https': {
    severity: 'error',
    title: 'websiteUrl is not an absolute https URL',
    hint: 'Use an absolute https:// URL for websiteUrl.',
    mirrors: VALIDATORS + ': website-url-invalid-scheme',
    scope: 'manifest',
  },
  'icon-https': {
    severity: 'error',
    title: 'Icon src is not an absolute https URL',
    hint: 'Host the icon over https and use its absolute https:// URL.',
    mirrors: VALIDATORS + ': icon-src-invalid-scheme',
    scope: 'manifest',
  },
  // --- Repository
  'repository-host': {
    severity: 'error',
    title: 'repository.url is not a GitHub or GitLab repository URL',
    hint: 'Use https://github.com/<owner>/<repo> or https://gitlab.com/<group>/<repo> (no /tree/..., no .git suffix needed).',
    mirrors: VALIDATORS + ': invalid-repository-url',
    scope: 'manifest',
  },
  'repository-source-mismatch': {
    severity: 'error',
    title: 'repository.source does not match repository.url',
    hint: 'Set source to "github" for github.com URLs and "gitlab" for gitlab.com URLs.',
    mirrors: VALIDATORS + ': invalid-repository-url',
    scope: 'manifest',
  },
  'repository-subfolder': {
    severity: 'error',
    title: 'repository.subfolder is not a clean relative path',
    hint: 'Use a relative path like "src/server": no leading or trailing "/", no "." or ".." segments, only letters, digits, -, _, . and /.',
    mirrors: VALIDATORS + ': invalid-subfolder-path',
    scope: 'manifest',
  },
  // --- Packages
  'package-identifier-spaces': {
    severity: 'error',
    title: 'Package identifier contains spaces',
    hint: 'Use the exact package name (or download URL) without spaces.',
    mirrors: VALIDATORS + ': package-name-has-spaces',
    scope: 'manifest',
  },
  'package-version-reserved': {
    severity: 'error',
    title: 'Package version is "latest" or a range',
    hint: 'Pin the exact package version you tested, e.g. "1.2.3".',
    mirrors: VALIDATORS + ': reserved-version-string / version-looks-like-range on packages[].version',
    scope: 'manifest',
  },
  'registry-type': {
    severity: 'error',
    title: 'Unsupported package registryType',
    hint: 'Use one of npm, pypi, nuget, oci or mcpb.',
    mirrors: 'official registry publish check: unsupported registry type',
    scope: 'manifest',
  },
  'registry-base-url': {
    severity: 'error',
    title: 'registryBaseUrl is not the registry official URL',
    hint: 'Omit registryBaseUrl, or use https://registry.npmjs.org (npm), https://pypi.org (pypi), https://api.nuget.org/v3/index.json (nuget).',
    mirrors: 'official registry publish checks for npm, PyPI and NuGet',
    scope: 'manifest',
  },
  'argument-name-chars': {
    severity: 'error',
    title: 'Named argument name is empty or contains <, >, space or $',
    hint: 'Put only the flag in name (e.g. "--port") and the value in value/default/valueHint.',
    mirrors: VALIDATORS + ': named-argument-name-required / invalid-named-argument-name',
    scope: 'manifest',
  },
  'argument-value-repeats-name': {
    severity: 'error',
    title: 'Named argument value or default starts with the flag name',
    hint: 'Give only the value ("8080"), not the flag again ("--port=8080"); clients add the name themselves.',
    mirrors: VALIDATORS + ': argument-value-starts-with-name / argument-default-starts-with-name',
    scope: 'manifest',
  },
  'oci-registry-host': {
    severity: 'error',
    title: 'OCI image is not on an allowed registry',
    hint: 'Publish the image to docker.io, ghcr.io, quay.io, mcr.microsoft.com, *.pkg.dev or *.azurecr.io.',
    mirrors: 'official registry OCI check: unsupported OCI registry',
    scope: 'manifest',
  },
  'oci-no-version': {
    severity: 'error',
    title: 'OCI package has version, registryBaseUrl or fileSha256, or no tag',
    hint: 'Put the full reference with its tag or digest in identifier (ghcr.io/owner/image:1.2.3) and remove version, registryBaseUrl and fileSha256.',
    mirrors: 'official registry OCI check (canonical reference in identifier)',
    scope: 'manifest',
  },
  'mcpb-url': {
    severity: 'error',
    title: 'MCPB identifier is not an https download URL containing "mcp"',
    hint: 'Use the https URL of the .mcpb release asset, e.g. https://github.com/o/r/releases/download/v1/server.mcpb.',
    mirrors: 'official registry MCPB check',
    scope: 'manifest',
  },
  'mcpb-sha256': {
    severity: 'error',
    title: 'MCPB package has no fileSha256',
    hint: 'Add fileSha256: the lowercase hex SHA-256 of the .mcpb file (sha256sum server.mcpb).',
    mirrors: OFFICIAL_SCHEMA + ': fileSha256 required for MCPB packages',
    scope: 'manifest',
  },
  // --- _meta
  'meta-unknown-key': {
    severity: 'warning',
    title: '_meta key other than publisher-provided is dropped',
    hint: 'Move your data under _meta["io.modelcontextprotocol.registry/publisher-provided"].',
    mirrors: 'official registry keeps only io.modelcontextprotocol.registry/publisher-provided',
    scope: 'manifest',
  },
  'meta-size': {
    severity: 'error',
    title: 'publisher-provided _meta is larger than 4 KB',
    hint: 'Keep _meta["io.modelcontextprotocol.registry/publisher-provided"] under 4096 bytes of JSON.',
    mirrors: 'official registry publish check: publisher-provided extension exceeds 4KB limit',
    scope: 'manifest',
  },
  // --- Registry-wide (reported by the registry loader)
  'duplicate-version': {
    severity: 'error',
    title: 'The same version is published twice',
    hint: 'Versions are immutable: publish a new version number instead of reusing one.',
    mirrors: 'official registry: cannot publish duplicate version',
    scope: 'registry',
  },
  'name-case-collision': {
    severity: 'error',
    title: 'Two servers have names that differ only in letter case',
    hint: 'Use the existing spelling of the server name.',
    mirrors: OWN + ' (names are folders and URLs; case-insensitive file systems would merge them)',
    scope: 'registry',
  },
  'remote-url-claimed': {
    severity: 'error',
    title: 'Remote URL already belongs to another server',
    hint: 'Use a remote URL you own; one endpoint cannot be listed by two different servers.',
    mirrors: 'official registry: remote URL already used by a different server',
    scope: 'registry',
  },
  'too-many-versions': {
    severity: 'error',
    title: 'Server has more than 10,000 versions',
    hint: 'Stop publishing a version per build; delete old test versions.',
    mirrors: 'official registry: maximum 10,000 versions per server',
    scope: 'registry',
  },
  'folder-mismatch': {
    severity: 'error',
    title: 'File is not in the folder its name and version imply',
    hint: 'Store the file as servers/<namespace>/<name>/versions/<version>.json matching its name and version.',
    mirrors: OWN + ' (data folder layout)',
    scope: 'registry',
  },
  // --- Registry data folder (reported by the registry loader, the import and the build)
  'misplaced-file': {
    severity: 'error',
    title: 'JSON file outside the registry layout',
    hint: 'Manifests go in servers/<namespace>/<name>/versions/<version>.json, facts in servers/<namespace>/<name>/registry.json.',
    mirrors: OWN + ' (data folder layout)',
    scope: 'registry',
  },
  'unexpected-file': {
    severity: 'warning',
    title: 'File that is not part of the registry layout',
    hint: 'Remove it; only vocabulary.json and servers/**/(registry.json|versions/*.json) are read.',
    mirrors: OWN + ' (data folder layout)',
    scope: 'registry',
  },
  symlink: {
    severity: 'error',
    title: 'Symbolic link in the data folder',
    hint: 'Replace the link with a regular file or folder; links are never followed.',
    mirrors: OWN + ' (a guard against reading outside the data folder)',
    scope: 'registry',
  },
  'io-error': {
    severity: 'error',
    title: 'File or folder cannot be read',
    hint: 'Check that the path exists and is readable.',
    mirrors: OWN,
    scope: 'registry',
  },
  'facts-missing': {
    severity: 'error',
    title: 'Version has no registry-managed facts',
    hint: 'Add the version to "versions" in its registry.json (the deploy stamp does it on merge), or run `npm run import` for official data.',
    mirrors: OWN + ' (status and publish time live in registry.json, set by the registry, not the publisher)',
    scope: 'registry',
  },
  'facts-orphan': {
    severity: 'error',
    title: 'registry.json describes a version that has no file',
    hint: 'Remove the entry from registry.json, or add the version file it describes.',
    mirrors: OWN + ' (data folder layout)',
    scope: 'registry',
  },
  'probe-invalid': {
    severity: 'error',
    title: 'probe.json or probe-run.json does not match its schema',
    hint: 'These files are written by `npm run probe`; re-run it rather than editing them (docs/probe.md has the schema).',
    mirrors: OWN + ' (registry-managed probe results)',
    scope: 'registry',
  },
  'facts-invalid': {
    severity: 'error',
    title: 'registry.json does not match its schema',
    hint: 'Compare it with registry-data/README.md (status, publishedAt, updatedAt per version; curation ids), or re-run `npm run import`.',
    mirrors: 'official registry metadata: status active|deprecated|deleted, RFC 3339 publishedAt/updatedAt',
    scope: 'registry',
  },
  'vocabulary-invalid': {
    severity: 'error',
    title: 'vocabulary.json is not valid',
    hint: 'Give every category and tag a unique kebab-case id and a label.',
    mirrors: OWN + ' (curation vocabulary)',
    scope: 'registry',
  },
  'unknown-category': {
    severity: 'error',
    title: 'Curation names a category that is not in vocabulary.json',
    hint: 'Use a category id from vocabulary.json, or add the category there first.',
    mirrors: OWN + ' (curation vocabulary)',
    scope: 'registry',
  },
  'unknown-tag': {
    severity: 'error',
    title: 'Curation names a tag that is not in vocabulary.json',
    hint: 'Use a tag id from vocabulary.json, or add the tag there first.',
    mirrors: OWN + ' (curation vocabulary)',
    scope: 'registry',
  },
  'official-meta-missing': {
    severity: 'error',
    title: 'Imported record lacks the official registry metadata',
    hint: 'Import whole API responses: each entry needs _meta["io.modelcontextprotocol.registry/official"] with status and publishedAt.',
    mirrors: 'official API ServerResponse: _meta["io.modelcontextprotocol.registry/official"]',
    scope: 'registry',
  },
  'api-unservable-path': {
    severity: 'error',
    title: 'Name or version cannot be a path of the static API',
    hint: 'Use a name and version without empty, "." or ".." parts between slashes, a version other than "latest" or "index.json", and never both "1.0" and "1.0/beta" in one server.',
    mirrors: OWN + ' (the static API serves /v0.1/servers/<name>/versions/<version> as a file of that name)',
    scope: 'registry',
  },
  'policy-invalid': {
    severity: 'error',
    title: 'policy.json does not match its schema',
    hint: 'Compare it with docs/sync.md and api/v1/schema/policy.json: namespaces, names, packageTypes, distribution, allow, deny, publish.',
    mirrors: OWN + ' (which upstream servers `npm run sync` takes)',
    scope: 'registry',
  },
  'sync-state-invalid': {
    severity: 'error',
    title: 'sync-state.json does not match its schema',
    hint: 'The sync writes this file; restore it from git, or delete it so that the next sync is a full one.',
    mirrors: OWN + ' (what `npm run sync` remembers between runs)',
    scope: 'registry',
  },
  'build-failed': {
    severity: 'error',
    title: 'The site build failed',
    hint: 'Fix the build error shown (a page or the Astro config); the previous output was left as it was.',
    mirrors: OWN,
    scope: 'registry',
  },
  // --- Pull requests: what only a diff, its author and the outside world can break
  'version-immutable': {
    severity: 'error',
    title: 'A published version would be modified, replaced or deleted',
    hint: 'Published versions never change: publish the new content as a new version (a new versions/<version>.json file); to withdraw a version, set its status to "deprecated" or "deleted" in registry.json.',
    mirrors: 'official registry: versions are immutable once published',
    scope: 'pull-request',
  },
  'maintainer-only': {
    severity: 'error',
    title: 'Only a maintainer may change this file',
    hint: 'Open a separate pull request for it and ask a maintainer (listed in .github/MAINTAINERS) to review.',
    mirrors: OWN + ' (who may change what in this repository)',
    scope: 'pull-request',
  },
  'facts-need-owner': {
    severity: 'error',
    title: 'registry.json (status, curation) changed by someone who does not own the namespace',
    hint: 'Only the namespace owner or a maintainer may change status or curation; ask the owner to open this pull request.',
    mirrors: OWN + ' (status and curation belong to the namespace owner)',
    scope: 'pull-request',
  },
  'facts-registry-managed': {
    severity: 'error',
    title: 'Timestamps and new version entries in registry.json are stamped by the registry at merge',
    hint: 'Remove publishedAt/updatedAt and new version entries from registry.json; the deploy workflow writes them when the pull request is merged.',
    mirrors: 'official registry: publishedAt and updatedAt are set by the registry, never by the publisher',
    scope: 'pull-request',
  },
  'namespace-github': {
    severity: 'error',
    title: 'The io.github.<login> namespace does not belong to the pull-request author',
    hint: 'Publish under io.github.<your-login>/..., or make your membership of that organisation public and re-run the check.',
    mirrors: 'official registry: GitHub authentication grants io.github.<login>/* and public organisations',
    scope: 'pull-request',
  },
  'namespace-dns': {
    severity: 'error',
    title: 'No proof that the pull-request author controls the reverse-DNS namespace',
    hint: 'Add a DNS TXT record "v=MCPv1; k=ed25519; p=<base64 public key>" at the domain apex, or serve it at https://<domain>/.well-known/mcp-registry-auth.',
    mirrors: 'official registry: DNS TXT or HTTP .well-known authentication for reverse-DNS namespaces',
    scope: 'pull-request',
  },
  'namespace-unverified': {
    severity: 'error',
    title: 'Namespace ownership could not be checked (network or API failure)',
    hint: 'Re-run the check; if it keeps failing, a maintainer can verify ownership by hand.',
    mirrors: OWN + ' (a check that could not run never passes)',
    scope: 'pull-request',
  },
  'package-ownership': {
    severity: 'error',
    title: 'The package does not name this server as its owner',
    hint: 'npm: add "mcpName": "<server name>" to package.json and publish that version; PyPI/NuGet: put "mcp-name: <server name>" in the README; OCI: add the label io.modelcontextprotocol.server.name=<server name>.',
    mirrors: 'official registry package ownership: npm mcpName, PyPI/NuGet README mcp-name, OCI label',
    scope: 'pull-request',
  },
  'package-not-found': {
    severity: 'error',
    title: 'The package version does not exist in its registry',
    hint: 'Publish the package version first, then open the pull request (or fix identifier/version).',
    mirrors: 'official registry package validation: the package must exist in its registry',
    scope: 'pull-request',
  },
  'package-sha256': {
    severity: 'error',
    title: 'The MCPB file does not match fileSha256',
    hint: 'Recompute with `sha256sum <file>.mcpb` and put the 64 lowercase hex characters in fileSha256.',
    mirrors: 'official registry: an MCPB package is identified by its https URL and fileSha256',
    scope: 'pull-request',
  },
  'package-unverified': {
    severity: 'error',
    title: 'Package ownership could not be checked (network failure or unsupported registry)',
    hint: 'Re-run the check; if the registry is unsupported, a maintainer must review the package by hand.',
    mirrors: OWN + ' (a check that could not run never passes)',
    scope: 'pull-request',
  },
  'duplicate-package': {
    severity: 'error',
    title: 'The same package is already listed under another server name',
    hint: 'Publish new versions under the existing server name instead of a new one.',
    mirrors: OWN + ' (one package belongs to one server)',
    scope: 'pull-request',
  },
  'duplicate-remote': {
    severity: 'error',
    title: 'The same remote URL is already used by another server',
    hint: 'One remote URL belongs to one server: publish under the existing name, or use your own endpoint.',
    mirrors: 'official registry rejects a remote URL already used by another server',
    scope: 'pull-request',
  },
  'duplicate-repository': {
    severity: 'warning',
    title: 'The same repository (and subfolder) is already listed under another name',
    hint: 'If this is the same project, publish under the existing name; for a monorepo, set repository.subfolder.',
    mirrors: OWN + ' (impersonation guard)',
    scope: 'pull-request',
  },
  'name-confusable': {
    severity: 'error',
    title: 'The name is visually identical to an existing server name',
    hint: 'Choose a name that does not imitate an existing one (case, 0/o, 1/l, rn/m and Unicode look-alikes are compared).',
    mirrors: OWN + ' (impersonation guard)',
    scope: 'pull-request',
  },
  'name-lookalike': {
    severity: 'error',
    title: 'The name is one or two characters away from an existing server in another namespace',
    hint: 'Choose a clearly different name; if this is a genuine, unrelated project, ask a maintainer to review and merge.',
    mirrors: OWN + ' (impersonation guard)',
    scope: 'pull-request',
  },
  // --- The nightly health check
  'health-package-missing': {
    severity: 'error',
    title: 'A listed package no longer exists in its registry',
    hint: 'Republish the package or publish a new version of the server without it.',
    mirrors: OWN + ' (nightly re-check of the latest version)',
    scope: 'health',
  },
  'health-repository': {
    severity: 'warning',
    title: 'The repository is archived or gone',
    hint: 'Unarchive or move the repository and publish a version with the new repository.url.',
    mirrors: OWN + ' (nightly re-check of the latest version)',
    scope: 'health',
  },
  'health-remote': {
    severity: 'error',
    title: 'The remote endpoint does not answer an MCP initialize request',
    hint: 'Make the endpoint answer POST initialize (streamable-http) or GET (sse), or deprecate the version.',
    mirrors: OWN + ' (nightly re-check of the latest version)',
    scope: 'health',
  },
} as const satisfies Record<string, RuleInfo>;

export type RuleCode = keyof typeof RULES;

export const isRuleCode = (code: string): code is RuleCode => Object.hasOwn(RULES, code);

/**
 * A Problem for `code`, taking severity and hint from RULES so they never drift. `extra` may lower
 * the severity (a check that was skipped warns) or sharpen the hint, and places the problem.
 */
export function ruleProblem(
  code: RuleCode,
  file: string,
  path: string,
  message: string,
  extra: Partial<Pick<Problem, 'severity' | 'hint' | 'line' | 'column'>> = {},
): Problem {
  const rule: RuleInfo = RULES[code];
  const problem: Problem = {
    code,
    severity: extra.severity ?? rule.severity,
    file,
    path,
    message,
    hint: extra.hint ?? rule.hint,
  };
  if (extra.line !== undefined) problem.line = extra.line;
  if (extra.column !== undefined) problem.column = extra.column;
  return problem;
}
