/** `/feed.xml`: Atom feed of the newest servers. */
import type { APIRoute } from 'astro';
import { getRegistry } from '../lib/registry/cache.ts';
import { SITE_NAME } from '../lib/site.ts';
import { catalogueOf } from '../lib/site-data/catalogue.ts';
import { buildAtomFeed } from '../lib/site-data/feed.ts';

export const GET: APIRoute = async ({ site }) => {
  const { newest } = catalogueOf(await getRegistry());
  const xml = buildAtomFeed({ site: site!, title: SITE_NAME, feedPath: '/feed.xml', servers: newest });
  return new Response(xml, { headers: { 'Content-Type': 'application/atom+xml; charset=utf-8' } });
};
