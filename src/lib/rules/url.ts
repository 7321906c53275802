/** URL helpers shared by the rules: template variables and scheme classification. */

const TEMPLATE = /\{([^}]+)\}/g;

/** Names of `{variables}` in a URL template, in order of appearance. */
export const templateVariables = (url: string): string[] => Array.from(url.matchAll(TEMPLATE), (match) => match[1]!);

/**
 * A URL template with every `{variable}` replaced by a parseable placeholder (a port number in
 * port position, a plain word elsewhere), so its scheme and host can be checked.
 */
export function fillTemplate(url: string): string {
  return url.replace(/:\{[^}]+\}(?=\/|$)/g, ':8080').replace(TEMPLATE, 'placeholder');
}

export type SchemeKind = 'https' | 'http' | 'other' | 'invalid';

/** Classifies an absolute URL (templates filled in) by scheme; `other` covers javascript:, data:, file:... */
export function schemeKind(url: string): SchemeKind {
  const parsed = URL.parse(fillTemplate(url));
  if (!parsed) return 'invalid';
  if (parsed.protocol === 'https:') return parsed.host === '' ? 'invalid' : 'https';
  if (parsed.protocol === 'http:') return parsed.host === '' ? 'invalid' : 'http';
  return 'other';
}

/** The scheme of a URL for a message, e.g. `javascript:`. */
export const schemeOf = (url: string): string => URL.parse(fillTemplate(url))?.protocol ?? 'none';

/** Host name of a URL template, lower-cased, brackets of IPv6 literals removed. */
export const hostnameOf = (url: string): string | undefined =>
  URL.parse(fillTemplate(url))
    ?.hostname.toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');

export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    /^127\.\d+\.\d+\.\d+$/.test(hostname) ||
    hostname === '0.0.0.0' ||
    hostname === '::1'
  );
}
