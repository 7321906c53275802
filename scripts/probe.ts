/**
 * npm run probe -- [--only NAME]... [--concurrency N] [--per-host N] [--timeout-ms N] [--budget-ms N]
 *                  [--resolve HOST=BASE_URL]... [--shard I/N --summary FILE] [--checked-at TIME]
 *                  [--format text|json] [--quiet]
 * npm run probe -- --merge-summaries FILE...
 * Speaks MCP to the remotes of every listed server's latest version and records what they said in
 * registry-data (servers/<ns>/<name>/probe.json, probe-run.json). See docs/probe.md.
 * Exit 0 whatever the servers answered (the files are the report), 1 if the data does not validate,
 * 2 on a usage or I/O error.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { formatProblems } from '../src/lib/cli/format.ts';
import { EXIT_INVALID, EXIT_OK, parseCliArgs, parseFormat, runCli, UsageError } from '../src/lib/cli/run.ts';
import { dataRoot } from '../src/lib/registry/layout.ts';
import { loadRegistry } from '../src/lib/registry/load.ts';
import type { ProbeOutcome, ProbeRun } from '../src/lib/registry/probe-facts.ts';
import { PROBE_OUTCOMES, ProbeRunSchema } from '../src/lib/registry/probe-facts.ts';
import { DEFAULT_CONCURRENCY, DEFAULT_LIMITS } from '../src/lib/probe/limits.ts';
import { closeNetwork, createNetwork, parseResolve, systemLookup } from '../src/lib/probe/net.ts';
import type { ProbeProgress, ServerProbeResult } from '../src/lib/probe/run.ts';
import { mergeSummaries, parseShard, probeTargets, runProbe, runSummary } from '../src/lib/probe/run.ts';
import type { WriteOutcome } from '../src/lib/probe/store.ts';
import { runSummaryPath, writeProbeResult, writeRunSummary } from '../src/lib/probe/store.ts';
import type { SandboxOptions } from '../src/lib/probe/stdio.ts';
import { sandboxProblem } from '../src/lib/probe/stdio.ts';

const USAGE = `usage: npm run probe -- [--only NAME]... [--concurrency N] [--per-host N] [--timeout-ms N] [--budget-ms N]
                        [--resolve HOST=BASE_URL]... [--shard I/N --summary FILE] [--checked-at TIME]
                        [--stdio] [--format text|json] [--quiet]
       npm run probe -- --merge-summaries FILE...`;

await runCli(USAGE, async () => {
  const { values, positionals } = parseCliArgs(process.argv.slice(2), {
    only: { type: 'string', multiple: true },
    concurrency: { type: 'string', default: String(DEFAULT_CONCURRENCY) },
    'per-host': { type: 'string', default: String(DEFAULT_LIMITS.perHost) },
    'timeout-ms': { type: 'string', default: String(DEFAULT_LIMITS.requestTimeoutMs) },
    'budget-ms': { type: 'string', default: String(DEFAULT_LIMITS.serverBudgetMs) },
    resolve: { type: 'string', multiple: true },
    shard: { type: 'string' },
    summary: { type: 'string' },
    'checked-at': { type: 'string' },
    'merge-summaries': { type: 'boolean' },
    stdio: { type: 'boolean' },
    format: { type: 'string' },
    quiet: { type: 'boolean' },
  });
  const root = dataRoot();
  if (values['merge-summaries']) return mergeCommand(positionals, values.summary ?? runSummaryPath(root));
  if (positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const format = parseFormat(values.format);
  const integer = (name: string, text: string, min: number, max: number) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max)
      throw new UsageError(`--${name} must be ${min}..${max}`);
    return value;
  };
  const concurrency = integer('concurrency', values.concurrency, 1, 512);
  const limits = {
    ...DEFAULT_LIMITS,
    perHost: integer('per-host', values['per-host'], 1, 64),
    requestTimeoutMs: integer('timeout-ms', values['timeout-ms'], 100, 600_000),
    serverBudgetMs: integer('budget-ms', values['budget-ms'], 100, 3_600_000),
  };
  const resolve = parseResolve(values.resolve ?? []);
  if (typeof resolve === 'string') throw new UsageError(resolve);
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  if (values.shard !== undefined && !shard) throw new UsageError('--shard must be I/N with 1 <= I <= N <= 1000');
  if (shard && shard.count > 1 && !values.summary)
    throw new UsageError('--shard I/N needs --summary FILE: merge the shards with --merge-summaries');
  const checkedAt = values['checked-at'] ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (!ProbeRunSchema.shape.checkedAt.safeParse(checkedAt).success)
    throw new UsageError('--checked-at must be an RFC 3339 time, e.g. 2026-12-06T03:17:00Z');

  const { registry, problems } = await loadRegistry(root);
  if (problems.some((problem) => problem.severity === 'error')) {
    process.stderr.write(`${formatProblems(problems, 'text')}\nprobe: the registry does not validate; fix it first\n`);
    return EXIT_INVALID;
  }
  const only = new Set(values.only ?? []);
  const unknown = [...only].filter((name) => !registry.servers.some((server) => server.name === name));
  if (unknown.length) throw new UsageError(`--only names no listed server: ${unknown.join(', ')}`);
  const targets = probeTargets(registry, only, shard, values.stdio === true);
  let sandbox: SandboxOptions | undefined;
  if (values.stdio) {
    sandbox = sandboxFromEnv();
    const problem = await sandboxProblem(sandbox);
    // Never a fallback to running packages outside the sandbox.
    if (problem) throw new Error(`--stdio: ${problem}`);
  }

  const dnsServers = process.env.MCP_DNS_SERVERS?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const network = createNetwork(resolve, systemLookup(dnsServers), limits);
  const writes: Record<WriteOutcome, number> = { written: 0, unchanged: 0, removed: 0 };
  const progress = progressPrinter(values.quiet === true);
  let results: ServerProbeResult[];
  try {
    results = await runProbe(targets, {
      network,
      ...(sandbox && { sandbox }),
      concurrency,
      checkedAt,
      onResult: (result) => void writes[writeProbeResult(root, result)]++,
      onProgress: progress,
    });
  } finally {
    await closeNetwork(network);
  }
  const finishedAt = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const summaryFile = values.summary ?? runSummaryPath(root);
  let summary = runSummary(results, network, checkedAt, finishedAt, shard);
  if (only.size) summary = partialSummary(registry.probeRun, summary, results, checkedAt);
  writeRunSummary(summaryFile, summary);

  if (format === 'json') {
    process.stdout.write(
      `${JSON.stringify({ summary, files: writes, silentChanges: results.filter((r) => r.change?.silent).map((r) => ({ name: r.name, change: r.change })) }, null, 2)}\n`,
    );
  } else process.stdout.write(summaryTable(summary, results, writes, summaryFile));
  return EXIT_OK;
});

/** The sandbox's tools: bubblewrap from PATH, this Node, the npm that runs this script, NPM_REGISTRY_URL. */
function sandboxFromEnv(): SandboxOptions {
  const npmCli = [process.env.npm_execpath, whichNpmCli()].find((file) => file?.endsWith('npm-cli.js'));
  if (!npmCli) throw new Error('--stdio: cannot find npm (npm-cli.js); run through `npm run probe`');
  return {
    bwrap: 'bwrap',
    node: realpathSync(process.execPath),
    npmCli: realpathSync(npmCli),
    registry: process.env.NPM_REGISTRY_URL || 'https://registry.npmjs.org',
  };
}

function whichNpmCli(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = path.join(dir, 'npm');
    if (!existsSync(candidate)) continue;
    const cli = path.join(path.dirname(realpathSync(candidate)), 'npm-cli.js');
    if (existsSync(cli)) return cli;
  }
  return undefined;
}

/**
 * A run limited by --only keeps the last full run's summary and notes when these servers were probed,
 * so each server's "checked at" stays true without rewriting 25,000 files.
 */
function partialSummary(
  previous: ProbeRun | undefined,
  current: ProbeRun,
  results: readonly ServerProbeResult[],
  checkedAt: string,
): ProbeRun {
  if (!previous) return current;
  const since = new Map(Object.entries(previous.probedSince));
  for (const result of results) if (result.file) since.set(result.name, checkedAt);
  return { ...previous, probedSince: Object.fromEntries([...since].sort(([a], [b]) => (a < b ? -1 : 1))) };
}

function mergeCommand(files: readonly string[], out: string): number {
  if (files.length === 0) throw new UsageError('--merge-summaries needs the shard summary files');
  const summaries = files.map((file) => {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`${file}: ${(error as Error).message}`);
    }
    const parsed = ProbeRunSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`${file}: not a probe run summary (${parsed.error.issues[0]?.message})`);
    return parsed.data;
  });
  const merged = mergeSummaries(summaries);
  writeRunSummary(out, merged);
  process.stdout.write(`probe: merged ${files.length} shard summaries (${merged.servers} servers) into ${out}\n`);
  return EXIT_OK;
}

/** Progress on stderr: a line per 10% (or per 30 s) in logs, one rewritten line on a terminal. */
function progressPrinter(quiet: boolean) {
  const tty = process.stderr.isTTY === true;
  let lastLine = 0;
  let lastTenth = -1;
  return (progress: ProbeProgress) => {
    if (quiet) return;
    const now = Date.now();
    const tenth = Math.floor((progress.done / progress.total) * 10);
    const finished = progress.done === progress.total;
    if (!finished && (tty ? now - lastLine < 500 : tenth === lastTenth && now - lastLine < 30_000)) return;
    lastLine = now;
    lastTenth = tenth;
    const rate = progress.done / Math.max(progress.elapsedMs / 1000, 0.001);
    const eta = finished ? 'done' : `ETA ${duration((progress.total - progress.done) / Math.max(rate, 0.001))}`;
    const counts = PROBE_OUTCOMES.filter((outcome) => progress.outcomes[outcome])
      .map((outcome) => `${outcome} ${progress.outcomes[outcome]}`)
      .join(', ');
    const line = `probe: ${progress.done}/${progress.total} (${rate.toFixed(1)}/s, ${eta})${counts ? ` ${counts}` : ''}`;
    process.stderr.write(tty ? `\r\x1b[K${line}${finished ? '\n' : ''}` : `${line}\n`);
  };
}

function duration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

function summaryTable(
  summary: ProbeRun,
  results: readonly ServerProbeResult[],
  writes: Record<WriteOutcome, number>,
  summaryFile: string,
): string {
  const rows = PROBE_OUTCOMES.map((outcome: ProbeOutcome) => {
    const count = summary.outcomes[outcome];
    const share = summary.servers ? ((count / summary.servers) * 100).toFixed(1) : '0.0';
    return `  ${outcome.padEnd(14)} ${String(count).padStart(7)}  ${share.padStart(5)}%`;
  });
  const silent = results.filter((result) => result.change?.silent);
  const lines = [
    `probe: ${summary.servers} servers probed (${results.length - summary.servers} without remotes), ${summary.tools} tools`,
    `  ${'outcome'.padEnd(14)} ${'servers'.padStart(7)}  ${'share'.padStart(6)}`,
    ...rows,
    `files: ${writes.written} written, ${writes.unchanged} unchanged, ${writes.removed} removed; summary in ${summaryFile}`,
    ...(silent.length
      ? [
          `tools changed without a new version (${silent.length}):`,
          ...silent.map(
            (result) =>
              `  ${result.name} ${result.change!.version}: ${[...result.change!.changed, ...result.change!.added, ...result.change!.removed].join(', ')}`,
          ),
        ]
      : []),
  ];
  return `${lines.join('\n')}\n`;
}
