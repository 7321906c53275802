/**
 * Sitemaps: `/sitemap.xml` is an index of numbered sitemap files, each under the protocol's limit of
 * 50,000 URLs, so the site can grow past that without changing the entry point search engines know.
 */
import type { Registry } from '../registry/model.ts';
import { catalogueOf, hasNamespacePage } from './catalogue.ts';
import { LISTING_PAGE_SIZE, absoluteUrl, categoryPath, listingPagePath, namespacePath, serverPath } from './urls.ts';
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
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
  ];
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
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
  ];
  for (const entry of entries) {
    const lastmod = entry.lastmod === undefined ? '' : `<lastmod>${escapeXml(entry.lastmod)}</lastmod>`;
    lines.push(`  <url><loc>${escapeXml(absoluteUrl(site, entry.path))}</loc>${lastmod}</url>`);
  }
  lines.push('</urlset>', '');
  return lines.join('\n');
}

function newest(entries: readonly SitemapEntry[]): string | undefined {
  let latest: string | undefined;
  for (const entry of entries)
    if (entry.lastmod !== undefined && (latest === undefined || entry.lastmod > latest)) latest = entry.lastmod;
  return latest;
}

/** Static pages worth indexing, in the order they appear in the sitemap. */
const STATIC_PATHS = ['/', '/categories/', '/namespaces/', '/stats/', '/api/', '/submit/', '/search/'];

/**
 * Every indexable page: static pages, listing pages, categories, namespaces with a page of their own, and
 * the page of every server that is not deleted (tombstones are kept out of search engines).
 */
export function siteEntries(registry: Registry): SitemapEntry[] {
  const { listed, byNamespace, categories } = catalogueOf(registry);
  const entries: SitemapEntry[] = STATIC_PATHS.map((path) => ({ path }));
  const pages = Math.max(1, Math.ceil(listed.length / LISTING_PAGE_SIZE));
  for (let page = 1; page <= pages; page++) entries.push({ path: listingPagePath(page) });
  for (const category of categories) entries.push({ path: categoryPath(category.id) });
  for (const [namespace, servers] of byNamespace)
    if (hasNamespacePage(servers)) entries.push({ path: namespacePath(namespace) });
  for (const server of listed) entries.push({ path: serverPath(server.name), lastmod: server.updatedAt });
  return entries;
}
