/**
 * Probe throughput: `runProbe` (the library behind `npm run probe`, with its production limits and
 * concurrency) against loopback servers answering as a realistic mix of remotes, with every result
 * serialised and written as a real run does. The mix follows the official registry's own probe of
 * 10,542 remote URLs (its issue #1487): about 11% not MCP and 27% needing sign-in; 2% never answer
 * and cost a full request timeout each; the rest answer MCP with 10 tools. 30% of servers share one of
 * 25 provider hosts, so the per-host limit is exercised.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { DEFAULT_CONCURRENCY, DEFAULT_LIMITS } from '../../src/lib/probe/limits.ts';
import { closeNetwork, createNetwork, systemLookup } from '../../src/lib/probe/net.ts';
import type { ProbeTarget } from '../../src/lib/probe/run.ts';
import { emptyOutcomes, runProbe } from '../../src/lib/probe/run.ts';
import { writeProbeResult } from '../../src/lib/probe/store.ts';
import type { ProbeOutcome } from '../../src/lib/registry/probe-facts.ts';

export interface ProbeBenchFigures {
  servers: number;
  wallMs: number;
  serversPerSecond: number;
  /** CPU time of the prober's process (user + system), in ms. */
  cpuMs: number;
  peakRssBytes: number;
  outcomes: Record<ProbeOutcome, number>;
  requestTimeoutMs: number;
  concurrency: number;
}

const MIX: [kind: 'ok' | 'auth' | 'web' | 'silent', share: number][] = [
  ['silent', 0.02],
  ['web', 0.11],
  ['auth', 0.27],
  ['ok', 0.6],
];

function kindOf(index: number, servers: number): (typeof MIX)[number][0] {
  // Spread the kinds evenly through the name order, as they are in a real registry.
  const position = ((index * 7919) % servers) / servers;
  let edge = 0;
  for (const [kind, share] of MIX) if (position < (edge += share)) return kind;
  return 'ok';
}

export async function measureProbe(servers: number, log: (line: string) => void): Promise<ProbeBenchFigures> {
  const child = spawn(process.execPath, [path.join(import.meta.dirname, 'servers.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const data = mkdtempSync(path.join(os.tmpdir(), 'probe-bench-'));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the probe bench servers exited (${code})`)));
      readline.createInterface({ input: child.stdout! }).once('line', (line) => resolve(Number(line.split(' ')[1])));
    });
    const base = `http://127.0.0.1:${port}`;
    const resolve = new Map<string, URL>([['auth.example.com', new URL(`${base}/auth`)]]);
    const targets: ProbeTarget[] = [];
    for (let i = 0; i < servers; i++) {
      const kind = kindOf(i, servers);
      const shared = i % 10 < 3 && (kind === 'ok' || kind === 'auth');
      const host = shared ? `${kind}-p${i % 25}.example.com` : `s${i}.example.com`;
      resolve.set(host, new URL(`${base}/${kind}`));
      targets.push({
        name: `com.example/s${String(i).padStart(6, '0')}`,
        version: '1.0.0',
        remotes: [{ type: 'streamable-http', url: `https://${host}/mcp` }],
        packages: [],
      });
    }
    const network = createNetwork(resolve, systemLookup(), DEFAULT_LIMITS);
    let peakRss = process.memoryUsage.rss();
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 250);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    let lastLog = started;
    const outcomes = emptyOutcomes();
    try {
      await runProbe(targets, {
        network,
        concurrency: DEFAULT_CONCURRENCY,
        checkedAt: '2026-12-06T03:00:00Z',
        onResult: (result) => {
          writeProbeResult(data, result);
          if (result.file) outcomes[result.file.status]++;
        },
        onProgress: (progress) => {
          if (performance.now() - lastLog < 15_000) return;
          lastLog = performance.now();
          log(`probe ${servers}: ${progress.done}/${progress.total}`);
        },
      });
    } finally {
      clearInterval(sampler);
      await closeNetwork(network);
    }
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    return {
      servers,
      wallMs,
      serversPerSecond: servers / (wallMs / 1000),
      cpuMs: (cpu.user + cpu.system) / 1000,
      peakRssBytes: peakRss,
      outcomes,
      requestTimeoutMs: DEFAULT_LIMITS.requestTimeoutMs,
      concurrency: DEFAULT_CONCURRENCY,
    };
  } finally {
    child.kill();
    rmSync(data, { recursive: true, force: true });
  }
}
