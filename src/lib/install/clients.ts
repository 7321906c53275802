/**
 * Launch spec -> each client's configuration, its text and its install links. Pure functions: the same
 * spec always gives byte-identical output. Every value is encoded for the context it lands in (JSON,
 * URL component, base64, shell word, YAML); tests decode each one back.
 */
import { base64Utf8, isAllowedInstallHref, jsonText, queryString, shellCommand, yamlText } from './encode.ts';
import type { Command, HttpSpec, LaunchSpec, Setting, Template, UserInput } from './launch.ts';

export type ClientId = 'claude-desktop' | 'claude-code' | 'vscode' | 'cursor' | 'windsurf' | 'goose';

export interface Snippet {
  title: string;
  language: 'json' | 'shell' | 'yaml';
  text: string;
  /** What `text` encodes: the config object for json/yaml, the argv array for shell. */
  value: unknown;
  /** Where it goes: a file path or "terminal". */
  where: string;
}

export interface InstallLink {
  label: string;
  href: string;
}

export interface ClientGuide {
  client: ClientId;
  label: string;
  snippets: Snippet[];
  links: InstallLink[];
  notes: string[];
}

/** How the server is named in configs: `key` in config maps and CLIs, `title` for people. */
export interface ServerNames {
  key: string;
  title: string;
  description: string;
}

type JsonObject = Record<string, unknown>;

/** The part of the server name after the slash, reduced to letters, digits, `-` and `_` (what CLIs accept). */
export function configKey(serverName: string): string {
  const short = serverName.slice(serverName.indexOf('/') + 1);
  return short.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'mcp-server';
}

const snake = (text: string): string =>
  text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase() || 'VALUE';

/** What a config shows where the user must fill in a value: never anything that looks like a credential. */
export function placeholder(input: UserInput): string {
  if (input.isSecret) return `<YOUR_${snake(input.id)}>`;
  if (input.default !== undefined) return input.default;
  return `<${input.id}>`;
}

type InputRenderer = (input: UserInput) => string;

function render(template: Template, inputs: readonly UserInput[], renderInput: InputRenderer): string {
  return template
    .map((part) => {
      if (typeof part === 'string') return part;
      const input = inputs.find((candidate) => candidate.id === part.input);
      return input ? renderInput(input) : `<${part.input}>`;
    })
    .join('');
}

/** Renders a spec's values with one input style: placeholders, or VS Code `${input:id}` references. */
function renderer(spec: LaunchSpec, renderInput: InputRenderer) {
  const one = (template: Template) => render(template, spec.inputs, renderInput);
  const map = (settings: readonly Setting[]): Record<string, string> | undefined => {
    if (settings.length === 0) return undefined;
    const values: Record<string, string> = {};
    for (const setting of settings) values[setting.name] = one(setting.value);
    return values;
  };
  return {
    one,
    map,
    args: (command: Command) => command.args.map(one),
  };
}

type Renderer = ReturnType<typeof renderer>;

// Every client renders the same spec with placeholders: one renderer (and one stdio entry) per spec.
// Specs are never changed once built, so sharing what is derived from them is safe.
const plainRenderers = new WeakMap<LaunchSpec, Renderer>();
const plainStdioEntries = new WeakMap<LaunchSpec, JsonObject>();

function plain(spec: LaunchSpec): Renderer {
  let values = plainRenderers.get(spec);
  if (values === undefined) plainRenderers.set(spec, (values = renderer(spec, placeholder)));
  return values;
}

/** Drops undefined fields so JSON and YAML output carry no empty keys. */
function compact(object: JsonObject): JsonObject {
  const kept: JsonObject = {};
  for (const key in object) if (object[key] !== undefined) kept[key] = object[key];
  return kept;
}

function jsonSnippet(title: string, where: string, value: JsonObject): Snippet {
  return { title, language: 'json', text: jsonText(value), value, where };
}

function shellSnippet(title: string, argv: string[]): Snippet {
  return { title, language: 'shell', text: shellCommand(argv), value: argv, where: 'terminal' };
}

function stdioEntry(spec: LaunchSpec & Command, values: Renderer): JsonObject {
  const args = values.args(spec);
  return compact({ command: spec.command, args: args.length ? args : undefined, env: values.map(spec.env) });
}

/** The stdio entry with placeholders, as Claude Desktop, Cursor and Windsurf store it: built once per spec. */
function plainStdioEntry(spec: LaunchSpec & Command): JsonObject {
  let entry = plainStdioEntries.get(spec);
  if (entry === undefined) plainStdioEntries.set(spec, (entry = stdioEntry(spec, plain(spec))));
  return entry;
}

/** `{ mcpServers: { key: entry } }` as JSON; texts are kept per entry object, so a stdio config shared by three clients is encoded once. */
const mcpServersTexts = new WeakMap<JsonObject, Map<string, string>>();

function mcpServersSnippet(title: string, where: string, key: string, entry: JsonObject): Snippet {
  const value = { mcpServers: { [key]: entry } };
  let texts = mcpServersTexts.get(entry);
  if (texts === undefined) mcpServersTexts.set(entry, (texts = new Map()));
  let text = texts.get(key);
  if (text === undefined) texts.set(key, (text = jsonText(value)));
  return { title, language: 'json', text, value, where };
}

const stdioOf = (spec: LaunchSpec): (LaunchSpec & Command) | undefined => (spec.kind === 'stdio' ? spec : undefined);
const httpOf = (spec: LaunchSpec): HttpSpec | undefined =>
  spec.kind === 'http' || spec.kind === 'sse' ? spec : undefined;

function newGuide(client: ClientId, label: string): ClientGuide {
  return { client, label, snippets: [], links: [], notes: [] };
}

/** Notes every client shares for specs it cannot configure (bundles, unknown package types). */
function unsupportedNotes(spec: LaunchSpec, client: string): string[] {
  if (spec.kind === 'bundle') return [`${client} cannot install MCP bundles or raw executables from a link.`];
  return [`${client} has no configuration for this package; see the notes above.`];
}

/** The command that starts a local HTTP package, as one `env NAME=value cmd args` line. */
export function startCommand(spec: HttpSpec): Snippet | undefined {
  if (!spec.start) return undefined;
  const values = plain(spec);
  const env = spec.start.env.map((setting) => `${setting.name}=${values.one(setting.value)}`);
  return shellSnippet('Start the server', [
    ...(env.length ? ['env', ...env] : []),
    spec.start.command,
    ...values.args(spec.start),
  ]);
}

// --- Claude Desktop -------------------------------------------------------------------------------

const CLAUDE_DESKTOP_FILE = 'claude_desktop_config.json';

export function claudeDesktop(spec: LaunchSpec, names: ServerNames): ClientGuide {
  const guide = newGuide('claude-desktop', 'Claude Desktop');
  const stdio = stdioOf(spec);
  const http = httpOf(spec);
  if (stdio) {
    guide.notes.push(
      'Open Settings → Developer → Edit Config, add this entry under "mcpServers", then restart Claude Desktop.',
    );
    guide.snippets.push(mcpServersSnippet(CLAUDE_DESKTOP_FILE, CLAUDE_DESKTOP_FILE, names.key, plainStdioEntry(stdio)));
  } else if (http) {
    guide.notes.push(
      'Claude Desktop does not read remote servers from its config file: add the URL under Settings → Connectors, or use this config, which bridges to it through the mcp-remote package.',
    );
    guide.snippets.push(
      jsonSnippet(`${CLAUDE_DESKTOP_FILE} (mcp-remote bridge)`, CLAUDE_DESKTOP_FILE, {
        mcpServers: { [names.key]: mcpRemoteEntry(http) },
      }),
    );
  } else if (spec.kind === 'bundle') {
    // Only an https download is linked; anything else is left for the reader to judge from server.json.
    const label = spec.format === 'mcpb' ? 'Download the bundle' : 'Download the executable';
    if (isAllowedInstallHref(spec.url) && spec.url.startsWith('https:')) guide.links.push({ label, href: spec.url });
    if (spec.format === 'mcpb')
      guide.notes.push(
        'Download the file, check its SHA-256, then open it: Claude Desktop shows an install dialog for .mcpb bundles.',
      );
  } else {
    guide.notes.push(...unsupportedNotes(spec, 'Claude Desktop'));
  }
  return guide;
}

/**
 * `npx mcp-remote <url>` bridges a stdio-only client to an HTTP server. Header values go through
 * environment variables (`Authorization:${AUTHORIZATION_HEADER}`): mcp-remote expands them itself, and
 * some clients split arguments that contain spaces.
 */
function mcpRemoteEntry(spec: HttpSpec): JsonObject {
  const values = plain(spec);
  const url = values.one(spec.url);
  const env: Record<string, string> = {};
  const headerArgs = spec.headers.flatMap((header) => {
    const variable = `${snake(header.name)}_HEADER`;
    env[variable] = values.one(header.value);
    return ['--header', `${header.name}:\${${variable}}`];
  });
  const args = [
    '-y',
    'mcp-remote',
    url,
    ...(spec.kind === 'sse' ? ['--transport', 'sse-only'] : []),
    // mcp-remote refuses plain http except for localhost unless told otherwise.
    ...(url.startsWith('http://') ? ['--allow-http'] : []),
    ...headerArgs,
  ];
  return compact({ command: 'npx', args, env: Object.keys(env).length ? env : undefined });
}

// --- Claude Code ----------------------------------------------------------------------------------

export function claudeCode(spec: LaunchSpec, names: ServerNames): ClientGuide {
  const guide = newGuide('claude-code', 'Claude Code');
  const stdio = stdioOf(spec);
  const http = httpOf(spec);
  if (stdio) {
    const values = plain(stdio);
    // The name comes before `-e`: `-e` takes several values and would swallow a name that follows it.
    const argv = [
      'claude',
      'mcp',
      'add',
      names.key,
      ...stdio.env.flatMap((setting) => ['-e', `${setting.name}=${values.one(setting.value)}`]),
      '--',
      stdio.command,
      ...values.args(stdio),
    ];
    guide.snippets.push(shellSnippet('Add with the CLI', argv));
    guide.snippets.push(
      jsonSnippet('.mcp.json (project)', '.mcp.json', {
        mcpServers: { [names.key]: { type: 'stdio', ...plainStdioEntry(stdio) } },
      }),
    );
  } else if (http) {
    const values = plain(http);
    const argv = [
      'claude',
      'mcp',
      'add',
      '--transport',
      http.kind,
      names.key,
      values.one(http.url),
      ...http.headers.flatMap((header) => ['--header', `${header.name}: ${values.one(header.value)}`]),
    ];
    guide.snippets.push(shellSnippet('Add with the CLI', argv));
    guide.snippets.push(
      jsonSnippet('.mcp.json (project)', '.mcp.json', { mcpServers: { [names.key]: httpEntry(http, 'url', values) } }),
    );
  } else {
    guide.notes.push(...unsupportedNotes(spec, 'Claude Code'));
  }
  return guide;
}

function httpEntry(spec: HttpSpec, urlKey: 'url' | 'serverUrl', values = plain(spec), withType = true): JsonObject {
  return compact({
    ...(withType ? { type: spec.kind } : {}),
    [urlKey]: values.one(spec.url),
    headers: values.map(spec.headers),
  });
}

// --- VS Code --------------------------------------------------------------------------------------

/** A VS Code input variable: a prompt (password-masked for secrets) or, for a non-secret with choices, a pick list. */
function vscodeInput(input: UserInput): JsonObject {
  if (input.choices && !input.isSecret) {
    return compact({
      type: 'pickString',
      id: input.id,
      description: input.description,
      options: input.choices,
      default: input.default,
    });
  }
  return compact({
    type: 'promptString',
    id: input.id,
    description: input.description,
    password: input.isSecret || undefined,
    default: input.default,
  });
}

/** The server entry VS Code stores, with `${input:id}` where the user is prompted, and its inputs. */
export function vscodeEntry(spec: LaunchSpec): { entry: JsonObject; inputs: JsonObject[] } | undefined {
  const values = renderer(spec, (input) => `\${input:${input.id}}`);
  const stdio = stdioOf(spec);
  const http = httpOf(spec);
  const entry = stdio
    ? { type: 'stdio', ...stdioEntry(stdio, values) }
    : http
      ? httpEntry(http, 'url', values)
      : undefined;
  if (!entry) return undefined;
  return { entry, inputs: spec.inputs.map(vscodeInput) };
}

/**
 * VS Code reads `vscode:mcp/install?<query>` with URI.parse, which percent-decodes the query, and then
 * calls decodeURIComponent on it again. Encoding once is the documented form and survives that while the
 * JSON holds no `%`; JSON that does (a `%20` in a URL, `100%` in an argument) is encoded twice, or the
 * second decode would corrupt or reject it.
 */
export function vscodeLinkQuery(json: string): string {
  const once = encodeURIComponent(json);
  return json.includes('%') ? encodeURIComponent(once) : once;
}

export function vscode(spec: LaunchSpec, names: ServerNames): ClientGuide {
  const guide = newGuide('vscode', 'VS Code');
  const built = vscodeEntry(spec);
  if (!built) {
    guide.notes.push(...unsupportedNotes(spec, 'VS Code'));
    return guide;
  }
  const { entry, inputs } = built;
  const hasInputs = inputs.length > 0;
  guide.snippets.push(
    jsonSnippet(
      '.vscode/mcp.json',
      '.vscode/mcp.json',
      compact({ inputs: hasInputs ? inputs : undefined, servers: { [names.key]: entry } }),
    ),
  );
  const payload = compact({ name: names.key, ...entry, inputs: hasInputs ? inputs : undefined });
  const payloadJson = JSON.stringify(payload);
  guide.snippets.push(shellSnippet('Add with the CLI', ['code', '--add-mcp', payloadJson]));
  const webParams: [string, string][] = [
    ['name', names.key],
    ['config', JSON.stringify(entry)],
    ...(hasInputs ? [['inputs', JSON.stringify(inputs)] as [string, string]] : []),
  ];
  const appQuery = vscodeLinkQuery(payloadJson);
  const webQuery = queryString(webParams);
  guide.links.push(
    { label: 'Install in VS Code', href: `vscode:mcp/install?${appQuery}` },
    { label: 'Install in VS Code Insiders', href: `vscode-insiders:mcp/install?${appQuery}` },
    { label: 'Install in VS Code (via vscode.dev)', href: `https://vscode.dev/redirect/mcp/install?${webQuery}` },
    {
      label: 'Install in VS Code Insiders (via vscode.dev)',
      href: `https://insiders.vscode.dev/redirect/mcp/install?${webQuery}&${queryString([['quality', 'insiders']])}`,
    },
  );
  if (hasInputs)
    guide.notes.push(
      'VS Code prompts for each input when the server first starts; secrets are stored masked, not in mcp.json.',
    );
  return guide;
}

// --- Cursor and Windsurf --------------------------------------------------------------------------

/** An `mcpServers` value as Cursor and Windsurf store it (no name, no type); they differ in the URL key. */
function mcpServersEntry(spec: LaunchSpec, urlKey: 'url' | 'serverUrl'): JsonObject | undefined {
  const stdio = stdioOf(spec);
  const http = httpOf(spec);
  return stdio ? plainStdioEntry(stdio) : http ? httpEntry(http, urlKey, plain(http), false) : undefined;
}

/** The server entry Cursor stores, which its install link carries without the name. */
export const cursorEntry = (spec: LaunchSpec): JsonObject | undefined => mcpServersEntry(spec, 'url');

export function cursor(spec: LaunchSpec, names: ServerNames): ClientGuide {
  const guide = newGuide('cursor', 'Cursor');
  const entry = cursorEntry(spec);
  if (!entry) {
    guide.notes.push(...unsupportedNotes(spec, 'Cursor'));
    return guide;
  }
  guide.snippets.push(mcpServersSnippet('~/.cursor/mcp.json', '~/.cursor/mcp.json', names.key, entry));
  // base64 holds `+`, `/` and `=`, which a query parser would misread: the base64 text is percent-encoded too.
  const query = queryString([
    ['name', names.key],
    ['config', base64Utf8(JSON.stringify(entry))],
  ]);
  guide.links.push(
    { label: 'Install in Cursor', href: `cursor://anysphere.cursor-deeplink/mcp/install?${query}` },
    { label: 'Install in Cursor (via cursor.com)', href: `https://cursor.com/en/install-mcp?${query}` },
  );
  if (spec.inputs.length) guide.notes.push('Replace each <PLACEHOLDER> with your own value after installing.');
  return guide;
}

export function windsurf(spec: LaunchSpec, names: ServerNames): ClientGuide {
  const guide = newGuide('windsurf', 'Windsurf');
  const entry = mcpServersEntry(spec, 'serverUrl');
  if (!entry) {
    guide.notes.push(...unsupportedNotes(spec, 'Windsurf'));
    return guide;
  }
  const file = '~/.codeium/windsurf/mcp_config.json';
  guide.snippets.push(mcpServersSnippet(file, file, names.key, entry));
  return guide;
}

// --- Goose ----------------------------------------------------------------------------------------

/** Commands Goose accepts in an install link; other commands need the config file. */
const GOOSE_LINK_COMMANDS = new Set(['npx', 'uvx', 'docker']);
const GOOSE_TIMEOUT_SECONDS = 300;

export function goose(spec: LaunchSpec, names: ServerNames): ClientGuide {
  const guide = newGuide('goose', 'Goose');
  const stdio = stdioOf(spec);
  const http = httpOf(spec);
  const values = plain(spec);
  const common = { enabled: true, name: names.title, description: names.description };
  let extension: JsonObject;
  if (stdio) {
    const args = values.args(stdio);
    extension = compact({
      ...common,
      type: 'stdio',
      cmd: stdio.command,
      args,
      envs: values.map(stdio.env),
      timeout: GOOSE_TIMEOUT_SECONDS,
    });
    if (GOOSE_LINK_COMMANDS.has(stdio.command)) {
      guide.links.push({
        label: 'Install in Goose',
        href: `goose://extension?${queryString([
          ['cmd', stdio.command],
          ...args.map((arg) => ['arg', arg] as const),
          ['id', names.key],
          ['name', names.title],
          ['description', names.description],
          // Goose asks for these after install; the text after `=` is shown as a hint, never used as the value.
          ...stdio.env.map((setting) => ['env', `${setting.name}=${setting.description || setting.name}`] as const),
          ['timeout', String(GOOSE_TIMEOUT_SECONDS)],
        ])}`,
      });
    } else {
      guide.notes.push(
        `Goose install links only launch npx, uvx or docker; add this ${stdio.command} server through the config file.`,
      );
    }
  } else if (http) {
    const type = http.kind === 'sse' ? 'sse' : 'streamable_http';
    const url = values.one(http.url);
    extension = compact({
      ...common,
      type,
      uri: url,
      headers: values.map(http.headers),
      timeout: GOOSE_TIMEOUT_SECONDS,
    });
    if (http.kind === 'http') {
      guide.links.push({
        label: 'Install in Goose',
        href: `goose://extension?${queryString([
          ['url', url],
          ['type', type],
          ['id', names.key],
          ['name', names.title],
          ['description', names.description],
          // Goose decodes a header's value once more after reading the query, so it is encoded twice.
          ...http.headers.map(
            (header) => ['header', `${header.name}=${encodeURIComponent(values.one(header.value))}`] as const,
          ),
          ['timeout', String(GOOSE_TIMEOUT_SECONDS)],
        ])}`,
      });
    }
  } else {
    guide.notes.push(...unsupportedNotes(spec, 'Goose'));
    return guide;
  }
  const config = { extensions: { [names.key]: extension } };
  guide.snippets.push({
    title: '~/.config/goose/config.yaml',
    language: 'yaml',
    text: yamlText(config),
    value: config,
    where: '~/.config/goose/config.yaml',
  });
  return guide;
}

export const CLIENTS = [claudeDesktop, claudeCode, vscode, cursor, windsurf, goose] as const;
