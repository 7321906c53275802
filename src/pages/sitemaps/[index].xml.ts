/** `/sitemaps/<n>.xml`: one sitemap file of at most 50,000 URLs. */
import type { APIRoute, GetStaticPaths } from 'astro';
import { getRegistry } from '../../lib/registry/cache.ts';
import { buildSitemap, chunkSitemap, siteEntries, type SitemapEntry } from '../../lib/site-data/sitemap.ts';

export const getStaticPaths = (async () =>
  chunkSitemap(siteEntries(await getRegistry())).map((entries, index) => ({
    params: { index: String(index) },
    props: { entries },
  }))) satisfies GetStaticPaths;

export const GET: APIRoute<{ entries: SitemapEntry[] }> = ({ site, props }) =>
  new Response(buildSitemap(site!, props.entries), { headers: { 'Content-Type': 'application/xml; charset=utf-8' } });
