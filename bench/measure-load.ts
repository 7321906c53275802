/**
 * Child process of the bench: times loadRegistry (read + validate + model) on one data folder and
 * prints one JSON line. A fresh process per run, so no run inherits another's heap or JIT state.
 *   node bench/measure-load.ts <data-dir>
 */
import { loadRegistry } from '../src/lib/registry/load.ts';

export interface LoadMeasurement {
  ms: number;
  servers: number;
  versions: number;
  errors: number;
  warnings: number;
  /** The first few problems, to explain errors in synthetic data. */
  sample: string[];
}

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: node bench/measure-load.ts <data-dir>\n');
  process.exit(2);
}
const started = performance.now();
const { registry, problems } = await loadRegistry(dir);
const ms = performance.now() - started;
const measurement: LoadMeasurement = {
  ms,
  servers: registry.servers.length,
  versions: registry.servers.reduce((sum, server) => sum + server.versions.length, 0),
  errors: problems.filter((problem) => problem.severity === 'error').length,
  warnings: problems.filter((problem) => problem.severity === 'warning').length,
  sample: problems
    .slice(0, 5)
    .map((problem) => `${problem.severity} ${problem.code} ${problem.file} ${problem.path}: ${problem.message}`),
};
process.stdout.write(`${JSON.stringify(measurement)}\n`);
