import { describe, expect, it } from 'vitest';
import { ServerJsonSchema, type ServerJson } from '../../../src/lib/schema/server.ts';
import { installTargets, type LaunchSpec, type Template } from '../../../src/lib/install/launch.ts';
import { placeholder } from '../../../src/lib/install/clients.ts';

/** Manifests go through the real schema, so the fixtures cannot drift from what the registry accepts. */
function manifest(partial: Omit<ServerJson, 'name' | 'description' | 'version'> & Partial<ServerJson>): ServerJson {
  return ServerJsonSchema.parse({
    name: 'io.github.example/demo',
    description: 'Demo server',
    version: '1.0.0',
    ...partial,
  });
}

const specOf = (server: ServerJson, index = 0): LaunchSpec => installTargets(server)[index]!.spec;

/** Renders a template with placeholders, as Claude Desktop, Cursor and the shell commands do. */
function plainText(spec: LaunchSpec, template: Template): string {
  return template
    .map((part) => (typeof part === 'string' ? part : placeholder(spec.inputs.find((i) => i.id === part.input)!)))
    .join('');
}

function argv(spec: LaunchSpec): string[] {
  if (spec.kind !== 'stdio') throw new Error(`expected stdio, got ${spec.kind}`);
  return [spec.command, ...spec.args.map((arg) => plainText(spec, arg))];
}

describe('installTargets: packages', () => {
  it('npm: npx -y id@version, runtime arguments before the reference, package arguments after', () => {
    const server = manifest({
      packages: [
        {
          registryType: 'npm',
          identifier: '@scope/pkg',
          version: '1.2.3',
          runtimeHint: 'npx',
          transport: { type: 'stdio' },
          runtimeArguments: [{ type: 'named', name: '--node-options', value: '--max-old-space-size=4096' }],
          packageArguments: [
            { type: 'positional', value: 'serve' },
            { type: 'positional', valueHint: 'root_dir', isRequired: true, description: 'Folder to serve' },
            { type: 'named', name: '--port', value: '8080' },
            { type: 'named', name: '--mode=', value: 'fast' },
            { type: 'named', name: '--verbose', description: 'optional flag' },
          ],
        },
      ],
    });
    const spec = specOf(server);
    expect(argv(spec)).toEqual([
      'npx',
      '-y',
      '--node-options',
      '--max-old-space-size=4096',
      '@scope/pkg@1.2.3',
      'serve',
      '<root_dir>',
      '--port',
      '8080',
      '--mode=fast',
    ]);
    expect(spec.optional).toEqual([
      { kind: 'argument', name: '--verbose', description: 'optional flag', isRepeated: false },
    ]);
    expect(spec.inputs).toEqual([
      { id: 'root_dir', description: 'Folder to serve', isSecret: false, isRequired: true },
    ]);
  });

  it('pypi: uvx id==version; secrets become inputs with no default, optional variables stay out', () => {
    const spec = specOf(
      manifest({
        packages: [
          {
            registryType: 'pypi',
            identifier: 'weather-mcp',
            version: '0.4.0',
            transport: { type: 'stdio' },
            environmentVariables: [
              {
                name: 'WEATHER_API_KEY',
                isSecret: true,
                isRequired: true,
                description: 'API key',
                default: 'sk-live-should-not-appear',
              },
              { name: 'UNITS', isRequired: true, default: 'metric', description: 'Units' },
              { name: 'LOG_LEVEL', default: 'info', description: 'Optional log level' },
              { name: 'MODE', value: 'stdio' },
            ],
          },
        ],
      }),
    );
    expect(argv(spec)).toEqual(['uvx', 'weather-mcp==0.4.0']);
    if (spec.kind !== 'stdio') throw new Error('stdio expected');
    expect(spec.env.map((s) => [s.name, plainText(spec, s.value), s.isSecret])).toEqual([
      ['WEATHER_API_KEY', '<YOUR_WEATHER_API_KEY>', true],
      ['UNITS', 'metric', false],
      ['MODE', 'stdio', false],
    ]);
    expect(JSON.stringify(spec)).not.toContain('sk-live');
    expect(spec.optional.map((o) => o.name)).toEqual(['LOG_LEVEL']);
  });

  it('oci: docker run -i --rm, variables passed by name with -e before the image', () => {
    const spec = specOf(
      manifest({
        packages: [
          {
            registryType: 'oci',
            identifier: 'docker.io/acme/airtable-mcp:1.7.2',
            runtimeHint: 'docker',
            transport: { type: 'stdio' },
            runtimeArguments: [
              { type: 'named', name: '-e', description: 'Set an environment variable in the runtime' },
              {
                type: 'named',
                name: '-v',
                value: '{models_path}:/app/models',
                variables: { models_path: { description: 'Models folder', isRequired: true, format: 'filepath' } },
              },
            ],
            environmentVariables: [{ name: 'AIRTABLE_API_KEY', isSecret: true, isRequired: true }],
          },
        ],
      }),
    );
    expect(argv(spec)).toEqual([
      'docker',
      'run',
      '-i',
      '--rm',
      '-v',
      '<models_path>:/app/models',
      '-e',
      'AIRTABLE_API_KEY',
      'docker.io/acme/airtable-mcp:1.7.2',
    ]);
    expect(spec.optional.map((o) => o.name)).toEqual(['-e']);
  });

  it('nuget: dnx id@version --yes -- package arguments; {variables} inside values become inputs', () => {
    const spec = specOf(
      manifest({
        packages: [
          {
            registryType: 'nuget',
            identifier: 'Knapcode.SampleMcpServer',
            version: '0.7.0-beta',
            transport: { type: 'stdio' },
            packageArguments: [
              { type: 'positional', value: 'mcp', valueHint: 'mcp' },
              { type: 'positional', value: 'start' },
            ],
            environmentVariables: [
              {
                name: 'WEATHER_CHOICES',
                value: '{weather_choices}',
                variables: { weather_choices: { description: 'Comma separated list', isRequired: true } },
              },
            ],
          },
        ],
      }),
    );
    expect(argv(spec)).toEqual(['dnx', 'Knapcode.SampleMcpServer@0.7.0-beta', '--yes', '--', 'mcp', 'start']);
    expect(spec.inputs).toEqual([
      { id: 'weather_choices', description: 'Comma separated list', isSecret: false, isRequired: true },
    ]);
  });

  it('an unknown runtime hint keeps the standard launcher, drops its runtime arguments and says why', () => {
    const spec = specOf(
      manifest({
        packages: [
          {
            registryType: 'pypi',
            identifier: 'crypto_bytes_mcp_server',
            version: '0.1.1',
            runtimeHint: 'python',
            transport: { type: 'stdio' },
            runtimeArguments: [
              { type: 'positional', value: '-m' },
              { type: 'positional', value: 'crypto_bytes_mcp_server' },
            ],
          },
        ],
      }),
    );
    expect(argv(spec)).toEqual(['uvx', 'crypto_bytes_mcp_server==0.1.1']);
    expect(spec.notes.join(' ')).toMatch(/"python".*uvx.*left out/);
  });

  it('a local package serving HTTP: the URL takes {port} from the argument default, plus a start command', () => {
    const spec = specOf(
      manifest({
        packages: [
          {
            registryType: 'npm',
            identifier: 'mcp-server-fear-greed',
            version: '2.0.0',
            runtimeHint: 'npx',
            transport: { type: 'sse', url: 'http://127.0.0.1:{port}/sse' },
            packageArguments: [
              {
                type: 'named',
                name: 'port',
                isRequired: true,
                format: 'number',
                default: '8089',
                description: 'Server port number',
              },
            ],
          },
        ],
      }),
    );
    if (spec.kind !== 'sse') throw new Error(`sse expected, got ${spec.kind}`);
    expect(plainText(spec, spec.url)).toBe('http://127.0.0.1:8089/sse');
    expect(spec.start?.command).toBe('npx');
    expect(spec.start?.args.map((a) => plainText(spec, a))).toEqual([
      '-y',
      'mcp-server-fear-greed@2.0.0',
      'port',
      '8089',
    ]);
    expect(spec.inputs.map((i) => i.id)).toEqual(['port']);
  });

  it('mcpb bundles and raw binaries: no command, the download URL, checksum and notes', () => {
    const sha = 'a'.repeat(64);
    const server = manifest({
      packages: [
        {
          registryType: 'mcpb',
          identifier: 'https://github.com/acme/x/releases/download/v1/x.mcpb',
          fileSha256: sha,
          transport: { type: 'stdio' },
        },
        {
          registryType: 'mcpb',
          identifier: 'https://github.com/acme/x/releases/download/v1/agent-server',
          fileSha256: sha,
          runtimeHint: 'binary',
          transport: { type: 'stdio' },
          environmentVariables: [{ name: 'AGENT_KEY', isSecret: true, isRequired: true }],
        },
      ],
    });
    const [bundle, binary] = installTargets(server).map((t) => t.spec);
    expect(bundle).toMatchObject({
      kind: 'bundle',
      format: 'mcpb',
      url: 'https://github.com/acme/x/releases/download/v1/x.mcpb',
      fileSha256: sha,
    });
    expect(binary).toMatchObject({ kind: 'bundle', format: 'binary' });
    expect(bundle!.notes.join(' ')).toMatch(/bundle/);
    expect(binary!.notes.join(' ')).toMatch(/executable/);
    expect(binary!.inputs).toEqual([{ id: 'AGENT_KEY', description: 'AGENT_KEY', isSecret: true, isRequired: true }]);
  });

  it('an unknown package type is reported, not guessed', () => {
    const spec = specOf(
      manifest({
        packages: [{ registryType: 'cargo', identifier: 'x', version: '1.0.0', transport: { type: 'stdio' } }],
      }),
    );
    expect(spec.kind).toBe('unsupported');
    expect(spec.notes[0]).toMatch(/cargo/);
  });

  it('a server with neither packages nor remotes has no targets', () => {
    expect(installTargets(manifest({}))).toEqual([]);
  });
});

describe('installTargets: remotes', () => {
  it('keeps {variables} for the user, and a `{token}` in a secret header becomes a secret input', () => {
    const server = manifest({
      remotes: [
        {
          type: 'streamable-http',
          url: 'https://{tenant}.example.com/mcp',
          variables: { tenant: { description: 'Your tenant', isRequired: true } },
          headers: [
            {
              name: 'Authorization',
              value: 'Bearer {token}',
              isSecret: true,
              isRequired: true,
              description: 'API token',
            },
            { name: 'X-Region', value: 'eu' },
            { name: 'X-Optional', description: 'optional header' },
          ],
        },
        { type: 'sse', url: 'https://example.com/sse' },
      ],
    });
    const [http, sse] = installTargets(server);
    expect(http!.id).toBe('remote-0');
    const spec = http!.spec;
    if (spec.kind !== 'http') throw new Error('http expected');
    expect(plainText(spec, spec.url)).toBe('https://<tenant>.example.com/mcp');
    expect(spec.headers.map((h) => [h.name, plainText(spec, h.value)])).toEqual([
      ['Authorization', 'Bearer <YOUR_TOKEN>'],
      ['X-Region', 'eu'],
    ]);
    expect(spec.inputs.find((i) => i.id === 'token')).toEqual({
      id: 'token',
      description: 'API token',
      isSecret: true,
      isRequired: true,
    });
    expect(spec.optional.map((o) => o.name)).toEqual(['X-Optional']);
    expect(sse!.spec.kind).toBe('sse');
  });
});
