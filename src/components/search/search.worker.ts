/**
 * The search worker: fetches the index, builds the engine and answers queries, so that neither the
 * index build (about a second at 100k servers) nor a broad query ever blocks typing on the page.
 */
import { SearchEngine } from '../../lib/search/engine.ts';
import { decodeSearchIndex } from '../../lib/search/index-file.ts';
import type { SearchIndexFile } from '../../lib/search/index-file.ts';
import type { WorkerReply, WorkerRequest } from './protocol.ts';

interface WorkerScope {
  postMessage(message: WorkerReply): void;
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
}
const scope = self as unknown as WorkerScope;

let engine: Promise<SearchEngine> | undefined;

async function loadEngine(indexUrl: string): Promise<SearchEngine> {
  const response = await fetch(indexUrl);
  if (!response.ok) throw new Error(`the search index ${indexUrl} answered HTTP ${response.status}`);
  const built = new SearchEngine(decodeSearchIndex((await response.json()) as SearchIndexFile));
  scope.postMessage({ type: 'ready', servers: built.size });
  return built;
}

const reportError = (error: unknown): void => {
  scope.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
};

scope.onmessage = (event) => {
  const request = event.data;
  if (request.type === 'load') {
    engine ??= loadEngine(request.indexUrl);
    engine.catch(reportError);
    return;
  }
  if (!engine) {
    reportError(new Error('search requested before the index was loaded'));
    return;
  }
  engine
    .then((ready) => {
      scope.postMessage({ type: 'results', id: request.id, response: ready.search(request.state, request.limit) });
    })
    .catch(reportError);
};
