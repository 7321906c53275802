/**
 * Every URL the site renders goes through here: page paths, API paths, and the one check that decides
 * whether a URL taken from a manifest may become a link or an image.
 */
import { splitName } from '../registry/names.ts';

/**
 * A manifest URL that is safe to render as a link: absolute http(s) with a host, normalised by the URL
 * parser. Anything else (javascript:, data:, relative, unparsable) yields undefined, so it is shown as text
 * or not at all.
 */
export function safeHttpUrl(value: string | undefined): string | undefined {
  return parseWithScheme(value, ['http:', 'https:']);
}

/** Like safeHttpUrl, but https only: for resources the page loads itself (icons), which must not be mixed content. */
export function safeHttpsUrl(value: string | undefined): string | undefined {
  return parseWithScheme(value, ['https:']);
}

function parseWithScheme(value: string | undefined, schemes: readonly string[]): string | undefined {
  if (value === undefined || !URL.canParse(value)) return undefined;
  const url = new URL(value);
  if (!schemes.includes(url.protocol) || url.hostname === '' || url.username !== '' || url.password !== '')
    return undefined;
  return url.href;
}

const segment = (value: string): string => encodeURIComponent(value);

export function serverPath(name: string): string {
  const [namespace, shortName] = splitName(name);
  return `/servers/${segment(namespace)}/${segment(shortName)}/`;
}

export const namespacePath = (namespace: string): string => `/namespaces/${segment(namespace)}/`;
export const categoryPath = (id: string): string => `/categories/${segment(id)}/`;
/** Page 1 of the server listing is `/servers/page/1/`; `/servers/` itself points there. */
export const listingPagePath = (page: number): string => `/servers/page/${page}/`;

/** The official v0.1 read API path of a server's latest version (name URL-encoded, as clients send it). */
export function officialApiPath(name: string, version = 'latest'): string {
  return `/v0.1/servers/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`;
}

/** Our own API's document for one server (see docs/api.md). */
export function ourApiPath(name: string): string {
  const [namespace, shortName] = splitName(name);
  return `/api/v1/servers/${segment(namespace)}/${segment(shortName)}.json`;
}

/** An absolute URL for feeds, sitemaps and meta tags: `site` is Astro's configured site. */
export function absoluteUrl(site: URL | string, path: string): string {
  return new URL(path, site).href;
}

/** Servers per page of the plain-HTML listing. */
export const LISTING_PAGE_SIZE = 48;
