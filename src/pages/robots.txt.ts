/** `/robots.txt`: everything may be crawled; points at the sitemap with the configured site URL. */
import type { APIRoute } from 'astro';
import { absoluteUrl } from '../lib/site-data/urls.ts';

export const GET: APIRoute = ({ site }) =>
  new Response(`User-agent: *\nAllow: /\n\nSitemap: ${absoluteUrl(site!, '/sitemap.xml')}\n`, {
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  });
