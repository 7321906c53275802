/**
 * A probe run over many servers: which servers (latest non-deleted version with remotes, --only,
 * --shard I/N), in what order (a global limit and a per-host limit, so one provider hosting thousands
 * of servers sees a few connections at a time), each within its budget, with progress as it goes.
 */
import { createHash } from 'node:crypto';
import type { ProbeFile, ProbeOutcome, ProbeRun, ToolChange } from '../registry/probe-facts.ts';
import { PROBE_OUTCOMES } from '../registry/probe-facts.ts';
import type { Registry } from '../registry/model.ts';
import type { Package, Remote } from '../schema/server.ts';
import type { ProbeNetwork } from './net.ts';
import { nextProbeFile } from './record.ts';
import type { RemoteObservation } from './remote.ts';
import { PROBE_CLIENT, probeRemote } from './remote.ts';
import type { SandboxOptions } from './stdio.ts';
import { probeStdio } from './stdio.ts';
import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';

export interface ProbeTarget {
  name: string;
  version: string;
  remotes: Remote[];
  /** npm packages to run in the stdio sandbox (only with --stdio). */
  packages: Package[];
  previous?: ProbeFile;
  /** Every version is deleted: the old probe.json describes nothing listed and is removed. */
  gone?: boolean;
}

export interface Shard {
  index: number; // 1-based
  count: number;
}

/** `I/N` with 1 <= I <= N, or undefined. */
export function parseShard(text: string): Shard | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  if (!match) return undefined;
  const index = Number(match[1]);
  const count = Number(match[2]);
  return index >= 1 && index <= count && count <= 1000 ? { index, count } : undefined;
}

/** A server's shard depends only on its name, so shards stay stable as servers come and go. */
export function shardOf(name: string, count: number): number {
  return (createHash('sha256').update(name).digest().readUInt32BE(0) % count) + 1;
}

/** Servers to probe: each one's latest version (its remotes, and with `stdio` its stdio packages); by name. */
export function probeTargets(
  registry: Registry,
  only: ReadonlySet<string>,
  shard?: Shard,
  stdio = false,
): ProbeTarget[] {
  return registry.servers
    .filter((server) => (server.latest || server.probe) && (only.size === 0 || only.has(server.name)))
    .filter((server) => !shard || shardOf(server.name, shard.count) === shard.index)
    .map((server) =>
      server.latest
        ? {
            name: server.name,
            version: server.latest.server.version,
            remotes: server.latest.server.remotes ?? [],
            packages: stdio
              ? (server.latest.server.packages ?? []).filter((pkg) => pkg.transport.type === 'stdio')
              : [],
            ...(server.probe && { previous: server.probe }),
          }
        : { name: server.name, version: '', remotes: [], packages: [], gone: true },
    );
}

export interface ServerProbeResult {
  name: string;
  /** Undefined when the server has nothing to probe (no remotes): its probe.json is removed. */
  file?: ProbeFile;
  /** Nothing was probed and the existing file (stdio results from an earlier --stdio run) stays. */
  keep?: boolean;
  change?: ToolChange;
}

export interface ProbeProgress {
  done: number;
  total: number;
  outcomes: Record<ProbeOutcome, number>;
  elapsedMs: number;
}

export interface RunOptions {
  network: ProbeNetwork;
  /** Set with --stdio: how to run packages in the sandbox. */
  sandbox?: SandboxOptions;
  concurrency: number;
  checkedAt: string;
  onResult?: (result: ServerProbeResult) => void | Promise<void>;
  onProgress?: (progress: ProbeProgress) => void;
}

export function emptyOutcomes(): Record<ProbeOutcome, number> {
  return Object.fromEntries(PROBE_OUTCOMES.map((outcome) => [outcome, 0])) as Record<ProbeOutcome, number>;
}

export async function runProbe(targets: readonly ProbeTarget[], options: RunOptions): Promise<ServerProbeResult[]> {
  const { network, checkedAt } = options;
  const started = Date.now();
  const outcomes = emptyOutcomes();
  const results: ServerProbeResult[] = [];
  const hosts = new HostSlots(network.limits.perHost);
  const queue = new HostQueue(targets, hosts);
  let done = 0;

  const probeOne = async (target: ProbeTarget): Promise<ServerProbeResult> => {
    // Stdio results of an earlier --stdio run stay as they were when this run does not run packages.
    const keptStdio = options.sandbox
      ? []
      : (target.previous?.remotes ?? [])
          .filter((remote) => remote.type === 'stdio')
          .map(({ since: _, ...remote }) => ({ remote }));
    if (target.gone) return { name: target.name };
    if (target.remotes.length === 0 && target.packages.length === 0)
      return keptStdio.length ? { name: target.name, keep: true } : { name: target.name };
    const budget = AbortSignal.timeout(network.limits.serverBudgetMs);
    const observations: RemoteObservation[] = [];
    for (const remote of target.remotes) {
      const host = hostOf(remote.url);
      await hosts.acquire(host);
      try {
        observations.push(
          await withHardStop(probeRemote(remote, network, budget), remote, network.limits.serverBudgetMs),
        );
      } finally {
        hosts.release(host);
      }
    }
    for (const pkg of target.packages)
      observations.push(await probeStdio(pkg, options.sandbox!, network.limits, budget));
    observations.push(...keptStdio);
    const next = nextProbeFile(
      target.previous,
      { name: target.name, version: target.version, remotes: observations },
      checkedAt,
      network.limits,
    );
    return { name: target.name, file: next.file, ...(next.change && { change: next.change }) };
  };

  const worker = async () => {
    for (let target = await queue.next(); target; target = await queue.next()) {
      const result = await probeOne(target);
      results.push(result);
      if (result.file) outcomes[result.file.status]++;
      done++;
      await options.onResult?.(result);
      options.onProgress?.({ done, total: targets.length, outcomes: { ...outcomes }, elapsedMs: Date.now() - started });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, targets.length)) }, worker));
  return results.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The SDK honours our abort signal; this is the belt to its braces, so no server can hold a worker. */
async function withHardStop(probe: Promise<RemoteObservation>, remote: Remote, budgetMs: number) {
  let timer: NodeJS.Timeout | undefined;
  const stop = new Promise<RemoteObservation>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          remote: { type: remote.type, url: remote.url, outcome: 'timeout', reason: 'the server budget ran out' },
        }),
      budgetMs + 5_000,
    );
  });
  try {
    return await Promise.race([probe, stop]);
  } finally {
    clearTimeout(timer);
  }
}

export function hostOf(url: string): string {
  try {
    return new URL(url.replace(/\{[^}]*\}/g, 'x')).hostname.toLowerCase();
  } catch {
    return '';
  }
}

/** Counting semaphores per host name. */
class HostSlots {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();
  private readonly perHost: number;
  onRelease: (host: string) => void = () => {};
  constructor(perHost: number) {
    this.perHost = perHost;
  }

  free(host: string): boolean {
    return (this.active.get(host) ?? 0) < this.perHost;
  }

  async acquire(host: string): Promise<void> {
    while (!this.free(host))
      await new Promise<void>((resolve) => this.waiting.set(host, [...(this.waiting.get(host) ?? []), resolve]));
    this.active.set(host, (this.active.get(host) ?? 0) + 1);
  }

  release(host: string): void {
    const left = (this.active.get(host) ?? 1) - 1;
    if (left === 0) this.active.delete(host);
    else this.active.set(host, left);
    const waiters = this.waiting.get(host);
    const first = waiters?.shift();
    if (waiters && waiters.length === 0) this.waiting.delete(host);
    first?.();
    this.onRelease(host);
  }
}

/**
 * Hands out servers in name order, skipping past those whose host is busy (they wait in that host's
 * own queue and go first when a slot frees), so a busy host never idles the workers.
 */
class HostQueue {
  private position = 0;
  private readonly deferred = new Map<string, ProbeTarget[]>();
  private readonly ready = new Set<string>();
  private wake: (() => void)[] = [];
  private readonly targets: readonly ProbeTarget[];
  private readonly slots: HostSlots;

  constructor(targets: readonly ProbeTarget[], slots: HostSlots) {
    this.targets = targets;
    this.slots = slots;
    slots.onRelease = (host) => {
      if (this.deferred.has(host)) this.ready.add(host);
      const waiting = this.wake;
      this.wake = [];
      waiting.forEach((resolve) => resolve());
    };
  }

  async next(): Promise<ProbeTarget | undefined> {
    for (;;) {
      for (const host of this.ready) {
        this.ready.delete(host);
        if (!this.slots.free(host)) continue;
        const queue = this.deferred.get(host)!;
        const target = queue.shift()!;
        if (queue.length === 0) this.deferred.delete(host);
        else this.ready.add(host);
        return target;
      }
      while (this.position < this.targets.length) {
        const target = this.targets[this.position++]!;
        const host = hostOf(target.remotes[0]?.url ?? '');
        if (this.slots.free(host) && !this.deferred.has(host)) return target;
        this.deferred.set(host, [...(this.deferred.get(host) ?? []), target]);
      }
      if (this.deferred.size === 0) return undefined;
      await new Promise<void>((resolve) => this.wake.push(resolve));
    }
  }
}

/** The run summary of one run (or shard). */
export function runSummary(
  results: readonly ServerProbeResult[],
  network: ProbeNetwork,
  checkedAt: string,
  finishedAt: string,
  shard: Shard | undefined,
): ProbeRun {
  const outcomes = emptyOutcomes();
  let tools = 0;
  const probed = results.filter((result) => result.file);
  for (const result of probed) {
    outcomes[result.file!.status]++;
    tools += result.file!.tools.length;
  }
  return {
    checkedAt,
    finishedAt,
    client: `${PROBE_CLIENT.name}/${PROBE_CLIENT.version}`,
    protocolVersions: [...SUPPORTED_PROTOCOL_VERSIONS],
    limits: { ...network.limits },
    shards: [shard ? `${shard.index}/${shard.count}` : '1/1'],
    servers: probed.length,
    outcomes,
    tools,
    silentChanges: results.filter((result) => result.change?.silent).map((result) => result.name),
    probedSince: {},
  };
}

/** One summary from the shards' summaries of one run (a GitHub Actions matrix). */
export function mergeSummaries(summaries: readonly ProbeRun[]): ProbeRun {
  const outcomes = emptyOutcomes();
  for (const summary of summaries) for (const outcome of PROBE_OUTCOMES) outcomes[outcome] += summary.outcomes[outcome];
  const times = (key: 'checkedAt' | 'finishedAt') => summaries.map((summary) => summary[key]).sort();
  const first = summaries[0]!;
  return {
    checkedAt: times('checkedAt')[0]!,
    finishedAt: times('finishedAt').at(-1)!,
    client: first.client,
    protocolVersions: first.protocolVersions,
    limits: first.limits,
    shards: summaries.flatMap((summary) => summary.shards).sort(compareShards),
    servers: summaries.reduce((sum, summary) => sum + summary.servers, 0),
    outcomes,
    tools: summaries.reduce((sum, summary) => sum + summary.tools, 0),
    silentChanges: summaries.flatMap((summary) => summary.silentChanges).sort(),
    probedSince: {},
  };
}

const compareShards = (a: string, b: string) => Number(a.split('/')[0]) - Number(b.split('/')[0]);
