/**
 * Turns one night's observations of a server into its next probe.json, against the previous one:
 * times move only when something changed, tools are compared by fingerprint, and a change without a
 * new version is recorded as silent. Serialisation has a fixed key order, so the same facts always
 * give the same bytes and an unchanged server's file is never rewritten.
 */
import type { ProbeFile, ProbeOutcome, ProbedRemote, ToolChange } from '../registry/probe-facts.ts';
import {
  MAX_TOOL_CHANGES,
  ProbedRemoteSchema,
  ProbedToolSchema,
  ProbeFileSchema,
  ToolChangeSchema,
} from '../registry/probe-facts.ts';
import type { ProbeLimits } from './limits.ts';
import type { RemoteObservation } from './remote.ts';
import { canonicalJson, keptTools } from './tools.ts';

export interface ServerObservation {
  name: string;
  version: string;
  remotes: RemoteObservation[];
}

/** When no remote answered, the outcome that says most about why, first. */
const TELLING: readonly ProbeOutcome[] = [
  'auth-required',
  'needs-config',
  'not-mcp',
  'error',
  'timeout',
  'unreachable',
];

export function serverStatus(outcomes: readonly ProbeOutcome[]): ProbeOutcome {
  if (outcomes.includes('ok')) return 'ok';
  return TELLING.find((outcome) => outcomes.includes(outcome)) ?? 'error';
}

export interface NextProbe {
  file: ProbeFile;
  /** The tool change recorded by this observation, if any. */
  change?: ToolChange;
}

export function nextProbeFile(
  previous: ProbeFile | undefined,
  observation: ServerObservation,
  checkedAt: string,
  limits: ProbeLimits,
): NextProbe {
  const remotes = observation.remotes.map((observed) => withSince(observed.remote, previous, checkedAt));
  const file: ProbeFile = {
    version: observation.version,
    status: serverStatus(remotes.map((remote) => remote.outcome)),
    remotes,
    tools: previous?.tools ?? [],
    changes: previous?.changes ?? [],
  };
  const copy = <K extends 'toolsVersion' | 'toolsTruncated' | 'prompts' | 'resources' | 'toolsChangedAt'>(key: K) => {
    if (previous?.[key] !== undefined) file[key] = previous[key];
  };
  (['toolsVersion', 'toolsTruncated', 'prompts', 'resources', 'toolsChangedAt'] as const).forEach(copy);

  const listed = observation.remotes.find((remote) => remote.remote.outcome === 'ok' && remote.tools !== undefined);
  if (!listed) return { file: ordered(file) };

  const kept = keptTools(listed.tools!, limits);
  const truncated = listed.toolsTruncated === true || kept.length < (listed.tools?.length ?? 0);
  const before = new Map((previous?.toolsVersion !== undefined ? previous.tools : []).map((tool) => [tool.name, tool]));
  file.tools = kept.map((tool) => {
    const old = before.get(tool.name);
    return { ...tool, since: old && old.fingerprint === tool.fingerprint ? old.since : checkedAt };
  });
  file.toolsVersion = observation.version;
  if (truncated) file.toolsTruncated = true;
  else delete file.toolsTruncated;
  for (const key of ['prompts', 'resources'] as const) {
    if (listed.remote[key] !== undefined) file[key] = listed.remote[key];
    else delete file[key];
  }

  let change: ToolChange | undefined;
  if (previous?.toolsVersion !== undefined) {
    const now = new Map(file.tools.map((tool) => [tool.name, tool]));
    const added = file.tools.filter((tool) => !before.has(tool.name)).map((tool) => tool.name);
    // A truncated list cannot tell a removed tool from one past the cut.
    const removed = truncated || previous.toolsTruncated ? [] : [...before.keys()].filter((name) => !now.has(name));
    const changed = file.tools
      .filter((tool) => before.has(tool.name) && before.get(tool.name)!.fingerprint !== tool.fingerprint)
      .map((tool) => tool.name);
    if (added.length || removed.length || changed.length) {
      change = {
        at: checkedAt,
        version: observation.version,
        previousVersion: previous.toolsVersion,
        silent: previous.toolsVersion === observation.version,
        added: added.slice(0, 100),
        removed: removed.slice(0, 100),
        changed: changed.slice(0, 100),
      };
      file.changes = [change, ...file.changes].slice(0, MAX_TOOL_CHANGES);
      if (change.silent) file.toolsChangedAt = checkedAt;
    }
  }
  return { file: ordered(file), change };
}

function withSince(
  remote: Omit<ProbedRemote, 'since'>,
  previous: ProbeFile | undefined,
  checkedAt: string,
): ProbedRemote {
  const old = previous?.remotes.find(
    (candidate) =>
      candidate.type === remote.type && candidate.url === remote.url && candidate.package === remote.package,
  );
  if (old) {
    const { since, ...rest } = old;
    if (canonicalJson(rest) === canonicalJson(remote)) return { ...remote, since };
  }
  return { ...remote, since: checkedAt };
}

/** probe.json text: keys in schema order at every level we own, tools by name, a final newline. */
export function serializeProbeFile(file: ProbeFile): string {
  return `${JSON.stringify(ordered(file), null, 2)}\n`;
}

function ordered(file: ProbeFile): ProbeFile {
  return {
    ...pick(file, ProbeFileSchema.shape),
    remotes: file.remotes.map((remote) => pick(remote, ProbedRemoteSchema.shape)),
    tools: [...file.tools]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((tool) => pick(tool, ProbedToolSchema.shape)),
    changes: file.changes.map((change) => pick(change, ToolChangeSchema.shape)),
  } as ProbeFile;
}

type Shape = Record<string, unknown>;

/** The keys of `shape`, in its order, that `value` has; nested objects of the schema likewise. */
function pick<T extends object>(value: T, shape: Shape): T {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(shape)) {
    const field = (value as Record<string, unknown>)[key];
    if (field === undefined) continue;
    const inner = objectShape(shape[key]);
    out[key] = inner && field && typeof field === 'object' && !Array.isArray(field) ? pick(field, inner) : field;
  }
  return out as T;
}

/** The shape of an object schema, through `.optional()` and the like; undefined for anything else. */
function objectShape(schema: unknown): Shape | undefined {
  let current = schema as { unwrap?: () => unknown; shape?: Shape } | undefined;
  while (current?.unwrap) current = current.unwrap() as typeof current;
  return current?.shape;
}
