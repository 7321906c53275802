import { beforeAll, describe, expect, it } from 'vitest';
import { apiFiles } from '../../../src/lib/api/emit.ts';
import { HEADERS, REDIRECTS } from '../../../src/lib/api/host.ts';
import type { ApiFile } from '../../../src/lib/api/json.ts';
import { canonicalJson } from '../../../src/lib/api/json.ts';
import {
  findVersion,
  listServers,
  listVersions,
  parseListQuery,
  STATIC_LIST_QUERY,
} from '../../../src/lib/api/official.ts';
import { serverDocument } from '../../../src/lib/api/ours.ts';
import type { ServerDocument, ServerList, ServerResponse } from '../../../src/lib/api/schemas.ts';
import { ServerListSchema, ServerResponseSchema } from '../../../src/lib/api/schemas.ts';
import type { Registry } from '../../../src/lib/registry/model.ts';
import { OFFICIAL_META_KEY, REGISTRY_META_KEY } from '../../../src/lib/site.ts';
import { officialValidators } from './support/openapi.ts';
import { apiTestRegistry, ODD_SERVER, ODD_VERSIONS } from './support/registry.ts';

const SITE = 'https://mcp.example.org';
let registry: Registry;
let documents: ServerDocument[];
let files: Map<string, string>;

beforeAll(async () => {
  registry = await apiTestRegistry();
  documents = registry.servers.map((record) => serverDocument(record, SITE));
  files = new Map([...apiFiles(registry, SITE)].map((file: ApiFile) => [file.path, file.body]));
});

const body = (path: string): unknown => {
  const text = files.get(path);
  if (text === undefined) throw new Error(`no file ${path}`);
  return JSON.parse(text);
};
const official = (response: ServerResponse) => response._meta[OFFICIAL_META_KEY];

describe('official v0.1 files', () => {
  it('validate against the official OpenAPI ServerList / ServerResponse and our own schemas', () => {
    const validate = officialValidators();
    const v01 = [...files.keys()].filter((path) => path.startsWith('v0.1/servers/'));
    expect(v01.length).toBeGreaterThan(40);
    for (const path of v01) {
      const isList = path.endsWith('/index.json');
      const validator = isList ? validate.ServerList : validate.ServerResponse;
      const value = body(path);
      expect(validator(value), `${path}: ${JSON.stringify(validator.errors)}`).toBe(true);
      expect((isList ? ServerListSchema : ServerResponseSchema).safeParse(value).success, path).toBe(true);
    }
  });

  it('are byte-identical to serialising the query answers the preview server gives', () => {
    expect(files.get('v0.1/servers/index.json')).toBe(canonicalJson(listServers(documents, STATIC_LIST_QUERY)));
    for (const document of documents) {
      const versions = listVersions(document);
      const dir = `v0.1/servers/${document.name}/versions`;
      expect(files.get(`${dir}/index.json`)).toBe(versions === undefined ? undefined : canonicalJson(versions));
      for (const response of versions?.servers ?? [])
        expect(files.get(`${dir}/${response.server.version}`)).toBe(canonicalJson(response));
      const latest = findVersion(document, 'latest');
      expect(files.get(`${dir}/latest`)).toBe(latest === undefined ? undefined : canonicalJson(latest));
    }
  });

  it('list every latest, non-deleted server once, by name, in one page without nextCursor', () => {
    const list = body('v0.1/servers/index.json') as ServerList;
    const expected = registry.servers.filter((record) => record.latest !== undefined).map((record) => record.name);
    expect(list.servers.map((entry) => entry.server.name)).toEqual(expected);
    expect(list.metadata).toEqual({ count: expected.length });
    expect(list.servers.every((entry) => official(entry).isLatest && official(entry).status !== 'deleted')).toBe(true);
    expect(list.servers.map((entry) => entry.server.name)).not.toContain('io.github.gone/vanished');
  });

  it('keep deprecated entries with their message, and add our own _meta', () => {
    const list = body('v0.1/servers/index.json') as ServerList;
    const legacy = list.servers.find((entry) => entry.server.name === 'io.github.legacy/old-tool')!;
    expect(official(legacy).status).toBe('deprecated');
    expect(official(legacy).statusMessage).toBeTruthy();
    expect(legacy._meta[REGISTRY_META_KEY]).toMatchObject({ url: `${SITE}/servers/io.github.legacy/old-tool/` });
  });

  it('serve every visible version, newest publish first, and latest, at paths named by the raw version', () => {
    const versions = body(`v0.1/servers/${ODD_SERVER}/versions/index.json`) as ServerList;
    expect(versions.servers.map((entry) => entry.server.version)).toEqual([...ODD_VERSIONS].reverse());
    for (const version of ODD_VERSIONS) {
      const response = body(`v0.1/servers/${ODD_SERVER}/versions/${version}`) as ServerResponse;
      expect(response.server.version).toBe(version);
    }
    const latest = body(`v0.1/servers/${ODD_SERVER}/versions/latest`) as ServerResponse;
    expect(latest.server.version).toBe('1.0.0');
    expect(official(latest).isLatest).toBe(true);
  });

  it('leave deleted versions and all-deleted servers out', () => {
    expect([...files.keys()].some((path) => path.startsWith('v0.1/servers/io.github.gone/'))).toBe(false);
    const nightly = registry.servers.find((record) => record.name === 'io.github.flaky/nightly')!;
    const deleted = nightly.versions
      .filter((version) => version.status === 'deleted')
      .map((version) => version.server.version);
    expect(deleted.length).toBeGreaterThan(0);
    for (const version of deleted)
      expect(files.has(`v0.1/servers/io.github.flaky/nightly/versions/${version}`)).toBe(false);
  });

  it('come with host rules for the two paths that are both a document and a folder, CORS and a JSON 404', () => {
    expect(REDIRECTS).toContain('/v0.1/servers /v0.1/servers/index.json 200');
    expect(REDIRECTS).toContain(
      '/v0.1/servers/:namespace/:name/versions /v0.1/servers/:namespace/:name/versions/index.json 200',
    );
    for (const line of REDIRECTS.split('\n').filter((line) => line !== '' && !line.startsWith('#'))) {
      expect(line).toMatch(/^\/\S+ \/\S+ 200$/);
    }
    expect(HEADERS).toMatch(/^\/\*\n {2}Access-Control-Allow-Origin: \*$/m);
    expect(body('v0.1/404.html')).toEqual({ error: 'Server not found' });
  });
});

describe('v0.1 queries (the preview server answers these)', () => {
  const query = (params: string) => {
    const parsed = parseListQuery(new URLSearchParams(params));
    if ('error' in parsed) throw new Error(parsed.error);
    return listServers(documents, parsed.query);
  };
  const visibleVersions = () =>
    registry.servers.flatMap((record) => record.versions.filter((version) => version.status !== 'deleted'));

  it('page through every visible version exactly once with limit and cursor (default: all versions)', () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 100; page += 1) {
      const list = query(`limit=4${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
      expect(list.servers.length).toBeLessThanOrEqual(4);
      expect(list.metadata.count).toBe(list.servers.length);
      seen.push(...list.servers.map((entry) => `${entry.server.name}@${entry.server.version}`));
      cursor = list.metadata.nextCursor;
      if (cursor === undefined) break;
    }
    expect(cursor).toBeUndefined();
    expect(seen.length).toBe(visibleVersions().length);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('default to 30 per page, and version=latest matches the static list', () => {
    expect(query('').servers.length).toBe(Math.min(30, visibleVersions().length));
    const all = listServers(documents, STATIC_LIST_QUERY);
    expect(query('version=latest&limit=100').servers).toEqual(all.servers);
  });

  it('search case-insensitively over name, title and description, every term', () => {
    const names = (params: string) => [...new Set(query(params).servers.map((entry) => entry.server.name))];
    expect(names('search=ODD%20versions&version=latest')).toEqual([ODD_SERVER]);
    expect(names('search=encoding&version=latest')).toEqual([ODD_SERVER]);
    expect(names('search=odd%20nothing-like-this')).toEqual([]);
  });

  it('filter by exact version, updated_since (deleted included) and include_deleted', () => {
    expect(query('version=%7B%7BVERSION%7D%7D').servers.map((entry) => entry.server.name)).toEqual([ODD_SERVER]);
    const since = query('updated_since=2025-09-20T00:00:00Z&limit=100').servers;
    expect(since.some((entry) => official(entry).status === 'deleted')).toBe(true);
    expect(since.every((entry) => official(entry).updatedAt > '2025-09-20')).toBe(true);
    const deleted = query('include_deleted=true&limit=100').servers.filter(
      (entry) => official(entry).status === 'deleted',
    );
    expect(deleted.length).toBe(
      registry.servers.flatMap((record) => record.versions).filter((v) => v.status === 'deleted').length,
    );
  });

  it('reject invalid parameters with a message', () => {
    for (const params of [
      'limit=0',
      'limit=101',
      'limit=ten',
      'updated_since=yesterday',
      'include_deleted=maybe',
      'cursor=nocolon',
    ]) {
      const parsed = parseListQuery(new URLSearchParams(params));
      expect('error' in parsed, params).toBe(true);
    }
  });

  it('answer single versions and version lists, hiding deleted ones unless asked', () => {
    const gone = documents.find((document) => document.name === 'io.github.gone/vanished')!;
    expect(listVersions(gone)).toBeUndefined();
    expect(listVersions(gone, true)?.servers.length).toBe(2);
    expect(findVersion(gone, 'latest', true)).toBeUndefined();
    expect(findVersion(gone, '0.1.0')).toBeUndefined();
    expect(findVersion(gone, '0.1.0', true)?.server.version).toBe('0.1.0');
  });
});
