/**
 * Reads the `$schema` a manifest declares and normalises every released server.json version
 * (2025-07-09 .. 2025-12-11) to the current one, on the parsed value (the file itself is stored
 * verbatim and never touched). Differences between the released schemas, from diffing them:
 *
 * - 2025-07-09: snake_case field names (registry_type, is_required, value_hint, website_url...);
 *   packages[].version required; a publisher-settable `status`; `_meta.../official` allowed.
 * - 2025-09-16: camelCase; still `status` and `_meta.../official`.
 * - 2025-09-29: `status` gone; Package had `additionalProperties: false`.
 * - 2025-10-11 (= 2025-10-17): icons, title, placeholder, packages[].version optional (OCI tag
 *   moves into identifier), remotes[].variables.
 * - 2025-12-11: transport URLs must match `^https?://[^\s]+$` (before: streamable-http unchecked).
 *
 * The official registry accepted records that its own schema of the day forbids (empty argument
 * `type`, `format: "integer"`, package `version: "latest"`, `repository: {}`); the real corpus has
 * all of them, as well as untagged OCI images and the bare NuGet host as registryBaseUrl.
 * Meaning-preserving rewrites are silent; a rewrite that changes meaning is a
 * `legacy-value-normalised` warning naming the original value. Files declaring the current
 * version get none of these leniencies.
 */
import type { Problem } from '../problems.ts';
import { jsonPath } from '../problems.ts';
import { ruleProblem } from '../rule-codes.ts';
import { CURRENT_SCHEMA_URL, CURRENT_SCHEMA_VERSION, RELEASED_SCHEMA_VERSIONS, type SchemaVersion } from './server.ts';

export interface MigrationResult {
  /** The value shaped for the current schema, not yet validated (a copy, except from migrateInPlace). */
  value: unknown;
  /** The released version the file declares; undefined when `$schema` is missing or unknown. */
  sourceSchemaVersion?: SchemaVersion;
  problems: Problem[];
}

type JsonObject = Record<string, unknown>;
type Path = (string | number)[];

const SCHEMA_URL =
  /^https:\/\/static\.modelcontextprotocol\.io\/schemas\/(\d{4}-\d{2}-\d{2})\/server\.schema\.json(?:#\/definitions\/ServerDetail)?$/;

/** The released version named by a `$schema` URL (also the `#/definitions/ServerDetail` form seen in real data). */
export function schemaVersionOf(url: string): SchemaVersion | undefined {
  const version = SCHEMA_URL.exec(url)?.[1];
  return RELEASED_SCHEMA_VERSIONS.find((known) => known === version);
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const objectsIn = (value: unknown): [JsonObject, number][] =>
  Array.isArray(value)
    ? value.flatMap((item, index) => (isObject(item) ? [[item, index] as [JsonObject, number]] : []))
    : [];

const INPUT_FORMATS = new Set(['string', 'number', 'boolean', 'filepath']);
const LEGACY_FORMATS = new Map([
  ['integer', 'number'],
  ['int', 'number'],
  ['float', 'number'],
  ['double', 'number'],
  ['bool', 'boolean'],
  ['path', 'filepath'],
  ['file', 'filepath'],
]);

/** 2025-07-09 field names, per place in the document. */
const SNAKE_SERVER = new Map([['website_url', 'websiteUrl']]);
const SNAKE_PACKAGE = new Map([
  ['registry_type', 'registryType'],
  ['registry_name', 'registryType'],
  ['registry_base_url', 'registryBaseUrl'],
  ['file_sha256', 'fileSha256'],
  ['runtime_hint', 'runtimeHint'],
  ['runtime_arguments', 'runtimeArguments'],
  ['package_arguments', 'packageArguments'],
  ['environment_variables', 'environmentVariables'],
]);
const SNAKE_INPUT = new Map([
  ['is_required', 'isRequired'],
  ['is_secret', 'isSecret'],
  ['is_repeated', 'isRepeated'],
  ['value_hint', 'valueHint'],
]);
const SNAKE_TRANSPORT = new Map([['transport_type', 'type']]);

class Migration {
  readonly problems: Problem[] = [];
  readonly file: string;
  /** Only a file declaring an older released version gets the lenient legacy rewrites. */
  readonly legacy: boolean;
  constructor(file: string, legacy: boolean) {
    this.file = file;
    this.legacy = legacy;
  }

  warn(path: Path, message: string): void {
    this.problems.push(ruleProblem('legacy-value-normalised', this.file, jsonPath(path), message));
  }

  rename(target: JsonObject, names: ReadonlyMap<string, string>, path: Path): void {
    if (!this.legacy) return;
    for (const from of Object.keys(target)) {
      const to = names.get(from);
      if (to === undefined) continue;
      if (Object.hasOwn(target, to)) {
        this.problems.push(
          ruleProblem(
            'legacy-field-conflict',
            this.file,
            jsonPath([...path, from]),
            `both "${from}" and "${to}" are set; "${to}" is used`,
          ),
        );
      } else {
        target[to] = target[from];
      }
      delete target[from];
    }
  }

  server(server: JsonObject): void {
    this.rename(server, SNAKE_SERVER, []);
    server.$schema = CURRENT_SCHEMA_URL;
    if (this.legacy && Object.hasOwn(server, 'status')) {
      // Lifecycle status became registry-managed (registry.json), never publisher-provided.
      if (server.status !== 'active')
        this.warn(
          ['status'],
          `publisher-set status ${JSON.stringify(server.status)} is ignored; the registry manages status`,
        );
      delete server.status;
    }
    const repository = server.repository;
    // The official registry treats an empty repository as absent (real data has `"repository": {}`).
    if (isObject(repository) && !repository.url && !repository.source && !repository.id && !repository.subfolder) {
      delete server.repository;
    }
    for (const [pkg, index] of objectsIn(server.packages)) this.package(pkg, ['packages', index]);
    for (const [remote, index] of objectsIn(server.remotes)) this.transport(remote, ['remotes', index]);
  }

  package(pkg: JsonObject, path: Path): void {
    this.rename(pkg, SNAKE_PACKAGE, path);
    // Pre-2025-07-09 drafts called the identifier `name` (next to `registry_name`).
    if (this.legacy && pkg.identifier === undefined && typeof pkg.name === 'string') {
      pkg.identifier = pkg.name;
      delete pkg.name;
    }
    if (this.legacy && (pkg.version === 'latest' || pkg.version === '')) {
      this.warn(
        [...path, 'version'],
        `package version ${JSON.stringify(pkg.version)} is not a version; it was removed, so the package is unpinned`,
      );
      delete pkg.version;
    }
    if (this.legacy && pkg.registryType === 'oci') this.ociReference(pkg, [...path, 'identifier']);
    // Older NuGet records name the host only; it is the same registry as its v3 service index.
    if (
      this.legacy &&
      pkg.registryType === 'nuget' &&
      typeof pkg.registryBaseUrl === 'string' &&
      /^https:\/\/api\.nuget\.org\/?$/.test(pkg.registryBaseUrl)
    ) {
      pkg.registryBaseUrl = 'https://api.nuget.org/v3/index.json';
    }
    if (this.legacy && typeof pkg.transport === 'string') {
      pkg.transport = { type: pkg.transport };
    }
    if (isObject(pkg.transport)) this.transport(pkg.transport, [...path, 'transport']);
    for (const list of ['runtimeArguments', 'packageArguments'] as const) {
      for (const [argument, index] of objectsIn(pkg[list])) this.argument(argument, [...path, list, index]);
    }
    for (const [env, index] of objectsIn(pkg.environmentVariables))
      this.input(env, [...path, 'environmentVariables', index]);
  }

  /** Before 2025-10-11 an OCI image gave its tag in `version` and its host in `registryBaseUrl`. */
  ociReference(pkg: JsonObject, path: Path): void {
    if (typeof pkg.identifier !== 'string') return;
    let identifier = pkg.identifier;
    if (typeof pkg.registryBaseUrl === 'string' && URL.canParse(pkg.registryBaseUrl)) {
      const host = new URL(pkg.registryBaseUrl).host;
      if (!identifier.startsWith(`${host}/`)) identifier = `${host}/${identifier}`;
      delete pkg.registryBaseUrl;
    }
    const lastSegment = identifier.slice(identifier.lastIndexOf('/') + 1);
    const hasTag = lastSegment.includes(':') || lastSegment.includes('@');
    if (typeof pkg.version === 'string' && !hasTag) {
      identifier = `${identifier}:${pkg.version}`;
      delete pkg.version;
    } else if (!hasTag) {
      // Docker pulls `:latest` for an untagged reference; say so, since that is unpinned.
      identifier = `${identifier}:latest`;
      this.warn(
        path,
        `OCI image ${JSON.stringify(pkg.identifier)} has no tag; read as ${JSON.stringify(identifier)} (unpinned)`,
      );
    }
    pkg.identifier = identifier;
  }

  transport(transport: JsonObject, path: Path): void {
    this.rename(transport, SNAKE_TRANSPORT, path);
    for (const [header, index] of objectsIn(transport.headers)) this.input(header, [...path, 'headers', index]);
    this.variables(transport.variables, [...path, 'variables']);
  }

  argument(argument: JsonObject, path: Path): void {
    this.input(argument, path);
    if (this.legacy && (argument.type === undefined || argument.type === '')) {
      // Accepted with an empty type by the official registry; a flag-like name means a named argument.
      const inferred = typeof argument.name === 'string' && argument.name.startsWith('-') ? 'named' : 'positional';
      const lostName =
        inferred === 'positional' && typeof argument.name === 'string'
          ? `; its name ${JSON.stringify(argument.name)} is not kept`
          : '';
      this.warn(
        [...path, 'type'],
        `argument type ${JSON.stringify(argument.type ?? null)} was read as "${inferred}"${lostName}`,
      );
      argument.type = inferred;
      if (lostName) delete argument.name;
    }
  }

  input(input: JsonObject, path: Path): void {
    this.rename(input, SNAKE_INPUT, path);
    if (this.legacy && typeof input.format === 'string' && !INPUT_FORMATS.has(input.format)) {
      const replacement = LEGACY_FORMATS.get(input.format.toLowerCase());
      if (replacement) {
        this.warn([...path, 'format'], `format "${input.format}" was read as "${replacement}"`);
        input.format = replacement;
      } else {
        this.warn([...path, 'format'], `unknown format "${input.format}" was removed (read as the default, "string")`);
        delete input.format;
      }
    }
    this.variables(input.variables, [...path, 'variables']);
  }

  variables(variables: unknown, path: Path): void {
    if (!isObject(variables)) return;
    for (const [name, variable] of Object.entries(variables)) {
      if (isObject(variable)) this.input(variable, [...path, name]);
    }
  }
}

/**
 * Detects the declared schema version and returns a normalised copy of `raw`. Missing `$schema`:
 * warning, read as current. Older released version: `schema-outdated` warning. Anything else:
 * `schema-unknown` error (the document is still read as current so further problems show).
 */
export function migrateManifest(raw: unknown, file: string): MigrationResult {
  return migrateInPlace(structuredClone(raw), file);
}

/**
 * `migrateManifest` that rewrites `value` itself: for callers that own a freshly parsed value
 * (validateManifestText), saving a deep copy per manifest.
 */
export function migrateInPlace(value: unknown, file: string): MigrationResult {
  if (!isObject(value)) return { value, problems: [] };
  const problems: Problem[] = [];
  const declared = value.$schema;
  let sourceSchemaVersion: SchemaVersion | undefined;
  if (declared === undefined) {
    problems.push(ruleProblem('schema-missing', file, '$', `no $schema; read as ${CURRENT_SCHEMA_VERSION}`));
  } else {
    sourceSchemaVersion = typeof declared === 'string' ? schemaVersionOf(declared) : undefined;
    if (sourceSchemaVersion === undefined) {
      problems.push(
        ruleProblem(
          'schema-unknown',
          file,
          '$.$schema',
          `${JSON.stringify(declared)} is not a released server.json schema URL`,
        ),
      );
    } else if (sourceSchemaVersion !== CURRENT_SCHEMA_VERSION) {
      problems.push(
        ruleProblem(
          'schema-outdated',
          file,
          '$.$schema',
          `schema ${sourceSchemaVersion} is not the current ${CURRENT_SCHEMA_VERSION}; normalised to it`,
        ),
      );
    }
  }
  const legacy = sourceSchemaVersion !== undefined && sourceSchemaVersion !== CURRENT_SCHEMA_VERSION;
  const migration = new Migration(file, legacy);
  migration.server(value);
  return { value, sourceSchemaVersion, problems: [...problems, ...migration.problems] };
}
