/**
 * The official registry OpenAPI component schemas, for validating what we publish with ajv.
 * `test/fixtures/openapi/components.json` is a structural copy of the components of
 * https://modelcontextprotocol.io/schemas/draft/2025-12-01/server-registry-openapi (openapi.yaml, version
 * 2025-12-01): only the schemas that ServerList and ServerResponse reach, with descriptions and
 * examples removed. `trimComponents` makes it from the original; the conformance test checks that the
 * copy still matches the original when ../shared/reference/openapi.yaml is present.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export const COMPONENTS_FILE = path.resolve(import.meta.dirname, '../../../fixtures/openapi/components.json');
export const OPENAPI_SOURCE = 'https://modelcontextprotocol.io/schemas/draft/2025-12-01/server-registry-openapi';
const PROSE = new Set(['description', 'example', 'examples', 'summary']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The component schemas `roots` reach through `$ref`, with prose keywords removed, keys sorted. */
export function trimComponents(
  openapi: { components: { schemas: Record<string, Json> } },
  roots: readonly string[],
): Record<string, Json> {
  const all = openapi.components.schemas;
  const kept: Record<string, Json> = {};
  const visit = (name: string): void => {
    if (name in kept) return;
    const schema = all[name];
    if (schema === undefined) throw new Error(`openapi.yaml has no component ${name}`);
    kept[name] = null;
    kept[name] = strip(schema, visit);
  };
  roots.forEach(visit);
  return Object.fromEntries(
    Object.keys(kept)
      .sort()
      .map((name) => [name, kept[name]!]),
  );
}

function strip(value: Json, onRef: (name: string) => void): Json {
  if (Array.isArray(value)) return value.map((item) => strip(item, onRef));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, Json> = {};
  for (const key of Object.keys(value).sort()) {
    if (PROSE.has(key)) continue;
    const member = value[key]!;
    if (key === '$ref' && typeof member === 'string') onRef(member.replace('#/components/schemas/', ''));
    // `properties` maps names to schemas: a property may be called `description` and must stay.
    out[key] = key === 'properties' ? stripProperties(member, onRef) : strip(member, onRef);
  }
  return out;
}

function stripProperties(properties: Json, onRef: (name: string) => void): Json {
  if (properties === null || typeof properties !== 'object' || Array.isArray(properties)) return properties;
  return Object.fromEntries(
    Object.keys(properties)
      .sort()
      .map((name) => [name, strip(properties[name]!, onRef)]),
  );
}

export const ROOTS = ['ServerList', 'ServerResponse'] as const;

export function loadComponents(): { $comment: string; schemas: Record<string, Json> } {
  return JSON.parse(readFileSync(COMPONENTS_FILE, 'utf8'));
}

/** ajv validators for the official ServerList and ServerResponse. */
export function officialValidators(): Record<(typeof ROOTS)[number], ValidateFunction> {
  const ajv = new Ajv2020({ allErrors: true, strictTypes: false, strictTuples: false });
  addFormats.default(ajv);
  // The components sit where OpenAPI puts them, so their `#/components/schemas/...` refs resolve unchanged.
  ajv.addKeyword('components');
  ajv.addSchema({ $id: 'openapi', components: { schemas: loadComponents().schemas } });
  const get = (name: string): ValidateFunction => {
    const validate = ajv.getSchema(`openapi#/components/schemas/${name}`);
    if (validate === undefined) throw new Error(`no schema ${name}`);
    return validate;
  };
  return { ServerList: get('ServerList'), ServerResponse: get('ServerResponse') };
}
