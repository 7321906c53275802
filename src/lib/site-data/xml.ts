/** Escaping for XML text and attribute values (feeds, sitemaps). Manifest text is untrusted. */

// Characters XML 1.0 forbids outright (lone surrogates are replaced by toWellFormed); one of them in a
// description would make the whole feed unparsable.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(text: string): string {
  return text
    .toWellFormed()
    .replace(FORBIDDEN, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
