/**
 * Sitemaps: `/sitemap.xml` is an index of numbered sitemap files, each under the protocol's limit of
 * 50,000 URLs, so the site can grow past that without changing the entry point search engines know.
 */
import { absoluteUrl } from './urls.ts';
import { escapeXml } from './xml.ts';

export const SITEMAP_LIMIT = 50_000;

export interface SitemapEntry {
  path: string;
  /** RFC 3339; omitted for pages without a meaningful date. */
  lastmod?: string;
}

export const sitemapChunkPath = (index: number): string => `/sitemaps/${index}.xml`;

/** Splits entries into sitemap files of at most `limit` URLs (at least one file, even when empty). */
export function chunkSitemap(entries: readonly SitemapEntry[], limit = SITEMAP_LIMIT): SitemapEntry[][] {
  const chunks: SitemapEntry[][] = [];
  for (let start = 0; start < entries.length; start += limit) chunks.push(entries.slice(start, start + limit));
  return chunks.length === 0 ? [[]] : chunks;
}

export function buildSitemapIndex(site: URL | string, chunks: ReadonlyArray<readonly SitemapEntry[]>): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'];
  chunks.forEach((chunk, index) => {
    const lastmod = newest(chunk);
    lines.push(
      `  <sitemap><loc>${escapeXml(absoluteUrl(site, sitemapChunkPath(index)))}</loc>${lastmod === undefined ? '' : `<lastmod>${escapeXml(lastmod)}</lastmod>`}</sitemap>`,
    );
  });
  lines.push('</sitemapindex>', '');
  return lines.join('\n');
}

export function buildSitemap(site: URL | string, entries: readonly SitemapEntry[]): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'];
  for (const entry of entries) {
    const lastmod = entry.lastmod === undefined ? '' : `<lastmod>${escapeXml(entry.lastmod)}</lastmod>`;
    lines.push(`  <url><loc>${escapeXml(absoluteUrl(site, entry.path))}</loc>${lastmod}</url>`);
  }
  lines.push('</urlset>', '');
  return lines.join('\n');
}

function newest(entries: readonly SitemapEntry[]): string | undefined {
  let latest: string | undefined;
  for (const entry of entries) if (entry.lastmod !== undefined && (latest === undefined || entry.lastmod > latest)) latest = entry.lastmod;
  return latest;
}
