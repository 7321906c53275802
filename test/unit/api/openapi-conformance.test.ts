import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadComponents, officialValidators, OPENAPI_SOURCE, ROOTS, trimComponents } from './support/openapi.ts';

const SHARED_OPENAPI = path.resolve(import.meta.dirname, '../../../../shared/reference/openapi.yaml');
const hasShared = existsSync(SHARED_OPENAPI);

describe('the vendored OpenAPI components', () => {
  it.skipIf(!hasShared)('match the official openapi.yaml (skipped without ../shared/reference/openapi.yaml)', () => {
    const openapi = parse(readFileSync(SHARED_OPENAPI, 'utf8'));
    expect(loadComponents().schemas).toEqual(trimComponents(openapi, ROOTS));
    expect(loadComponents().$comment).toContain(OPENAPI_SOURCE);
    expect(loadComponents().$comment).toContain(String(openapi.info.version));
  });

  it('reject what the official API would not send', () => {
    const { ServerResponse, ServerList } = officialValidators();
    const server = { name: 'io.github.user/weather', description: 'Weather.', version: '1.0.0' };
    const meta = {
      status: 'active',
      publishedAt: '2025-09-01T00:00:00Z',
      updatedAt: '2025-09-01T00:00:00Z',
      isLatest: true,
    };
    expect(ServerResponse({ server, _meta: { 'io.modelcontextprotocol.registry/official': meta } })).toBe(true);
    expect(ServerResponse({ _meta: {} })).toBe(false);
    expect(ServerResponse({ server: { ...server, name: 'no-slash' } })).toBe(false);
    expect(
      ServerResponse({ server, _meta: { 'io.modelcontextprotocol.registry/official': { ...meta, extra: 1 } } }),
    ).toBe(false);
    expect(
      ServerResponse({ server, _meta: { 'io.modelcontextprotocol.registry/official': { ...meta, status: 'gone' } } }),
    ).toBe(false);
    expect(ServerList({ servers: [{ server }], metadata: { count: 1 } })).toBe(true);
    expect(ServerList({ metadata: { count: 0 } })).toBe(false);
    expect(ServerList({ servers: [], metadata: { count: 'none' } })).toBe(false);
  });
});
