/** Feed, sitemap and stats from the fixture registry: structure, escaping, determinism. */
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadRegistry } from '../../../src/lib/registry/load.ts';
import type { Registry } from '../../../src/lib/registry/model.ts';
import { catalogueOf } from '../../../src/lib/site-data/catalogue.ts';
import { buildAtomFeed } from '../../../src/lib/site-data/feed.ts';
import { buildSitemap, buildSitemapIndex, chunkSitemap, siteEntries } from '../../../src/lib/site-data/sitemap.ts';
import { computeStats, nextMonth } from '../../../src/lib/site-data/stats.ts';
import { escapeXml } from '../../../src/lib/site-data/xml.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../../fixtures/registry');
const SITE = 'https://mcp.example.org';
let registry: Registry;

beforeAll(async () => {
  registry = (await loadRegistry(FIXTURE)).registry;
});

describe('escapeXml', () => {
  test('escapes markup and drops characters XML cannot carry', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
    expect(escapeXml('bell\u0007 nul\u0000 tab\t')).toBe('bell nul tab\t');
    expect(escapeXml('lone \uD800 surrogate')).toBe('lone \uFFFD surrogate');
  });
});

describe('buildAtomFeed', () => {
  test('one entry per listed server, newest first, dated by data not by the clock', () => {
    const { newest } = catalogueOf(registry);
    const xml = buildAtomFeed({ site: SITE, title: 'MCP Index', feedPath: '/feed.xml', servers: newest });
    const ids = [...xml.matchAll(/<entry>\s*<id>([^<]+)<\/id>/g)].map((match) => match[1]);
    expect(ids).toEqual(newest.map((server) => `${SITE}/servers/${server.name}/`));
    expect(xml).toContain(`<updated>${newest[0]!.firstPublishedAt}</updated>`);
    expect(xml).toContain('<summary>&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt; &amp; &apos;quotes&apos;');
    expect(xml).not.toContain('<script>');
    expect(buildAtomFeed({ site: SITE, title: 'MCP Index', feedPath: '/feed.xml', servers: newest })).toBe(xml);
  });

  test('limits the number of entries; an empty registry still makes a valid feed', () => {
    const { newest } = catalogueOf(registry);
    const xml = buildAtomFeed({ site: SITE, title: 'T', feedPath: '/feed.xml', servers: newest, limit: 2 });
    expect(xml.match(/<entry>/g)).toHaveLength(2);
    expect(buildAtomFeed({ site: SITE, title: 'T', feedPath: '/feed.xml', servers: [] })).toContain(
      '<updated>1970-01-01T00:00:00Z</updated>',
    );
  });
});

describe('sitemap', () => {
  test('lists static pages, listing pages, categories, namespaces with several servers and every listed server, not tombstones', () => {
    const paths = siteEntries(registry).map((entry) => entry.path);
    expect(paths).toContain('/');
    expect(paths).toContain('/servers/page/1/');
    expect(paths).toContain('/categories/location/');
    expect(paths).toContain('/namespaces/io.github.acme/');
    // A one-server namespace has no page: its server's page stands for it.
    expect(paths).not.toContain('/namespaces/io.github.flaky/');
    expect(paths).toContain('/servers/io.github.acme/weather/');
    expect(paths).not.toContain('/servers/io.github.gone/vanished/');
    expect(new Set(paths).size).toBe(paths.length);
  });

  test('splits into files of at most the limit, indexed with the newest lastmod of each', () => {
    const entries = siteEntries(registry);
    const chunks = chunkSitemap(entries, 10);
    expect(chunks.flat()).toEqual(entries);
    expect(chunks.every((chunk) => chunk.length <= 10)).toBe(true);
    const index = buildSitemapIndex(SITE, chunks);
    expect(index.match(/<sitemap>/g)).toHaveLength(chunks.length);
    expect(index).toContain(`<loc>${SITE}/sitemaps/0.xml</loc>`);
    expect(chunkSitemap([])).toEqual([[]]);
    const xml = buildSitemap(SITE, [{ path: '/a/', lastmod: '2025-01-01T00:00:00Z' }, { path: '/b/' }]);
    expect(xml).toContain('<url><loc>https://mcp.example.org/a/</loc><lastmod>2025-01-01T00:00:00Z</lastmod></url>');
    expect(xml).toContain('<url><loc>https://mcp.example.org/b/</loc></url>');
  });
});

describe('computeStats', () => {
  test('counts listed servers by their latest version', () => {
    const stats = computeStats(registry);
    const { listed } = catalogueOf(registry);
    expect(stats.servers).toBe(listed.length);
    expect(stats.deleted).toBe(1);
    expect(stats.deprecated).toBe(1);
    expect(stats.versions).toBe(registry.servers.reduce((sum, server) => sum + server.versions.length, 0));
    expect(stats.growth.at(-1)?.total).toBe(listed.length);
    expect(stats.perMonth.reduce((sum, month) => sum + month.count, 0)).toBe(listed.length);
    const npm = stats.packageTypes.find((count) => count.label === 'npm')?.count;
    expect(npm).toBe(listed.filter((server) => server.packageTypes.includes('npm')).length);
    const counts = stats.topNamespaces.map((count) => count.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  test('months run without gaps, across a year end', () => {
    expect(nextMonth('2025-12')).toBe('2026-01');
    expect(nextMonth('2025-09')).toBe('2025-10');
  });
});
