/**
 * Sizes of a built site: every JSON file (raw and gzip), the search index, the file count, and the
 * home page's transfer size (gzip of the HTML and every script and stylesheet it loads up front).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface ByteSize {
  files: number;
  rawBytes: number;
  gzipBytes: number;
}

export interface OutputSizes {
  /** Every file in the output folder (hosts limit it: Cloudflare Pages allows 20,000 on the free plan). */
  totalFiles: number;
  totalBytes: number;
  json: ByteSize;
  searchIndex: ByteSize;
}

export interface PageWeight extends ByteSize {
  /** Output-relative paths of what was counted, HTML first. */
  assets: string[];
}

/** gzip at the default level 6: what static hosts and CDNs typically serve. */
export const gzipBytes = (data: Buffer | string): number => gzipSync(data).length;

export function measureOutput(outDir: string, isSearchIndex: (relativePath: string) => boolean): OutputSizes {
  const sizes: OutputSizes = { totalFiles: 0, totalBytes: 0, json: emptySize(), searchIndex: emptySize() };
  for (const file of walk(outDir)) {
    const relative = path.relative(outDir, file).split(path.sep).join('/');
    sizes.totalFiles++;
    sizes.totalBytes += statSync(file).size;
    const index = isSearchIndex(relative);
    if (!index && !relative.endsWith('.json')) continue;
    const data = readFileSync(file);
    add(index ? sizes.searchIndex : sizes.json, data);
  }
  return sizes;
}

/** The home page and what it loads before any fetch(): stylesheets, scripts, island components and their static imports. */
export function measureHomePage(outDir: string): PageWeight {
  const weight: PageWeight = { ...emptySize(), assets: [] };
  const html = readFileSync(path.join(outDir, 'index.html'));
  add(weight, html);
  weight.assets.push('index.html');
  const queue = referencedAssets(html.toString(), '/');
  const seen = new Set<string>();
  while (queue.length) {
    const url = queue.shift()!;
    if (seen.has(url) || /^(https?:)?\/\//.test(url) || url.startsWith('data:')) continue;
    seen.add(url);
    const file = path.join(outDir, decodeURIComponent(url.split(/[?#]/)[0]));
    let data: Buffer;
    try {
      data = readFileSync(file);
    } catch {
      continue; // referenced but not emitted (e.g. a dev-only path): nothing is transferred
    }
    add(weight, data);
    weight.assets.push(url.replace(/^\//, ''));
    if (url.endsWith('.js') || url.endsWith('.mjs')) queue.push(...staticImports(data.toString(), url));
    if (url.endsWith('.css')) queue.push(...cssImports(data.toString(), url));
  }
  return weight;
}

function referencedAssets(html: string, base: string): string[] {
  const urls: string[] = [];
  for (const tag of html.match(/<(script|link|astro-island)\b[^>]*>/gi) ?? []) {
    const attribute = (name: string): string | undefined =>
      new RegExp(`\\s${name}\\s*=\\s*["']([^"']+)["']`, 'i').exec(tag)?.[1];
    if (tag.toLowerCase().startsWith('<link')) {
      const rel = attribute('rel')?.toLowerCase() ?? '';
      if (/\b(stylesheet|modulepreload|preload)\b/.test(rel) && attribute('as') !== 'fetch')
        urls.push(attribute('href')!);
    } else {
      for (const name of ['src', 'component-url', 'renderer-url']) {
        const url = attribute(name);
        if (url) urls.push(url);
      }
    }
  }
  // Inline module scripts can import too (Astro inlines small hoisted scripts).
  for (const [, body] of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi))
    urls.push(...staticImports(body, base));
  return urls.filter(Boolean).map((url) => resolveUrl(url, base));
}

/** `import x from "./a.js"`, `import "./b.js"`, `export * from "./c.js"`; not dynamic `import()`, which loads later. */
function staticImports(code: string, from: string): string[] {
  const urls: string[] = [];
  for (const [, url] of code.matchAll(
    /(?:^|[;\s}])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+)["']/g,
  )) {
    if (url.startsWith('.') || url.startsWith('/')) urls.push(resolveUrl(url, from));
  }
  return urls;
}

function cssImports(css: string, from: string): string[] {
  return [...css.matchAll(/@import\s+(?:url\()?["']?([^"')\s]+)/g)].map(([, url]) => resolveUrl(url, from));
}

function resolveUrl(url: string, from: string): string {
  if (/^(https?:)?\/\//.test(url) || url.startsWith('data:')) return url;
  return new URL(url, `http://site${from}`).pathname;
}

function emptySize(): ByteSize {
  return { files: 0, rawBytes: 0, gzipBytes: 0 };
}

function add(size: ByteSize, data: Buffer): void {
  size.files++;
  size.rawBytes += data.length;
  size.gzipBytes += gzipBytes(data);
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}
