/**
 * Child process of buildSite for a shard other than the primary (see shards.ts): an Astro build of
 * the project that renders only this shard's server pages. The shard and the data folder come from
 * the environment (SITE_SHARD, REGISTRY_DATA); the registry, already validated by the parent, from a
 * V8-serialised file. Errors are printed as one message, never a stack.
 *   node src/lib/build/render-shard.ts <project root> <out dir> <registry file>
 */
import { readFileSync } from 'node:fs';
import { deserialize } from 'node:v8';
import { build } from 'astro';
import { provideRegistry } from '../registry/cache.ts';
import { dataRoot } from '../registry/layout.ts';
import type { Registry } from '../registry/model.ts';

const [root, outDir, registryFile] = process.argv.slice(2);
process.env.NODE_ENV = 'production';
if (root === undefined || outDir === undefined || registryFile === undefined) {
  process.stderr.write('usage: node src/lib/build/render-shard.ts <project root> <out dir> <registry file>\n');
  process.exitCode = 2;
} else {
  try {
    provideRegistry(dataRoot(), deserialize(readFileSync(registryFile)) as Registry);
    await build({ root, outDir, logLevel: 'silent' });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
