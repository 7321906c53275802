/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time and the
 * most total (inclusive) time, so a missed target can be traced to a function and a number of ms.
 *   node bench/cpu-profile.ts <file.cpuprofile> [top=25]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface FunctionCost {
  function: string;
  selfMs: number;
  totalMs: number;
}

export function summariseCpuProfile(profile: CpuProfile, root = process.cwd()): FunctionCost[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  const label = (node: ProfileNode): string => {
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url ? path.relative(root, url.replace(/^file:\/\//, '')) : '';
    return `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber + 1}` : ''}`;
  };
  const costs = new Map<string, { self: number; total: number }>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const own = costs.get(label(node)) ?? { self: 0, total: 0 };
    own.self += us;
    costs.set(label(node), own);
    // Inclusive time: every distinct function on the stack gets the sample once (recursion counted once).
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const name = label(byId.get(current)!);
      if (seen.has(name)) continue;
      seen.add(name);
      const entry = costs.get(name) ?? { self: 0, total: 0 };
      entry.total += us;
      costs.set(name, entry);
    }
  }
  return [...costs]
    .map(([name, cost]) => ({ function: name, selfMs: cost.self / 1000, totalMs: cost.total / 1000 }))
    .sort((a, b) => b.selfMs - a.selfMs);
}

if (import.meta.main) {
  const [file, top = '25'] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: node bench/cpu-profile.ts <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  const costs = summariseCpuProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  const row = (cost: FunctionCost): string =>
    `${cost.selfMs.toFixed(0).padStart(8)} ${cost.totalMs.toFixed(0).padStart(8)}  ${cost.function}`;
  console.log('  self ms  total ms  function (by self time)');
  for (const cost of costs.slice(0, Number(top))) console.log(row(cost));
  console.log('\n  self ms  total ms  function (by total time)');
  for (const cost of [...costs].sort((a, b) => b.totalMs - a.totalMs).slice(0, Number(top))) console.log(row(cost));
}
