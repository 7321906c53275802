/**
 * The registry for Astro pages and endpoints: loaded once per data folder per process, however many
 * pages ask. A registry with errors is never published, so this throws with every error listed.
 *
 * The memo lives on globalThis because Vite bundles this module into the build's own chunks: the
 * copy the pages run is a different module instance from the one `buildSite` imports. Sharing the
 * map lets `buildSite` hand over the registry its data worker validates instead of loading it twice.
 */
import path from 'node:path';
import { hasErrors } from '../problems.ts';
import { formatProblemsText } from '../cli/format.ts';
import { dataRoot } from './layout.ts';
import { loadRegistry } from './load.ts';
import type { Registry } from './model.ts';

const MEMO_KEY = Symbol.for('mcp-index.registry-cache');
type Memo = Map<string, Promise<Registry>>;

function memo(): Memo {
  const holder = globalThis as { [MEMO_KEY]?: Memo };
  return (holder[MEMO_KEY] ??= new Map());
}

/** The validated registry of `dataRoot()` (REGISTRY_DATA or registry-data/). */
export function getRegistry(): Promise<Registry> {
  const root = dataRoot();
  let registry = memo().get(root);
  if (!registry) {
    registry = loadRegistry(root).then(({ registry, problems }) => {
      if (!hasErrors(problems)) return registry;
      const errors = problems.filter((problem) => problem.severity === 'error');
      throw new Error(`registry data in ${root} has ${errors.length} error(s):\n${formatProblemsText(errors)}`);
    });
    memo().set(root, registry);
  }
  return registry;
}

/** Records the validated registry for `root` (or the promise of it), so pages built next use it. */
export function provideRegistry(root: string, registry: Registry | Promise<Registry>): void {
  const provided = Promise.resolve(registry);
  // A failure is the provider's to report; pages that ask still see it.
  provided.catch(() => {});
  memo().set(path.resolve(root), provided);
}

/** Forgets every memoised registry (the data may have changed on disk). */
export function forgetRegistries(): void {
  memo().clear();
}
