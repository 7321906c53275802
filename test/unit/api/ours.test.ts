import { createHash } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiFiles } from '../../../src/lib/api/emit.ts';
import { canonicalJson } from '../../../src/lib/api/json.ts';
import { buildChanges, PUBLISHED_SCHEMAS, schemaDocument, serverDocumentPath } from '../../../src/lib/api/ours.ts';
import type { Changes, Index, ServerDocument } from '../../../src/lib/api/schemas.ts';
import { comparePublishTimes } from '../../../src/lib/registry/latest.ts';
import type { Registry } from '../../../src/lib/registry/model.ts';
import type { SourceFile } from '../../../src/lib/registry/source.ts';
import { apiTestRegistry, apiTestSource, ODD_SERVER, registryFrom } from './support/registry.ts';

const SITE = 'https://mcp.example.org';
let registry: Registry;
let files: Map<string, string>;

beforeAll(async () => {
  registry = await apiTestRegistry();
  files = new Map([...apiFiles(registry, SITE)].map((file) => [file.path, file.body]));
});

const json = <T>(path: string): T => JSON.parse(files.get(path) ?? `"missing ${path}"`) as T;

/** Every emitted file's bytes, hashed: two emissions are equal exactly when these are. */
function fingerprint(from: Registry, site = SITE): string {
  const hash = createHash('sha256');
  for (const file of apiFiles(from, site)) hash.update(`${file.path}\0${file.body}\0`);
  return hash.digest('hex');
}

/** The same data with every object's keys in reverse order and the files in reverse order. */
function reshuffled(source: readonly SourceFile[]): SourceFile[] {
  const reverseKeys = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(reverseKeys)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value)
              .reverse()
              .map(([key, member]) => [key, reverseKeys(member)]),
          )
        : value;
  return [...source]
    .reverse()
    .map((file) => ({ path: file.path, text: JSON.stringify(reverseKeys(JSON.parse(file.text)), null, 4) }));
}

describe('our API (/api/v1)', () => {
  it('validates against the JSON Schemas it publishes', () => {
    const ajv = new Ajv2020({ allErrors: true, strictTypes: false });
    addFormats.default(ajv);
    const validator = (name: keyof typeof PUBLISHED_SCHEMAS) => ajv.compile(json(`api/v1/schema/${name}`));
    const checks: Array<[keyof typeof PUBLISHED_SCHEMAS, string[]]> = [
      ['index.json', ['api/v1/index.json']],
      ['changes.json', ['api/v1/changes.json']],
      ['server.json', [...files.keys()].filter((path) => path.startsWith('api/v1/servers/'))],
      [
        'v0.1-server-list.json',
        [...files.keys()].filter((path) => path.startsWith('v0.1/') && path.endsWith('/index.json')),
      ],
    ];
    for (const [schema, paths] of checks) {
      const validate = validator(schema);
      expect(paths.length, schema).toBeGreaterThan(0);
      for (const path of paths) expect(validate(json(path)), `${path}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    expect(json<{ $id: string }>('api/v1/schema/index.json').$id).toBe(`${SITE}/api/v1/schema/index.json`);
  });

  it('indexes every server with a latest version in compact rows', () => {
    const index = json<Index>('api/v1/index.json');
    expect(index.count).toBe(index.servers.length);
    expect(index.servers.map((row) => row.n)).toEqual(registry.servers.filter((r) => r.latest).map((r) => r.name));
    expect(index.servers.find((row) => row.n === ODD_SERVER)).toEqual({
      n: ODD_SERVER,
      t: 'Odd Versions',
      d: 'Version strings that need URL encoding.',
      v: '1.0.0',
      s: 'active',
      p: [],
      x: ['streamable-http'],
      c: [],
      u: '2025-10-13T08:00:00Z',
    });
  });

  it('publishes one document per server with every version, deleted ones included', () => {
    const gone = json<ServerDocument>(serverDocumentPath('io.github.gone/vanished'));
    expect(gone.latestVersion).toBeUndefined();
    expect(gone.versions.map((entry) => entry.facts.status)).toEqual(['deleted', 'deleted']);
    const odd = json<ServerDocument>(serverDocumentPath(ODD_SERVER));
    expect(odd).toMatchObject({
      name: ODD_SERVER,
      url: `${SITE}/servers/io.github.odd/versions/`,
      latestVersion: '1.0.0',
    });
    expect(odd.versions.map((entry) => entry.server.version)).toEqual([
      '1.0.1º',
      '{{VERSION}}',
      '1.0.0+build.7',
      '1.0.0',
    ]);
  });

  it('orders the change feed by update time (newest first), then name, then version, and cuts it', () => {
    const { changes, total, count } = json<Changes>('api/v1/changes.json');
    expect(total).toBe(registry.servers.reduce((sum, record) => sum + record.versions.length, 0));
    expect(count).toBe(changes.length);
    for (let i = 1; i < changes.length; i += 1) {
      const [a, b] = [changes[i - 1]!, changes[i]!];
      const order =
        comparePublishTimes(b.updatedAt, a.updatedAt) ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
        (a.version < b.version ? -1 : 1);
      expect(order, `${a.name}@${a.version} before ${b.name}@${b.version}`).toBeLessThan(0);
    }
    const cut = buildChanges(registry, 3);
    expect(cut.changes).toEqual(changes.slice(0, 3));
    expect(cut).toMatchObject({ count: 3, total });
  });

  it('publishes a JSON Schema for every document type, generated from zod', () => {
    for (const name of Object.keys(PUBLISHED_SCHEMAS) as (keyof typeof PUBLISHED_SCHEMAS)[]) {
      const schema = json<{ $schema: string; type: string }>(`api/v1/schema/${name}`);
      expect(schema).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' });
      expect(canonicalJson(schemaDocument(name, SITE))).toBe(files.get(`api/v1/schema/${name}`));
    }
  });
});

describe('determinism', () => {
  it('emits byte-identical files for the same data, whatever the key and file order of the source', async () => {
    const source = await apiTestSource();
    const first = fingerprint(registry);
    expect(fingerprint(registry)).toBe(first);
    expect(fingerprint(registryFrom(source))).toBe(first);
    expect(fingerprint(registryFrom(reshuffled(source)))).toBe(first);
    expect(fingerprint(registry, 'https://other.example.org')).not.toBe(first);
  });

  it('sorts keys at every depth and keeps a `__proto__` key as data', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson(JSON.parse('{"__proto__":{"x":1},"a":2}'))).toBe('{"__proto__":{"x":1},"a":2}');
  });
});
