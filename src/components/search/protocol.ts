/** Messages between the island and the search worker. */
import type { SearchResponse } from '../../lib/search/engine.ts';
import type { SearchState } from '../../lib/search/types.ts';

export type WorkerRequest =
  | { type: 'load'; indexUrl: string }
  | { type: 'search'; id: number; state: SearchState; limit: number };

export type WorkerReply =
  | { type: 'ready'; servers: number }
  | { type: 'results'; id: number; response: SearchResponse }
  | { type: 'error'; message: string };
