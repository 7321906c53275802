/** `/sitemap.xml`: the sitemap index (see lib/site-data/sitemap.ts). */
import type { APIRoute } from 'astro';
import { getRegistry } from '../lib/registry/cache.ts';
import { buildSitemapIndex, chunkSitemap, siteEntries } from '../lib/site-data/sitemap.ts';

export const GET: APIRoute = async ({ site }) => {
  const chunks = chunkSitemap(siteEntries(await getRegistry()));
  return new Response(buildSitemapIndex(site!, chunks), {
    headers: { 'Content-Type': 'application/xml; charset=utf-8' },
  });
};
