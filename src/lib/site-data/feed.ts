/**
 * The Atom feed of newly published servers: one entry per server, dated by its first publish, newest
 * first. Deterministic: the feed's own `updated` is its newest entry's date, never the build time.
 */
import type { ServerSummary } from './catalogue.ts';
import { absoluteUrl, serverPath } from './urls.ts';
import { escapeXml } from './xml.ts';

export interface FeedOptions {
  site: URL | string;
  title: string;
  /** Path of the feed itself, e.g. `/feed.xml`. */
  feedPath: string;
  /** Newest first. */
  servers: readonly ServerSummary[];
  limit?: number;
}

const EPOCH = '1970-01-01T00:00:00Z';

export function buildAtomFeed({ site, title, feedPath, servers, limit = 50 }: FeedOptions): string {
  const entries = servers.slice(0, limit);
  const home = absoluteUrl(site, '/');
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <title>${escapeXml(title)}</title>`,
    `  <subtitle>Model Context Protocol servers, newest first.</subtitle>`,
    `  <id>${escapeXml(absoluteUrl(site, feedPath))}</id>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(absoluteUrl(site, feedPath))}"/>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(home)}"/>`,
    `  <updated>${escapeXml(entries[0]?.firstPublishedAt ?? EPOCH)}</updated>`,
    `  <author><name>${escapeXml(title)}</name></author>`,
  ];
  for (const server of entries) {
    const url = absoluteUrl(site, serverPath(server.name));
    const heading = server.title === undefined ? server.name : `${server.title} (${server.name})`;
    lines.push(
      '  <entry>',
      `    <id>${escapeXml(url)}</id>`,
      `    <title>${escapeXml(heading)}</title>`,
      `    <link rel="alternate" type="text/html" href="${escapeXml(url)}"/>`,
      `    <published>${escapeXml(server.firstPublishedAt)}</published>`,
      `    <updated>${escapeXml(server.firstPublishedAt)}</updated>`,
      `    <summary>${escapeXml(server.description)}</summary>`,
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}
