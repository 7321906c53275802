/**
 * Loads the search index on the page's main thread: download, decode and index build run in slices of
 * a few milliseconds between which the browser handles input and paints, so the page stays responsive
 * while it builds; once built, a keystroke is searched synchronously in its own input event and its
 * results are in the DOM before the next frame (a worker's answer lands a frame later: docs/search.md).
 * Once it is in use, a few warm-up searches in idle time get its code compiled before the first keystroke.
 */
import { ALL_SIGNALS, SearchEngine, searchEngineParts, warmUpSteps } from '../../lib/search/engine.ts';
import { decodeSearchIndexSteps } from '../../lib/search/index-file.ts';
import type { SearchIndexFile } from '../../lib/search/index-file.ts';
import { runInSlices } from '../../lib/search/slices.ts';

/** Work between two pauses: short enough that a keystroke typed meanwhile waits at most this long. */
const SLICE_MS = 8;

export async function loadSearchEngine(indexUrl: string, signal: AbortSignal): Promise<SearchEngine> {
  const response = await fetch(indexUrl, { signal });
  if (!response.ok) throw new Error(`the search index ${indexUrl} answered HTTP ${response.status}`);
  const file = (await response.json()) as SearchIndexFile;
  const docs = await runInSlices(decodeSearchIndexSteps(file), yieldToBrowser, SLICE_MS, signal);
  const parts = await runInSlices(searchEngineParts(docs), yieldToBrowser, SLICE_MS, signal);
  return new SearchEngine(docs, ALL_SIGNALS, parts);
}

/**
 * A few searches with the results thrown away (see `warmUpSteps`), in slices. Meant for idle time once
 * the engine is in use, so a query typed while the index loaded is not kept waiting for it.
 */
export function warmUpSearchEngine(engine: SearchEngine, pageSize: number, signal: AbortSignal): Promise<void> {
  // One search per slice: a keystroke typed meanwhile waits for one search at most.
  return runInSlices(warmUpSteps(engine, pageSize), yieldToBrowser, 0, signal);
}

/** Lets the browser handle pending input and render, then continues ahead of other queued tasks. */
function yieldToBrowser(): Promise<void> {
  if ('scheduler' in globalThis && typeof globalThis.scheduler.yield === 'function')
    return globalThis.scheduler.yield();
  // A message task, not setTimeout: nested timeouts are clamped to 4 ms, a third of every 8 ms slice.
  const channel = new MessageChannel();
  return new Promise((resolve) => {
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}
