import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ServerJsonSchema, type ServerJson } from '../../../src/lib/schema/server.ts';
import { installTargets, type LaunchSpec } from '../../../src/lib/install/launch.ts';
import {
  claudeCode,
  claudeDesktop,
  configKey,
  cursor,
  goose,
  vscode,
  windsurf,
  type ClientGuide,
  type ServerNames,
} from '../../../src/lib/install/clients.ts';
import { installGuides, serverJsonSnippet, serverNames } from '../../../src/lib/install/guide.ts';
import { isAllowedInstallHref } from '../../../src/lib/install/encode.ts';
import { bashArgv, decodeCursorLink, decodeGooseLink, decodeVscodeLink, decodeVscodeWebLink } from './decode.ts';
import { NASTY_STRINGS } from './nasty.ts';

const NASTY_NAMES: ServerNames = {
  key: `my server "x" & co's #1 100% 🚀`,
  title: `Title with 'quotes', "doubles", & + # % and\na newline 東京 👩‍💻`,
  description: 'Desc: a&b=c #frag 50%+ \'single\' "double" über 🚀',
};

const NASTY_URL = 'https://example.com/mcp/caf%C3%A9?q=a%20b&x=1+2&quote=\'"#frag';

const nastyServer: ServerJson = ServerJsonSchema.parse({
  name: 'io.github.example/nasty.server',
  description: NASTY_NAMES.description,
  version: '1.0.0',
  packages: [
    {
      registryType: 'npm',
      identifier: '@scope/nasty',
      version: '1.0.0-beta+build',
      transport: { type: 'stdio' },
      packageArguments: NASTY_STRINGS.map((value) => ({ type: 'positional', value })),
      environmentVariables: [
        { name: 'FIXED_VALUE', value: NASTY_STRINGS.join(' | ') },
        { name: 'API_KEY', isSecret: true, isRequired: true, description: 'Key with "quotes" & 🚀' },
      ],
    },
  ],
  remotes: [
    {
      type: 'streamable-http',
      url: NASTY_URL,
      headers: [
        { name: 'Authorization', value: 'Bearer {token}', isSecret: true, isRequired: true, description: 'Token' },
        { name: 'X-Note', value: `note & "more" 'stuff' #1 100% 🚀` },
      ],
    },
  ],
});

const [packageSpec, remoteSpec] = installTargets(nastyServer).map((t) => t.spec) as [LaunchSpec, LaunchSpec];

const EXPECTED_ARGS = ['-y', '@scope/nasty@1.0.0-beta+build', ...NASTY_STRINGS];
const EXPECTED_ENV = { FIXED_VALUE: NASTY_STRINGS.join(' | '), API_KEY: '<YOUR_API_KEY>' };
const EXPECTED_HEADERS = { Authorization: 'Bearer <YOUR_TOKEN>', 'X-Note': `note & "more" 'stuff' #1 100% 🚀` };

function snippet(guide: ClientGuide, language: string, index = 0) {
  const found = guide.snippets.filter((s) => s.language === language)[index];
  if (!found) throw new Error(`${guide.client} has no ${language} snippet #${index}`);
  return found;
}

const link = (guide: ClientGuide, label: string) => {
  const found = guide.links.find((l) => l.label === label);
  if (!found) throw new Error(`${guide.client} has no link "${label}"`);
  return found.href;
};

/** Every snippet's text parses back to its value, and every link uses an allowed scheme. */
function expectSelfConsistent(guide: ClientGuide) {
  for (const s of guide.snippets) {
    if (s.language === 'json') expect(JSON.parse(s.text)).toEqual(s.value);
    if (s.language === 'yaml') expect(parseYaml(s.text)).toEqual(s.value);
    if (s.language === 'shell') expect(bashArgv(s.text)).toEqual(s.value);
  }
  for (const l of guide.links) expect(isAllowedInstallHref(l.href), l.href).toBe(true);
}

describe('configKey and serverNames', () => {
  it('uses the short name with characters CLIs accept', () => {
    expect(configKey('io.github.user/weather')).toBe('weather');
    expect(configKey('com.example/my.server_v2')).toBe('my-server_v2');
    expect(serverNames(nastyServer)).toEqual({
      key: 'nasty-server',
      title: 'nasty-server',
      description: NASTY_NAMES.description,
    });
  });
});

describe('Claude Desktop', () => {
  it('stdio: mcpServers entry with the exact argv and placeholder secrets', () => {
    const guide = claudeDesktop(packageSpec, NASTY_NAMES);
    expectSelfConsistent(guide);
    expect(JSON.parse(snippet(guide, 'json').text)).toEqual({
      mcpServers: { [NASTY_NAMES.key]: { command: 'npx', args: EXPECTED_ARGS, env: EXPECTED_ENV } },
    });
  });

  it('remote: explains connectors and bridges with mcp-remote, headers through env', () => {
    const guide = claudeDesktop(remoteSpec, NASTY_NAMES);
    expectSelfConsistent(guide);
    expect(guide.notes.join(' ')).toMatch(/Connectors/);
    const entry = (
      JSON.parse(snippet(guide, 'json').text) as {
        mcpServers: Record<string, { args: string[]; env: Record<string, string> }>;
      }
    ).mcpServers[NASTY_NAMES.key]!;
    expect(entry.args).toEqual([
      '-y',
      'mcp-remote',
      NASTY_URL,
      '--header',
      'Authorization:${AUTHORIZATION_HEADER}',
      '--header',
      'X-Note:${X_NOTE_HEADER}',
    ]);
    expect(entry.env).toEqual({
      AUTHORIZATION_HEADER: EXPECTED_HEADERS.Authorization,
      X_NOTE_HEADER: EXPECTED_HEADERS['X-Note'],
    });
  });
});

describe('Claude Code', () => {
  it('stdio: bash splits the command into name, -e pairs, -- and the exact argv', () => {
    const guide = claudeCode(packageSpec, NASTY_NAMES);
    expectSelfConsistent(guide);
    expect(bashArgv(snippet(guide, 'shell').text)).toEqual([
      'claude',
      'mcp',
      'add',
      NASTY_NAMES.key,
      '-e',
      `FIXED_VALUE=${EXPECTED_ENV.FIXED_VALUE}`,
      '-e',
      'API_KEY=<YOUR_API_KEY>',
      '--',
      'npx',
      ...EXPECTED_ARGS,
    ]);
    expect(JSON.parse(snippet(guide, 'json').text)).toEqual({
      mcpServers: { [NASTY_NAMES.key]: { type: 'stdio', command: 'npx', args: EXPECTED_ARGS, env: EXPECTED_ENV } },
    });
  });

  it('remote: --transport http, name, url and one --header per header', () => {
    const guide = claudeCode(remoteSpec, NASTY_NAMES);
    expectSelfConsistent(guide);
    expect(bashArgv(snippet(guide, 'shell').text)).toEqual([
      'claude',
      'mcp',
      'add',
      '--transport',
      'http',
      NASTY_NAMES.key,
      NASTY_URL,
      '--header',
      `Authorization: ${EXPECTED_HEADERS.Authorization}`,
      '--header',
      `X-Note: ${EXPECTED_HEADERS['X-Note']}`,
    ]);
    expect(JSON.parse(snippet(guide, 'json').text)).toEqual({
      mcpServers: { [NASTY_NAMES.key]: { type: 'http', url: NASTY_URL, headers: EXPECTED_HEADERS } },
    });
  });
});

describe('VS Code', () => {
  const secretInput = { type: 'promptString', id: 'API_KEY', description: 'Key with "quotes" & 🚀', password: true };
  const entry = {
    type: 'stdio',
    command: 'npx',
    args: EXPECTED_ARGS,
    env: { FIXED_VALUE: EXPECTED_ENV.FIXED_VALUE, API_KEY: '${input:API_KEY}' },
  };
  const payload = { name: NASTY_NAMES.key, ...entry, inputs: [secretInput] };

  it('mcp.json: secrets are password inputs referenced as ${input:id}', () => {
    const guide = vscode(packageSpec, NASTY_NAMES);
    expectSelfConsistent(guide);
    expect(JSON.parse(snippet(guide, 'json').text)).toEqual({
      inputs: [secretInput],
      servers: { [NASTY_NAMES.key]: entry },
    });
  });

  it('vscode: and vscode-insiders: links decode (as VS Code decodes them) to name + config + inputs', () => {
    const guide = vscode(packageSpec, NASTY_NAMES);
    expect(decodeVscodeLink(link(guide, 'Install in VS Code'))).toEqual(payload);
    expect(decodeVscodeLink(link(guide, 'Install in VS Code Insiders'), 'vscode-insiders')).toEqual(payload);
  });

  it('the vscode.dev web forms carry name, config without name, and inputs', () => {
    const guide = vscode(packageSpec, NASTY_NAMES);
    expect(decodeVscodeWebLink(link(guide, 'Install in VS Code (via vscode.dev)'))).toEqual({
      name: NASTY_NAMES.key,
      config: entry,
      inputs: [secretInput],
      quality: null,
    });
    const insiders = link(guide, 'Install in VS Code Insiders (via vscode.dev)');
    expect(insiders.startsWith('https://insiders.vscode.dev/redirect/mcp/install?')).toBe(true);
    expect(decodeVscodeWebLink(insiders)).toEqual({
      name: NASTY_NAMES.key,
      config: entry,
      inputs: [secretInput],
      quality: 'insiders',
    });
  });

  it('code --add-mcp gets the same JSON as the link, as one shell word', () => {
    const argv = bashArgv(snippet(vscode(packageSpec, NASTY_NAMES), 'shell').text);
    expect(argv.slice(0, 2)).toEqual(['code', '--add-mcp']);
    expect(argv).toHaveLength(3);
    expect(JSON.parse(argv[2]!)).toEqual(payload);
  });

  it('remote: a URL with %-escapes survives VS Code double decoding', () => {
    const guide = vscode(remoteSpec, NASTY_NAMES);
    expectSelfConsistent(guide);
    const decoded = decodeVscodeLink(link(guide, 'Install in VS Code')) as {
      url: string;
      headers: Record<string, string>;
      inputs: unknown[];
    };
    expect(decoded.url).toBe(NASTY_URL);
    expect(decoded.headers).toEqual({ Authorization: 'Bearer ${input:token}', 'X-Note': EXPECTED_HEADERS['X-Note'] });
    expect(decoded.inputs).toEqual([{ type: 'promptString', id: 'token', description: 'Token', password: true }]);
  });

  it('links without % use the documented single encoding', () => {
    const server = ServerJsonSchema.parse({
      name: 'io.github.a/b',
      description: 'd',
      version: '1',
      remotes: [{ type: 'sse', url: 'https://example.com/sse' }],
    });
    const href = link(vscode(installTargets(server)[0]!.spec, serverNames(server)), 'Install in VS Code');
    expect(href).toBe(
      `vscode:mcp/install?${encodeURIComponent('{"name":"b","type":"sse","url":"https://example.com/sse"}')}`,
    );
  });
});

describe('Cursor and Windsurf', () => {
  it('Cursor: mcp.json and links whose base64 config decodes (UTF-8) to the entry without the name', () => {
    const guide = cursor(packageSpec, NASTY_NAMES);
    expectSelfConsistent(guide);
    const entry = { command: 'npx', args: EXPECTED_ARGS, env: EXPECTED_ENV };
    expect(JSON.parse(snippet(guide, 'json').text)).toEqual({ mcpServers: { [NASTY_NAMES.key]: entry } });
    const app = link(guide, 'Install in Cursor');
    expect(app.startsWith('cursor://anysphere.cursor-deeplink/mcp/install?')).toBe(true);
    expect(decodeCursorLink(app)).toEqual({ name: NASTY_NAMES.key, config: entry });
    const web = link(guide, 'Install in Cursor (via cursor.com)');
    expect(web.startsWith('https://cursor.com/en/install-mcp?')).toBe(true);
    expect(decodeCursorLink(web)).toEqual({ name: NASTY_NAMES.key, config: entry });
  });

  it('Cursor remote uses url + headers; Windsurf uses serverUrl', () => {
    expect(decodeCursorLink(link(cursor(remoteSpec, NASTY_NAMES), 'Install in Cursor')).config).toEqual({
      url: NASTY_URL,
      headers: EXPECTED_HEADERS,
    });
    const guide = windsurf(remoteSpec, NASTY_NAMES);
    expectSelfConsistent(guide);
    expect(JSON.parse(snippet(guide, 'json').text)).toEqual({
      mcpServers: { [NASTY_NAMES.key]: { serverUrl: NASTY_URL, headers: EXPECTED_HEADERS } },
    });
  });
});

describe('Goose', () => {
  it('config.yaml parses back; the link has one arg= per argument and the env keys', () => {
    const guide = goose(packageSpec, NASTY_NAMES);
    expectSelfConsistent(guide);
    expect(parseYaml(snippet(guide, 'yaml').text)).toEqual({
      extensions: {
        [NASTY_NAMES.key]: {
          enabled: true,
          name: NASTY_NAMES.title,
          description: NASTY_NAMES.description,
          type: 'stdio',
          cmd: 'npx',
          args: EXPECTED_ARGS,
          envs: EXPECTED_ENV,
          timeout: 300,
        },
      },
    });
    const decoded = decodeGooseLink(link(guide, 'Install in Goose'));
    expect(decoded).toMatchObject({
      protocol: 'goose:',
      cmd: 'npx',
      args: EXPECTED_ARGS,
      id: NASTY_NAMES.key,
      name: NASTY_NAMES.title,
      description: NASTY_NAMES.description,
    });
    expect(decoded.envKeys).toEqual(['FIXED_VALUE', 'API_KEY']);
  });

  it('remote link: url, type streamable_http and headers decoded the way Goose decodes them', () => {
    const decoded = decodeGooseLink(link(goose(remoteSpec, NASTY_NAMES), 'Install in Goose'));
    expect(decoded).toMatchObject({
      url: NASTY_URL,
      type: 'streamable_http',
      name: NASTY_NAMES.title,
      headers: EXPECTED_HEADERS,
    });
  });

  it('commands Goose links refuse (dnx) get the config file only', () => {
    const server = ServerJsonSchema.parse({
      name: 'io.github.a/b',
      description: 'd',
      version: '1',
      packages: [{ registryType: 'nuget', identifier: 'A.B', version: '1.0.0', transport: { type: 'stdio' } }],
    });
    const guide = goose(installTargets(server)[0]!.spec, serverNames(server));
    expect(guide.links).toEqual([]);
    expect(guide.notes.join(' ')).toMatch(/dnx/);
    expect(parseYaml(snippet(guide, 'yaml').text).extensions.b.cmd).toBe('dnx');
  });
});

describe('bundles', () => {
  it('Claude Desktop links the https download; the other clients explain they cannot use it', () => {
    const server = ServerJsonSchema.parse({
      name: 'io.github.a/bundled',
      description: 'd',
      version: '1',
      packages: [
        {
          registryType: 'mcpb',
          identifier: 'https://example.com/mcp/x.mcpb',
          fileSha256: 'b'.repeat(64),
          transport: { type: 'stdio' },
        },
      ],
    });
    const [guide] = installGuides(server);
    const [desktop, ...others] = guide!.clients;
    expect(desktop!.links).toEqual([{ label: 'Download the bundle', href: 'https://example.com/mcp/x.mcpb' }]);
    expect(desktop!.notes.join(' ')).toMatch(/install dialog/);
    for (const other of others) {
      expect(other.snippets).toEqual([]);
      expect(other.links).toEqual([]);
      expect(other.notes.join(' ')).toMatch(/cannot install MCP bundles/);
    }
  });
});

describe('installGuides', () => {
  it('one guide per target with every client, deterministic output', () => {
    const guides = installGuides(nastyServer);
    expect(guides.map((g) => g.target.id)).toEqual(['package-0', 'remote-0']);
    expect(guides[0]!.clients.map((c) => c.client)).toEqual([
      'claude-desktop',
      'claude-code',
      'vscode',
      'cursor',
      'windsurf',
      'goose',
    ]);
    expect(JSON.stringify(installGuides(nastyServer))).toBe(JSON.stringify(guides));
  });

  it('a local HTTP package gets a start command that bash splits into env + argv', () => {
    const server = ServerJsonSchema.parse({
      name: 'io.github.a/local-http',
      description: 'd',
      version: '1',
      packages: [
        {
          registryType: 'npm',
          identifier: 'mcp-ts-template',
          version: '2.0.1',
          transport: { type: 'streamable-http', url: 'http://localhost:{MCP_HTTP_PORT}/mcp' },
          environmentVariables: [{ name: 'MCP_HTTP_PORT', isRequired: true, default: '3010' }],
        },
      ],
    });
    const [guide] = installGuides(server);
    expect(bashArgv(guide!.start!.text)).toEqual(['env', 'MCP_HTTP_PORT=3010', 'npx', '-y', 'mcp-ts-template@2.0.1']);
    const desktop = guide!.clients.find((c) => c.client === 'claude-desktop')!;
    expect(
      (snippet(desktop, 'json').value as { mcpServers: Record<string, { args: string[] }> }).mcpServers['local-http']!
        .args,
    ).toEqual(['-y', 'mcp-remote', 'http://localhost:3010/mcp', '--allow-http']);
  });

  it('servers with the same package each get configs under their own name', () => {
    const pkg = { registryType: 'npm', identifier: 'shared-pkg', version: '1.0.0', transport: { type: 'stdio' } };
    const [first, second] = ['io.github.a/first', 'io.github.b/second'].map(
      (name) => installGuides(ServerJsonSchema.parse({ name, description: 'd', version: '1', packages: [pkg] }))[0]!,
    );
    for (const [guide, key] of [
      [first!, 'first'],
      [second!, 'second'],
    ] as const) {
      for (const client of guide.clients.filter((c) => ['claude-desktop', 'cursor', 'windsurf'].includes(c.client))) {
        expect(Object.keys(JSON.parse(snippet(client, 'json').text).mcpServers)).toEqual([key]);
      }
    }
  });

  it('Claude Desktop, Cursor and Windsurf store the same stdio entry; one spec under two names keeps each name', () => {
    const texts = [claudeDesktop, cursor, windsurf].map(
      (client) => snippet(client(packageSpec, NASTY_NAMES), 'json').text,
    );
    expect(new Set(texts).size).toBe(1);
    const renamed = { ...NASTY_NAMES, key: 'renamed' };
    for (const client of [claudeDesktop, cursor, windsurf]) {
      const config = JSON.parse(snippet(client(packageSpec, renamed), 'json').text) as {
        mcpServers: Record<string, unknown>;
      };
      expect(config.mcpServers).toEqual({ renamed: JSON.parse(texts[0]!).mcpServers[NASTY_NAMES.key] });
      // The earlier name's config is unchanged by the later one.
      expect(Object.keys(JSON.parse(snippet(client(packageSpec, NASTY_NAMES), 'json').text).mcpServers)).toEqual([
        NASTY_NAMES.key,
      ]);
    }
  });

  it('server.json snippet is the manifest', () => {
    expect(JSON.parse(serverJsonSnippet(nastyServer).text)).toEqual(nastyServer);
  });
});
