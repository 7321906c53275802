/** The search index (src/lib/search), built once per build from the registry; fetched lazily by the search island. */
import type { APIRoute } from 'astro';
import { getRegistry } from '../lib/registry/cache.ts';
import { buildSearchIndex } from '../lib/search/build.ts';

export const GET: APIRoute = async () =>
  new Response(JSON.stringify(buildSearchIndex(await getRegistry())), {
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
