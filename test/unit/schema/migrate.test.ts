import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { migrateManifest, schemaVersionOf } from '../../../src/lib/schema/migrate.ts';
import { CURRENT_SCHEMA_URL, RELEASED_SCHEMA_VERSIONS } from '../../../src/lib/schema/server.ts';
import { validateManifestText } from '../../../src/lib/validate/manifest.ts';

const REAL = new URL('../../fixtures/manifests/real/', import.meta.url);
const realFiles = readdirSync(REAL)
  .filter((name) => name.endsWith('.json'))
  .sort();
const readReal = (name: string) => readFileSync(new URL(name, REAL), 'utf8');
const realRecord = (name: string) => JSON.parse(readReal(name)) as Record<string, any>;
const schemaUrl = (version: string) => `https://static.modelcontextprotocol.io/schemas/${version}/server.schema.json`;
const codes = (problems: { code: string }[]) => problems.map((problem) => problem.code);

/** Writes a camelCase manifest the way a 2025-07-09 publisher did: snake_case field names. */
function toSnakeCase(value: unknown, parentKey = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => toSnakeCase(item, parentKey));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => {
      // Keys of `variables` maps and `_meta` are names chosen by the publisher, not schema fields.
      const isFreeForm = parentKey === 'variables' || parentKey === '_meta';
      const renamed =
        isFreeForm || key === '$schema' ? key : key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
      return [renamed, toSnakeCase(item, key)];
    }),
  );
}

describe('schemaVersionOf', () => {
  it('reads every released version and the #/definitions/ServerDetail form', () => {
    for (const version of RELEASED_SCHEMA_VERSIONS) expect(schemaVersionOf(schemaUrl(version))).toBe(version);
    expect(schemaVersionOf(`${schemaUrl('2025-10-17')}#/definitions/ServerDetail`)).toBe('2025-10-17');
  });

  it('knows no other URL', () => {
    expect(schemaVersionOf(schemaUrl('2025-10-18'))).toBeUndefined();
    expect(schemaVersionOf(schemaUrl('2025-12-11').replace('https:', 'http:'))).toBeUndefined();
    expect(
      schemaVersionOf(
        'https://raw.githubusercontent.com/modelcontextprotocol/registry/main/docs/reference/server-json/draft/server.schema.json',
      ),
    ).toBeUndefined();
  });
});

describe('real records of every released version', () => {
  it('has real fixtures for every version found in the official data', () => {
    const versions = new Set(realFiles.map((name) => name.slice(0, 10)));
    expect([...versions].sort()).toEqual(['2025-07-09', '2025-09-16', '2025-09-29', '2025-10-17', '2025-12-11']);
  });

  for (const name of realFiles) {
    it(`${name} normalises and validates without errors`, () => {
      const text = readReal(name);
      const declared = JSON.parse(text).$schema as string;
      const result = validateManifestText(text, name);
      expect(result.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
      expect(result.server?.$schema).toBe(CURRENT_SCHEMA_URL);
      expect(result.sourceSchemaVersion).toBe(schemaVersionOf(declared));
      expect(codes(result.problems).includes('schema-outdated')).toBe(!declared.includes('2025-12-11'));
    });
  }

  it('2025-07-09: snake_case field names become camelCase with the same meaning', () => {
    const camel = realRecord('2025-09-29-integer-format.json');
    const snake = { ...(toSnakeCase(camel) as object), $schema: schemaUrl('2025-07-09') };
    expect(JSON.stringify(snake)).toContain('environment_variables');
    const fromSnake = migrateManifest(snake, 'snake.json');
    const fromCamel = migrateManifest(camel, 'camel.json');
    expect(fromSnake.value).toEqual(fromCamel.value);
    expect(fromSnake.sourceSchemaVersion).toBe('2025-07-09');
    expect(validateManifestText(JSON.stringify(snake), 'snake.json').server).toEqual(
      validateManifestText(JSON.stringify(camel), 'camel.json').server,
    );
  });

  it('2025-07-09: a field given in both spellings keeps camelCase and warns', () => {
    const record = {
      ...realRecord('2025-07-09-a.json'),
      websiteUrl: 'https://new.example.com',
      website_url: 'https://old.example.com',
    };
    const result = migrateManifest(record, 'both.json');
    expect((result.value as any).websiteUrl).toBe('https://new.example.com');
    expect((result.value as any).website_url).toBeUndefined();
    expect(result.problems.find((problem) => problem.code === 'legacy-field-conflict')?.path).toBe('$.website_url');
  });

  it('2025-07-09: the pre-release registry_name/name package spelling is read', () => {
    const record = {
      ...realRecord('2025-07-09-a.json'),
      packages: [{ registry_name: 'npm', name: '@devcycle/mcp', version: '6.1.1', transport: { type: 'stdio' } }],
    };
    const result = validateManifestText(JSON.stringify(record), 'old.json');
    expect(result.server?.packages?.[0]).toMatchObject({
      registryType: 'npm',
      identifier: '@devcycle/mcp',
      version: '6.1.1',
    });
  });

  it('2025-09-16: a publisher-set status is dropped, with a warning unless active', () => {
    const active = migrateManifest({ ...realRecord('2025-09-16-remote.json'), status: 'active' }, 'a.json');
    expect((active.value as any).status).toBeUndefined();
    expect(codes(active.problems)).toEqual(['schema-outdated']);
    const deprecated = migrateManifest({ ...realRecord('2025-09-16-remote.json'), status: 'deprecated' }, 'd.json');
    expect(deprecated.problems.find((problem) => problem.code === 'legacy-value-normalised')?.path).toBe('$.status');
  });

  it('2025-09-16: an OCI image with version and registryBaseUrl becomes one reference', () => {
    const record = realRecord('2025-09-16-oci.json');
    record.packages[0] = {
      ...record.packages[0],
      identifier: 'fengcl/mcp-sse-demo-02',
      version: '0.1.5',
      registryBaseUrl: 'https://ghcr.io',
    };
    const result = validateManifestText(JSON.stringify(record), 'oci.json');
    expect(result.server?.packages?.[0]).toMatchObject({ identifier: 'ghcr.io/fengcl/mcp-sse-demo-02:0.1.5' });
    expect(result.server?.packages?.[0]).not.toHaveProperty('version');
    expect(result.server?.packages?.[0]).not.toHaveProperty('registryBaseUrl');
  });

  it('2025-09-29: an empty repository object is treated as absent, silently', () => {
    const result = migrateManifest(realRecord('2025-09-29-empty-repository.json'), 'r.json');
    expect((result.value as any).repository).toBeUndefined();
    expect(codes(result.problems)).toEqual(['schema-outdated']);
  });

  it('2025-09-29: package version "latest" is removed with a warning', () => {
    const result = validateManifestText(readReal('2025-09-29-latest-package.json'), 'l.json');
    expect(result.server?.packages?.[0]).not.toHaveProperty('version');
    const warning = result.problems.find((problem) => problem.code === 'legacy-value-normalised');
    expect(warning).toMatchObject({ severity: 'warning', path: '$.packages[0].version' });
    expect(warning?.message).toContain('"latest"');
    expect(warning?.line).toBeGreaterThan(1);
  });

  it('2025-09-29: format "integer" is read as "number" with a warning', () => {
    const result = validateManifestText(readReal('2025-09-29-integer-format.json'), 'i.json');
    const formats = JSON.stringify(result.server).match(/"format":"\w+"/g) ?? [];
    expect(formats).not.toContain('"format":"integer"');
    expect(
      result.problems.some(
        (problem) => problem.code === 'legacy-value-normalised' && problem.message.includes('"integer"'),
      ),
    ).toBe(true);
  });

  it('2025-09-29 and 2025-10-17: an empty argument type is inferred with a warning', () => {
    const positional = validateManifestText(readReal('2025-09-29-empty-argument-type.json'), 'p.json');
    const args =
      positional.server?.packages?.flatMap((pkg) => [
        ...(pkg.runtimeArguments ?? []),
        ...(pkg.packageArguments ?? []),
      ]) ?? [];
    expect(args.some((argument) => argument.type === 'positional' && argument.value === 'mcp')).toBe(true);
    const named = validateManifestText(readReal('2025-10-17-empty-argument-type.json'), 'n.json');
    expect(
      named.problems.filter((problem) => problem.code === 'legacy-value-normalised').map((problem) => problem.message),
    ).toContain('argument type "" was read as "positional"; its name "diagram" is not kept');
  });

  it('2025-10-11: identical to 2025-10-17 apart from $id, so real 2025-10-17 records read the same', () => {
    for (const name of realFiles.filter((file) => file.startsWith('2025-10-17'))) {
      const record = realRecord(name);
      const as1011 = validateManifestText(JSON.stringify({ ...record, $schema: schemaUrl('2025-10-11') }), name);
      const as1017 = validateManifestText(JSON.stringify(record), name);
      expect(as1011.sourceSchemaVersion).toBe('2025-10-11');
      expect(as1011.server).toEqual(as1017.server);
      expect(as1011.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    }
  });

  it('2025-10-17: an untagged OCI image reads as :latest with a warning', () => {
    const result = validateManifestText(readReal('2025-10-17-oci-untagged.json'), 'o.json');
    expect(result.server?.packages?.find((pkg) => pkg.registryType === 'oci')?.identifier).toMatch(/:latest$/);
    expect(
      result.problems.some(
        (problem) => problem.code === 'legacy-value-normalised' && problem.message.includes('unpinned'),
      ),
    ).toBe(true);
  });

  it('2025-10-17: the bare NuGet host becomes its v3 service index', () => {
    const result = validateManifestText(readReal('2025-10-17-nuget-host.json'), 'n.json');
    expect(result.server?.packages?.find((pkg) => pkg.registryType === 'nuget')?.registryBaseUrl).toBe(
      'https://api.nuget.org/v3/index.json',
    );
  });

  it('the same oddities in a current-schema file are errors, not silently fixed', () => {
    const record = { ...realRecord('2025-09-29-latest-package.json'), $schema: CURRENT_SCHEMA_URL };
    expect(codes(validateManifestText(JSON.stringify(record), 'c.json').problems)).toContain(
      'package-version-reserved',
    );
    const untagged = { ...realRecord('2025-10-17-oci-untagged.json'), $schema: CURRENT_SCHEMA_URL };
    expect(codes(validateManifestText(JSON.stringify(untagged), 'c.json').problems)).toContain('oci-no-version');
  });
});

describe('migrateManifest', () => {
  it('never modifies its input', () => {
    for (const name of realFiles) {
      const record = realRecord(name);
      const before = JSON.stringify(record);
      migrateManifest(Object.freeze(record), name);
      expect(JSON.stringify(record)).toBe(before);
    }
  });

  it('assumes the current schema, with a warning, when $schema is missing', () => {
    const { $schema: _, ...record } = realRecord('2025-12-11-remote.json');
    const result = validateManifestText(JSON.stringify(record), 'm.json');
    expect(codes(result.problems)).toEqual(['schema-missing']);
    expect(result.server?.$schema).toBe(CURRENT_SCHEMA_URL);
    expect(result.sourceSchemaVersion).toBeUndefined();
  });

  it('rejects an unknown $schema but still reports the rest of the file', () => {
    const record = {
      ...realRecord('2025-12-11-remote.json'),
      $schema: 'https://example.com/schema.json',
      version: '^1.0.0',
    };
    const result = validateManifestText(JSON.stringify(record), 'u.json');
    expect(result.server).toBeUndefined();
    expect(codes(result.problems)).toEqual(['schema-unknown', 'version-range']);
    expect(result.problems[0]).toMatchObject({ severity: 'error', path: '$.$schema' });
  });

  it('passes non-objects through for the schema to report', () => {
    expect(migrateManifest([1, 2], 'a.json')).toEqual({ value: [1, 2], problems: [] });
    expect(migrateManifest(null, 'a.json').problems).toEqual([]);
  });
});
