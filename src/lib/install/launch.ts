/**
 * server.json -> launch specs: for each package or remote, what a client must run or connect to, with
 * every value the user has to supply kept as a named input instead of a guessed value. Client configs
 * (clients.ts) only render these specs, so the manifest is interpreted in exactly one place.
 */
import type { Argument, Input, KeyValueInput, Package, Remote, ServerJson } from '../schema/server.ts';

/** A value the user supplies: a VS Code `${input:id}` prompt, or a `<PLACEHOLDER>` everywhere else. */
export interface UserInput {
  id: string;
  description: string;
  isSecret: boolean;
  isRequired: boolean;
  /** Never set for secrets: a default would look like a real credential. */
  default?: string;
  choices?: string[];
}

/** Literal text, or a reference to a UserInput by id. */
export type Part = string | { input: string };
/** A value made of literal text and user inputs, e.g. `Bearer ` + {input: 'token'}. */
export type Template = Part[];

/** An environment variable or HTTP header. */
export interface Setting {
  name: string;
  value: Template;
  isSecret: boolean;
  isRequired: boolean;
  description: string;
}

/** A manifest argument or variable left out of generated configs because it is optional and has no value. */
export interface OptionalSetting {
  kind: 'argument' | 'environment' | 'header';
  name: string;
  description: string;
  isRepeated: boolean;
}

export interface Command {
  command: string;
  args: Template[];
  env: Setting[];
}

interface SpecBase {
  inputs: UserInput[];
  optional: OptionalSetting[];
  /** Plain-language caveats: unusual runtime hints, bundles, packages that must be started by hand. */
  notes: string[];
}

export interface StdioSpec extends SpecBase, Command {
  kind: 'stdio';
}

export interface HttpSpec extends SpecBase {
  kind: 'http' | 'sse';
  url: Template;
  headers: Setting[];
  /** For a local package that serves HTTP: the command that starts it before a client connects. */
  start?: Command;
}

export interface BundleSpec extends SpecBase {
  kind: 'bundle';
  /** An .mcpb bundle, or a prebuilt executable (runtimeHint `binary` or a URL not ending in .mcpb). */
  format: 'mcpb' | 'binary';
  /** https download URL of the .mcpb bundle (or raw binary). */
  url: string;
  fileSha256?: string;
  env: Setting[];
}

export interface UnsupportedSpec extends SpecBase {
  kind: 'unsupported';
}

export type LaunchSpec = StdioSpec | HttpSpec | BundleSpec | UnsupportedSpec;

/** One way to run a server: a package or a remote, as a reader would pick it. */
export interface InstallTarget {
  /** Stable, page-unique: `package-0`, `remote-1`. */
  id: string;
  label: string;
  spec: LaunchSpec;
}

/** Every package, then every remote, in manifest order. */
export function installTargets(server: ServerJson): InstallTarget[] {
  const packages = (server.packages ?? []).map((pkg, index) => ({
    id: `package-${index}`,
    label: packageLabel(pkg),
    spec: packageSpec(pkg),
  }));
  const remotes = (server.remotes ?? []).map((remote, index) => ({
    id: `remote-${index}`,
    label: `Remote (${remote.type}): ${remote.url}`,
    spec: remoteSpec(remote),
  }));
  return [...packages, ...remotes];
}

function packageLabel(pkg: Package): string {
  if (pkg.registryType === 'mcpb') return `Bundle (mcpb): ${pkg.identifier}`;
  return `${pkg.registryType}: ${pkg.identifier}${pkg.version ? ` ${pkg.version}` : ''}`;
}

/** How each registry type is launched: the canonical command and where the package reference goes. */
interface Launcher {
  command: string;
  /** Words before runtimeArguments (e.g. docker's `run -i --rm`). */
  prefix: string[];
  reference: (pkg: Package) => string;
  /** Words after the reference and before packageArguments. */
  suffix: string[];
}

const LAUNCHERS: Record<string, Launcher> = {
  npm: {
    command: 'npx',
    prefix: ['-y'],
    reference: (pkg) => (pkg.version ? `${pkg.identifier}@${pkg.version}` : pkg.identifier),
    suffix: [],
  },
  pypi: {
    command: 'uvx',
    prefix: [],
    reference: (pkg) => (pkg.version ? `${pkg.identifier}==${pkg.version}` : pkg.identifier),
    suffix: [],
  },
  oci: {
    command: 'docker',
    prefix: ['run', '-i', '--rm'],
    // The current schema puts the tag inside the identifier; older manifests had a separate version.
    reference: (pkg) =>
      pkg.version && !/[:@][^/]*$/.test(pkg.identifier) ? `${pkg.identifier}:${pkg.version}` : pkg.identifier,
    suffix: [],
  },
  nuget: {
    command: 'dnx',
    prefix: [],
    reference: (pkg) => (pkg.version ? `${pkg.identifier}@${pkg.version}` : pkg.identifier),
    // dnx asks for confirmation unless told --yes; `--` keeps package arguments away from dnx itself.
    suffix: ['--yes'],
  },
};

/** Builds the inputs, values and notes of one spec while its arguments are read. */
class SpecBuilder {
  readonly inputs = new Map<string, UserInput>();
  readonly optional: OptionalSetting[] = [];
  readonly notes: string[] = [];

  /** Registers an input once; the first declaration of an id wins. */
  addInput(input: UserInput): { input: string } {
    if (!this.inputs.has(input.id)) this.inputs.set(input.id, input);
    return { input: input.id };
  }

  /** Turns `value` into a Template: each `{name}` becomes an input described by `variables[name]` or the owner. */
  template(value: string, variables: Record<string, Input> | undefined, owner: Input & { label: string }): Template {
    const parts: Template = [];
    let last = 0;
    for (const match of value.matchAll(/\{([A-Za-z_][A-Za-z0-9_.-]*)\}/g)) {
      const name = match[1]!;
      const declared = variables?.[name];
      if (match.index > last) parts.push(value.slice(last, match.index));
      const description = declared ? (declared.description ?? name) : (owner.description ?? owner.label);
      // A variable inside a secret value (`Bearer {token}`) is the secret part even when not marked so.
      const isSecret = Boolean(declared?.isSecret || owner.isSecret);
      parts.push(this.addInput(toUserInput(name, { ...(declared ?? owner), isSecret }, description)));
      last = match.index + match[0].length;
    }
    if (last < value.length || parts.length === 0) parts.push(value.slice(last));
    return parts;
  }

  /** The value of an argument, variable or header: its fixed value, or one input for the whole thing. */
  valueOf(input: Input & { variables?: Record<string, Input> }, id: string, label: string): Template {
    if (input.value !== undefined) return this.template(input.value, input.variables, { ...input, label });
    return [this.addInput(toUserInput(id, input, input.description ?? label))];
  }

  settings(kind: 'environment' | 'header', list: readonly KeyValueInput[] | undefined): Setting[] {
    const out: Setting[] = [];
    for (const item of list ?? []) {
      // A setting the user may leave alone (optional, no fixed value, not a secret) stays out of the
      // config; a reader sees it in the optional list instead of a prompt for every tuning knob.
      if (item.value === undefined && !item.isRequired && !item.isSecret) {
        this.optional.push({ kind, name: item.name, description: item.description ?? '', isRepeated: false });
        continue;
      }
      out.push({
        name: item.name,
        value: this.valueOf(item, item.name, item.name),
        isSecret: Boolean(item.isSecret),
        isRequired: Boolean(item.isRequired),
        description: item.description ?? '',
      });
    }
    return out;
  }

  arguments(list: readonly Argument[] | undefined): Template[] {
    const words: Template[] = [];
    for (const arg of list ?? []) {
      if (arg.type === 'named') {
        // An optional named argument without a fixed value is an option the user may add (`-e`, `--port`):
        // adding it with a prompt would force a value, adding it bare could swallow the next word.
        if (arg.value === undefined && !arg.isRequired) {
          this.optional.push({
            kind: 'argument',
            name: arg.name,
            description: arg.description ?? '',
            isRepeated: Boolean(arg.isRepeated),
          });
          continue;
        }
        const id = arg.name.replace(/^-+/, '').replace(/=$/, '') || arg.name;
        const value = this.valueOf(arg, id, arg.name);
        // `--port=` in the manifest asks for one word (`--port=8080`), otherwise name and value are two words.
        if (arg.name.endsWith('=')) words.push([arg.name, ...value]);
        else words.push([arg.name], value);
      } else {
        if (arg.value === undefined && !arg.isRequired && arg.default === undefined) {
          this.optional.push({
            kind: 'argument',
            name: arg.valueHint ?? 'argument',
            description: arg.description ?? '',
            isRepeated: Boolean(arg.isRepeated),
          });
          continue;
        }
        words.push(this.valueOf(arg, arg.valueHint ?? 'value', arg.valueHint ?? 'value'));
      }
    }
    return words;
  }

  base(): SpecBase {
    return { inputs: [...this.inputs.values()], optional: this.optional, notes: this.notes };
  }
}

function toUserInput(id: string, input: Input, description: string): UserInput {
  const isSecret = Boolean(input.isSecret);
  return {
    id,
    description,
    isSecret,
    isRequired: Boolean(input.isRequired),
    ...(input.default !== undefined && !isSecret ? { default: input.default } : {}),
    ...(input.choices?.length ? { choices: input.choices } : {}),
  };
}

export function packageSpec(pkg: Package): LaunchSpec {
  const builder = new SpecBuilder();
  if (pkg.registryType === 'mcpb') return bundleSpec(pkg, builder);
  const launcher = LAUNCHERS[pkg.registryType];
  if (!launcher) {
    builder.notes.push(
      `The package type "${pkg.registryType}" is not one MCP clients know how to launch; see the server's own documentation.`,
    );
    return { kind: 'unsupported', ...builder.base() };
  }

  const hint = pkg.runtimeHint?.trim();
  // runtimeArguments are written for the runtime in runtimeHint; with any other launcher they would be
  // misread (`uvx -m module` fails), so they are left out and the reader is told why.
  const hintMatches = !hint || hint === launcher.command;
  const runtimeArgs = hintMatches ? builder.arguments(pkg.runtimeArguments) : [];
  if (!hintMatches) {
    builder.notes.push(
      `The publisher names "${hint}" as the runtime. MCP clients launch ${pkg.registryType} packages with ${launcher.command}, ` +
        `which this configuration uses${pkg.runtimeArguments?.length ? `; the runtime arguments meant for ${hint} are left out` : ''}. ` +
        `If the server does not start, follow its own instructions for ${hint}.`,
    );
  }
  const env = builder.settings('environment', pkg.environmentVariables);
  const packageArgs = builder.arguments(pkg.packageArguments);
  const isDocker = launcher.command === 'docker';
  const args: Template[] = [
    ...launcher.prefix.map((word) => [word]),
    ...runtimeArgs,
    // docker passes variables through by name (`-e VAR`), so secrets stay out of the command line.
    ...(isDocker ? env.flatMap((setting) => [['-e'], [setting.name]]) : []),
    [launcher.reference(pkg)],
    ...launcher.suffix.map((word) => [word]),
    ...(launcher.command === 'dnx' && packageArgs.length ? [['--']] : []),
    ...packageArgs,
  ];
  const command: Command = { command: launcher.command, args, env };

  if (pkg.transport.type === 'stdio') return { kind: 'stdio', ...command, ...builder.base() };
  // A local package that serves HTTP: the client connects to its URL once the user has started it.
  // `{port}`-style templates refer to the package's own arguments or variables, so reuse their values.
  const known = knownValues(pkg);
  const url = builder
    .template(pkg.transport.url, undefined, { label: 'url' })
    .flatMap((part) => (typeof part === 'string' || !known.has(part.input) ? [part] : known.get(part.input)!));
  builder.notes.push(
    'This package serves MCP over HTTP: start it with the command shown, then connect your client to its URL.',
  );
  const headers = builder.settings('header', pkg.transport.headers);
  const base = builder.base();
  // Inputs that were only placeholders for URL parts now resolved from arguments are dropped.
  const used = new Set(
    [url, ...args, ...env.map((s) => s.value), ...headers.map((h) => h.value)]
      .flat()
      .flatMap((part) => (typeof part === 'string' ? [] : [part.input])),
  );
  return {
    kind: pkg.transport.type === 'sse' ? 'sse' : 'http',
    url,
    headers,
    start: command,
    ...base,
    inputs: base.inputs.filter((input) => used.has(input.id)),
  };
}

/** Values a package URL template may refer to: argument value hints and names, and variable names. */
function knownValues(pkg: Package): Map<string, Template> {
  const known = new Map<string, Template>();
  const fixed = (input: Input): Template | undefined => {
    const value = input.value ?? input.default;
    return value === undefined ? undefined : [value];
  };
  for (const arg of [...(pkg.runtimeArguments ?? []), ...(pkg.packageArguments ?? [])]) {
    const value = fixed(arg);
    const keys = arg.type === 'named' ? [arg.name, arg.name.replace(/^-+/, '')] : arg.valueHint ? [arg.valueHint] : [];
    for (const key of keys) if (value && !known.has(key)) known.set(key, value);
  }
  for (const variable of pkg.environmentVariables ?? []) {
    const value = fixed(variable);
    if (value && !known.has(variable.name)) known.set(variable.name, value);
  }
  return known;
}

function bundleSpec(pkg: Package, builder: SpecBuilder): BundleSpec {
  const env = builder.settings('environment', pkg.environmentVariables);
  const pathname = URL.canParse(pkg.identifier) ? new URL(pkg.identifier).pathname : pkg.identifier;
  const binary = pkg.runtimeHint === 'binary' || !/\.mcpb$/i.test(pathname);
  builder.notes.push(
    binary
      ? 'This is a prebuilt executable, not a bundle: download it, check its SHA-256, make it executable and use its path as the command in your client.'
      : 'An MCP bundle (.mcpb) is installed by opening the downloaded file in a client that supports bundles, such as Claude Desktop; other clients cannot use it.',
  );
  if (pkg.runtimeHint && pkg.runtimeHint !== 'binary') builder.notes.push(`Built for ${pkg.runtimeHint}.`);
  return {
    kind: 'bundle',
    format: binary ? 'binary' : 'mcpb',
    url: pkg.identifier,
    ...(pkg.fileSha256 ? { fileSha256: pkg.fileSha256 } : {}),
    env,
    ...builder.base(),
  };
}

export function remoteSpec(remote: Remote): HttpSpec {
  const builder = new SpecBuilder();
  const url = builder.template(remote.url, remote.variables, { label: 'url' });
  const headers = builder.settings('header', remote.headers);
  return { kind: remote.type === 'sse' ? 'sse' : 'http', url, headers, ...builder.base() };
}
