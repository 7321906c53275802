/**
 * A minimal plain static host, to prove the built API works on hosts like nginx, GitHub Pages and
 * Cloudflare Pages without any server logic: it ignores the query string, decodes `%XX` (so `%2F`
 * reaches nested folders), answers a folder without a trailing slash with a 301 to `folder/` that keeps
 * the query (as nginx and GitHub Pages do), serves `index.html` or `index.json` as the folder index,
 * sends `Access-Control-Allow-Origin: *` on everything (GitHub Pages and Cloudflare do by default), and
 * answers a missing path with the nearest `404.html` up the tree (Cloudflare's rule). Files get a type
 * from their extension only, so extensionless v0.1 documents go out as application/octet-stream, as
 * on GitHub Pages.
 */
import { readFile, stat } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import path from 'node:path';

const TYPES: Record<string, string> = { '.html': 'text/html', '.json': 'application/json', '.xml': 'application/xml' };

export function createStaticHost(root: string): Server {
  const site = path.resolve(root);
  return createServer((request, response) => {
    response.setHeader('Access-Control-Allow-Origin', '*');
    const [rawPath = '/', query] = (request.url ?? '/').split('?', 2);
    let decoded: string;
    try {
      decoded = decodeURIComponent(rawPath);
    } catch {
      response.writeHead(400).end();
      return;
    }
    const file = path.join(site, path.posix.normalize(decoded));
    if (file !== site && !file.startsWith(site + path.sep)) {
      response.writeHead(400).end();
      return;
    }
    void serve(file, decoded, rawPath, query).then(({ status, headers, body }) =>
      response.writeHead(status, headers).end(body),
    );
  });

  async function serve(file: string, decoded: string, rawPath: string, query: string | undefined) {
    const info = await stat(file).catch(() => undefined);
    if (info?.isDirectory()) {
      if (!decoded.endsWith('/')) {
        return { status: 301, headers: { Location: `${rawPath}/${query === undefined ? '' : `?${query}`}` }, body: '' };
      }
      for (const index of ['index.html', 'index.json']) {
        const found = await readFile(path.join(file, index)).catch(() => undefined);
        if (found !== undefined) return ok(index, found);
      }
    } else if (info?.isFile()) {
      return ok(file, await readFile(file));
    }
    for (let dir = path.dirname(file); dir.startsWith(site); dir = path.dirname(dir)) {
      const page = await readFile(path.join(dir, '404.html')).catch(() => undefined);
      if (page !== undefined) return { status: 404, headers: { 'Content-Type': 'text/html' }, body: page };
      if (dir === site) break;
    }
    return { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'Not found' };
  }
}

function ok(file: string, body: Buffer) {
  return { status: 200, headers: { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' }, body };
}
