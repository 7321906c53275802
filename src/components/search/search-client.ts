/**
 * The island's handle on the search worker: starts it once, asks for the index once, sends each distinct
 * query once (the island asks as soon as a key is pressed, and again when React re-renders) and resolves
 * only the newest query (answers to queries typed over are dropped).
 */
import type { SearchResponse } from '../../lib/search/engine.ts';
import type { SearchState } from '../../lib/search/types.ts';
import { encodeSearchState } from '../../lib/search/url-state.ts';
import type { WorkerReply, WorkerRequest } from './protocol.ts';

export interface SearchClientEvents {
  onReady(servers: number): void;
  onResults(response: SearchResponse, state: SearchState): void;
  onError(message: string): void;
}

export class SearchClient {
  private worker: Worker | undefined;
  private nextId = 1;
  /** The newest query asked; only its answer is passed on. */
  private latest: { id: number; state: SearchState; key: string } | undefined;
  private readonly indexUrl: string;
  private readonly events: SearchClientEvents;

  constructor(indexUrl: string, events: SearchClientEvents) {
    this.indexUrl = indexUrl;
    this.events = events;
  }

  /** Starts the worker and the index download; later calls do nothing. */
  load(): void {
    if (this.worker) return;
    this.worker = new Worker(new URL('./search.worker.ts', import.meta.url), { type: 'module', name: 'search' });
    this.worker.onmessage = (event: MessageEvent<WorkerReply>) => this.receive(event.data);
    this.worker.onerror = () => this.events.onError('the search worker failed to start');
    this.send({ type: 'load', indexUrl: this.indexUrl });
  }

  search(state: SearchState, limit: number): void {
    this.load();
    const key = `${encodeSearchState(state)}#${limit}`;
    if (key === this.latest?.key) return;
    const id = this.nextId++;
    this.latest = { id, state, key };
    this.send({ type: 'search', id, state, limit });
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = undefined;
    this.latest = undefined;
  }

  private send(request: WorkerRequest): void {
    this.worker?.postMessage(request);
  }

  private receive(reply: WorkerReply): void {
    if (reply.type === 'ready') this.events.onReady(reply.servers);
    else if (reply.type === 'error') this.events.onError(reply.message);
    else if (reply.id === this.latest?.id) this.events.onResults(reply.response, this.latest.state);
  }
}
