import { describe, expect, it } from 'vitest';
import { escapeHTML } from 'astro/runtime/server/index.js';
import { latin1Html } from '../../../src/lib/site-data/html-text.ts';
import { NASTY_STRINGS } from '../install/nasty.ts';

/** What a browser reads back from the text: the five escapes and numeric references. */
function decode(html: string): string {
  return html
    .replace(/&#x([0-9A-F]+);/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(
      /&(amp|lt|gt|#39|quot);/g,
      (_, name: string) => ({ amp: '&', lt: '<', gt: '>', '#39': "'", quot: '"' })[name]!,
    );
}

describe('latin1Html', () => {
  it('escapes exactly as Astro escapes {text} when the text is Latin-1', () => {
    for (const text of [
      'Open "Settings" & <b>x</b> it\'s',
      'café £5 ×2 ½',
      '',
      ...NASTY_STRINGS.filter((s) => /^[\x00-\xff]*$/.test(s)),
    ]) {
      expect(latin1Html(text)).toBe(escapeHTML(text));
    }
  });

  it('writes every character beyond Latin-1 as a reference, so the browser shows the same text', () => {
    const text = 'Settings → Developer; the server’s “name” 🚀 東京 <script>';
    const html = latin1Html(text);
    expect(html).toBe(
      'Settings &#x2192; Developer; the server&#x2019;s &#x201C;name&#x201D; &#x1F680; &#x6771;&#x4EAC; &lt;script&gt;',
    );
    expect([...html].every((char) => char.charCodeAt(0) <= 0xff)).toBe(true);
    expect(decode(html)).toBe(text);
    for (const nasty of NASTY_STRINGS) expect(decode(latin1Html(nasty))).toBe(nasty);
  });

  it('kept conversions stay right: repeated texts, texts that differ by one character, past the bound', () => {
    expect(latin1Html('Settings → A')).toBe('Settings &#x2192; A');
    expect(latin1Html('Settings → B')).toBe('Settings &#x2192; B');
    expect(latin1Html('Settings → A')).toBe('Settings &#x2192; A');
    for (let i = 0; i < 25_000; i++)
      expect(decode(latin1Html(`namespace “n${i}” & <x>`))).toBe(`namespace “n${i}” & <x>`);
    expect(latin1Html('Settings → A')).toBe('Settings &#x2192; A');
  });
});
