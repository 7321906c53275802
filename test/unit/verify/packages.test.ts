/**
 * Package ownership for every registry type, against loopback servers that answer like the real
 * registries: PyPI JSON API, NuGet flat container readme, an OCI registry with a bearer-token
 * challenge, an image index and a config blob, and an MCPB download that is hashed.
 */
import { createHash } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Package } from '../../../src/lib/schema/server.ts';
import { DEFAULT_REGISTRIES, parseOciReference, verifyPackage } from '../../../src/lib/verify/packages.ts';
import type { PackageRegistries } from '../../../src/lib/verify/packages.ts';
import { startReplayServer } from '../../support/replay-server.ts';
import type { ReplayServer } from '../../support/replay-server.ts';

const NAME = 'io.github.alice/weather';
const mcpb = Buffer.from('a real bundle would be a zip; any bytes hash the same way');
const mcpbSha = createHash('sha256').update(mcpb).digest('hex');
const configDigest = 'sha256:' + 'c'.repeat(64);
const amdDigest = 'sha256:' + 'a'.repeat(64);
let server: ReplayServer;
let registries: PackageRegistries;

const json = (path: string, body: unknown, status = 200, headers: Record<string, string> = {}) => ({
  request: { method: 'GET', path },
  response: { status, body, headers },
});

beforeAll(async () => {
  server = await startReplayServer([
    json('/pypi/alice-weather/1.0.0/json', {
      info: { name: 'alice-weather', version: '1.0.0', description: `# Weather\n\n<!-- mcp-name: ${NAME} -->\n` },
    }),
    json('/pypi/alice-prefix/1.0.0/json', { info: { description: `mcp-name: ${NAME}-extended` } }),
    json('/pypi/gone/9.9.9/json', { message: 'Not Found' }, 404),
    {
      request: { method: 'GET', path: '/nuget/alice.weather/2.0.0/readme' },
      response: { status: 200, bodyText: `Weather for .NET\n\nmcp-name: ${NAME}\n` },
    },
    // OCI: unauthenticated -> 401 challenge -> token -> index -> amd64 manifest -> config blob
    {
      request: {
        method: 'GET',
        path: '/v2/alice/weather/manifests/1.0.0',
        headers: { authorization: 'Bearer tok-123' },
      },
      response: {
        status: 200,
        headers: { 'content-type': 'application/vnd.oci.image.index.v1+json' },
        body: {
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.index.v1+json',
          manifests: [
            { digest: 'sha256:' + 'b'.repeat(64), platform: { os: 'linux', architecture: 'arm64' } },
            { digest: amdDigest, platform: { os: 'linux', architecture: 'amd64' } },
          ],
        },
      },
    },
    {
      request: { method: 'GET', path: '/v2/alice/weather/manifests/1.0.0' },
      response: {
        status: 401,
        headers: {
          'www-authenticate':
            'Bearer realm="{{baseUrl}}/token",service="registry.test",scope="repository:alice/weather:pull"',
        },
        body: { errors: [{ code: 'UNAUTHORIZED' }] },
      },
    },
    json('/token', { token: 'tok-123', expires_in: 300 }),
    {
      request: { method: 'GET', path: `/v2/alice/weather/manifests/${amdDigest}` },
      response: {
        status: 200,
        body: {
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: 100 },
          layers: [],
        },
      },
    },
    {
      request: { method: 'GET', path: `/v2/alice/weather/blobs/${configDigest}` },
      response: { status: 307, headers: { location: '{{baseUrl}}/blob-storage/config' } },
    },
    json('/blob-storage/config', {
      architecture: 'amd64',
      os: 'linux',
      config: {
        Labels: {
          'io.modelcontextprotocol.server.name': NAME,
          'org.opencontainers.image.source': 'https://github.com/alice/weather',
        },
      },
    }),
    json('/v2/library/nginx/manifests/latest', { schemaVersion: 2, config: { digest: configDigest } }),
    json(`/v2/library/nginx/blobs/${configDigest}`, { config: { Labels: null } }),
    {
      request: { method: 'GET', path: '/files/github.com/alice/weather/releases/download/v1/weather.mcpb' },
      response: { status: 200, bodyBase64: mcpb.toString('base64') },
    },
  ]);
  registries = {
    ...DEFAULT_REGISTRIES,
    pypi: server.baseUrl,
    nuget: `${server.baseUrl}/nuget`,
    oci: () => server.baseUrl,
    download: (url) => `${server.baseUrl}/files/${url.slice('https://'.length)}`,
  };
});
afterAll(() => server.close());

const pkg = (registryType: string, identifier: string, extra: Partial<Package> = {}): Package => ({
  registryType,
  identifier,
  transport: { type: 'stdio' },
  ...extra,
});
const check = (p: Package) => verifyPackage(NAME, p, registries, 'f.json', '$.packages[0]');
const codes = async (p: Package) => (await check(p)).map((problem) => problem.code);

describe('verifyPackage', () => {
  it('PyPI: accepts the mcp-name marker in the README (inside an HTML comment), refuses a longer name, reports a missing release', async () => {
    expect(await check(pkg('pypi', 'alice-weather', { version: '1.0.0' }))).toEqual([]);
    expect(await codes(pkg('pypi', 'alice-prefix', { version: '1.0.0' }))).toEqual(['package-ownership']);
    expect(await codes(pkg('pypi', 'gone', { version: '9.9.9' }))).toEqual(['package-not-found']);
  });

  it('NuGet: reads the readme of that exact version (ids and versions lower-cased)', async () => {
    expect(await check(pkg('nuget', 'Alice.Weather', { version: '2.0.0' }))).toEqual([]);
  });

  it('OCI: follows the token challenge, picks linux/amd64 from the index, reads the label from the config blob', async () => {
    expect(await check(pkg('oci', 'ghcr.io/alice/weather:1.0.0'))).toEqual([]);
    const [problem] = await check(pkg('oci', 'nginx'));
    expect(problem).toMatchObject({ code: 'package-ownership', path: '$.packages[0].identifier' });
    expect(problem!.message).toContain('has no label');
  });

  it('MCPB: downloads and compares the SHA-256', async () => {
    const url = 'https://github.com/alice/weather/releases/download/v1/weather.mcpb';
    expect(await check(pkg('mcpb', url, { fileSha256: mcpbSha }))).toEqual([]);
    expect(await codes(pkg('mcpb', url, { fileSha256: '0'.repeat(64) }))).toEqual(['package-sha256']);
    expect(await codes(pkg('mcpb', url))).toEqual(['package-sha256']);
  });

  it('reports unreachable registries and unknown types as unverified, never throws', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const offline = { ...registries, npm: `http://127.0.0.1:${port}` };
    const problems = await verifyPackage(
      NAME,
      pkg('npm', 'x', { version: '1.0.0' }),
      offline,
      'f.json',
      '$.packages[0]',
    );
    expect(problems.map((p) => p.code)).toEqual(['package-unverified']);
    expect(problems[0]!.message).toMatch(/ECONNREFUSED/);
    expect(await codes(pkg('cargo', 'x'))).toEqual(['package-unverified']);
  });
});

describe('parseOciReference', () => {
  it('splits host, repository and tag or digest like docker does', () => {
    expect(parseOciReference('nginx')).toEqual({ host: 'docker.io', repository: 'library/nginx', reference: 'latest' });
    expect(parseOciReference('alice/weather:1.2')).toEqual({
      host: 'docker.io',
      repository: 'alice/weather',
      reference: '1.2',
    });
    expect(parseOciReference('ghcr.io/a/b/c@sha256:abc')).toEqual({
      host: 'ghcr.io',
      repository: 'a/b/c',
      reference: 'sha256:abc',
    });
    expect(parseOciReference('localhost:5000/x', '3')).toEqual({
      host: 'localhost:5000',
      repository: 'x',
      reference: '3',
    });
  });
});
