/**
 * What a server page shows beyond the raw manifest: the configuration a user must provide, as flat
 * table rows, and the plain-language list of what was actually verified about the server.
 */
import type { Argument, Input, KeyValueInput, Package, Remote, ServerJson } from '../schema/server.ts';
import type { ServerRecord } from '../registry/model.ts';

export type SettingKind =
  'Environment variable' | 'Runtime argument' | 'Package argument' | 'Header' | 'URL variable' | 'Variable';

export interface SettingRow {
  /** Which package or remote the setting belongs to, e.g. `npm @acme/weather` or `Remote (streamable-http)`. */
  source: string;
  kind: SettingKind;
  /** Variable or header name, `--flag` for named arguments, the value hint for positional ones. */
  name: string;
  /** For `Variable` rows: the setting whose value refers to it. */
  partOf?: string;
  description?: string;
  required: boolean;
  secret: boolean;
  /** The fixed value or template (`Bearer {token}`) the manifest gives, if any. */
  value?: string;
  defaultValue?: string;
  choices?: string[];
  format?: string;
}

export function packageLabel(pkg: Package): string {
  return `${pkg.registryType} ${pkg.identifier}`;
}

export function remoteLabel(remote: Remote, index: number, count: number): string {
  return count === 1 ? `Remote (${remote.type})` : `Remote ${index + 1} (${remote.type})`;
}

/** Every input the server's packages and remotes declare, in manifest order. */
export function settingRows(server: ServerJson): SettingRow[] {
  const rows: SettingRow[] = [];
  for (const pkg of server.packages ?? []) {
    const source = packageLabel(pkg);
    for (const env of pkg.environmentVariables ?? []) addKeyValue(rows, source, 'Environment variable', env);
    for (const arg of pkg.runtimeArguments ?? []) addArgument(rows, source, 'Runtime argument', arg);
    for (const arg of pkg.packageArguments ?? []) addArgument(rows, source, 'Package argument', arg);
    if (pkg.transport.type !== 'stdio') {
      for (const header of pkg.transport.headers ?? []) addKeyValue(rows, source, 'Header', header);
    }
  }
  const remotes = server.remotes ?? [];
  remotes.forEach((remote, index) => {
    const source = remoteLabel(remote, index, remotes.length);
    for (const header of remote.headers ?? []) addKeyValue(rows, source, 'Header', header);
    for (const [name, input] of sortedEntries(remote.variables)) rows.push(row(source, 'URL variable', name, input));
  });
  return rows;
}

function addKeyValue(rows: SettingRow[], source: string, kind: SettingKind, input: KeyValueInput): void {
  rows.push(row(source, kind, input.name, input));
  addVariables(rows, source, input.name, input.variables);
}

function addArgument(rows: SettingRow[], source: string, kind: SettingKind, arg: Argument): void {
  const name = arg.type === 'named' ? arg.name : (arg.valueHint ?? arg.value ?? 'argument');
  rows.push(row(source, kind, name, arg));
  addVariables(rows, source, name, arg.variables);
}

function addVariables(
  rows: SettingRow[],
  source: string,
  partOf: string,
  variables: Record<string, Input> | undefined,
): void {
  for (const [name, input] of sortedEntries(variables)) rows.push({ ...row(source, 'Variable', name, input), partOf });
}

function row(source: string, kind: SettingKind, name: string, input: Input): SettingRow {
  return {
    source,
    kind,
    name,
    ...(input.description === undefined ? {} : { description: input.description }),
    required: input.isRequired === true,
    secret: input.isSecret === true,
    ...(input.value === undefined ? {} : { value: input.value }),
    ...(input.default === undefined ? {} : { defaultValue: input.default }),
    ...(input.choices === undefined || input.choices.length === 0 ? {} : { choices: input.choices }),
    ...(input.format === undefined || input.format === 'string' ? {} : { format: input.format }),
  };
}

function sortedEntries(record: Record<string, Input> | undefined): Array<[string, Input]> {
  return Object.entries(record ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Who may publish under a namespace, by the official registry's rules: `io.github.<login>` is granted to
 * that GitHub account; a reverse-DNS namespace to whoever proves control of the domain.
 */
export function namespaceOwnership(namespace: string): string {
  const github = /^io\.github\.(.+)$/.exec(namespace);
  if (github !== null) {
    return `The name is in the ${namespace} namespace, which the official MCP registry grants only to the GitHub account or organization “${github[1]}”.`;
  }
  const domain = namespace.split('.').reverse().join('.');
  return `The name is in the ${namespace} namespace, which the official MCP registry grants only to whoever proves control of the domain ${domain} (by a DNS record or a file served from it).`;
}

/**
 * Plain statements of what was actually checked, and nothing more. A site is only built from data
 * without errors, so every rule the validator treats as an error holds for every published version.
 */
export function verificationStatements(record: ServerRecord): string[] {
  const statements = [
    `${record.versions.length === 1 ? 'Its server.json passes' : `All ${record.versions.length} versions’ server.json files pass`} the official schema and the official registry’s publishing rules (checked on every build of this site).`,
    namespaceOwnership(record.namespace),
  ];
  const remotes = (record.latest ?? record.versions[0])?.server.remotes ?? [];
  if (remotes.length > 0) {
    statements.push(
      `${remotes.length === 1 ? 'Its remote endpoint uses' : 'Its remote endpoints use'} https, not a local address, and no other server listed here uses the same URL.`,
    );
  }
  return statements;
}

export interface TextPart {
  text: string;
  /** Set when the text is the name of a server in the registry: the path of its page. */
  href?: string;
}

const SERVER_NAME = /[a-zA-Z0-9][a-zA-Z0-9.-]*[a-zA-Z0-9]\/[a-zA-Z0-9](?:[a-zA-Z0-9._-]*[a-zA-Z0-9])?/g;

/** The names of servers in `text` for which `isKnown` holds, each once, in order of appearance. */
export function mentionedServers(text: string, isKnown: (name: string) => boolean): string[] {
  return [...new Set(Array.from(text.matchAll(SERVER_NAME), (match) => match[0]).filter(isKnown))];
}

/**
 * Splits a registry message ("Replaced by io.github.acme/py-tools.") so that names of servers the
 * registry knows can be rendered as links to their pages; everything else stays plain text.
 */
export function linkServerNames(
  text: string,
  isKnown: (name: string) => boolean,
  pathOf: (name: string) => string,
): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(SERVER_NAME)) {
    if (!isKnown(match[0])) continue;
    if (match.index > last) parts.push({ text: text.slice(last, match.index) });
    parts.push({ text: match[0], href: pathOf(match[0]) });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}
