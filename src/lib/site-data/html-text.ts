/**
 * Our own fixed text on a page (install notes, verification statements), as HTML for `set:html`: escaped
 * exactly as Astro escapes `{text}`, with every character beyond Latin-1 (’ “ ” →) written as a numeric
 * character reference, which the browser shows as the same character.
 *
 * Why: V8 stores a string holding any character beyond Latin-1 at two bytes per character, and a page
 * concatenated from one such piece is two-byte as a whole, which then costs several times more to encode
 * to UTF-8 when the page is written (about 0.7 s of the build's main thread at 10k servers). A page whose
 * manifest text has such characters stays two-byte whatever we do; every other page no longer has to be.
 */
import { Buffer } from 'node:buffer';

/** What Astro escapes, a surrogate pair (one character beyond the BMP), or any other character beyond Latin-1. */
const TO_REPLACE = /[&<>'"]|[\uD800-\uDBFF][\uDC00-\uDFFF]|[^\x00-\xff]/g;
const ESCAPED: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  "'": '&#39;',
  '"': '&quot;',
};

// The same few texts recur on thousands of pages (install notes, most statements): each is converted once
// per build. Bounded, since some texts carry manifest values (a namespace, a runtime hint).
const converted = new Map<string, string>();
const MAX_CONVERTED = 20_000;

export function latin1Html(text: string): string {
  let html = converted.get(text);
  if (html === undefined) {
    if (converted.size >= MAX_CONVERTED) converted.clear();
    converted.set(text, (html = convert(text)));
  }
  return html;
}

function convert(text: string): string {
  const html = text.replace(
    TO_REPLACE,
    (char) => ESCAPED[char] ?? `&#x${char.codePointAt(0)!.toString(16).toUpperCase()};`,
  );
  // A string built from a two-byte one stays two-byte in V8 even when every character fits in one byte;
  // a Latin-1 round trip gives a one-byte copy.
  return Buffer.from(html, 'latin1').toString('latin1');
}
