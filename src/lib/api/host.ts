/**
 * Support files for static hosts, so the API works when `dist/` is uploaded as is:
 * - `_redirects` (Cloudflare Pages and Workers assets, Netlify, GitLab Pages): rewrites the two paths that
 *   are both a document and a folder onto their `index.json`, and mirrors `/v0` onto `/v0.1` at no file cost;
 * - `_headers` (Cloudflare, Netlify): CORS on everything, and a JSON content type for the v0.1 files,
 *   which have no extension (they are named by the version, as clients request them);
 * - `v0.1/404.html`: Cloudflare Pages answers a missing path with the nearest `404.html` up the tree,
 *   so v0.1 lookups of unknown servers get the official JSON 404 body.
 * Hosts without these files (GitHub Pages, nginx) are covered in docs/api.md.
 */
import type { ApiFile } from './json.ts';
import { canonicalJson } from './json.ts';
import { NOT_FOUND, OFFICIAL_API_ROOT } from './official.ts';

const V01 = `/${OFFICIAL_API_ROOT}`;
const JSON_TYPE = 'application/json; charset=utf-8';

export const REDIRECTS = [
  '# Written at build time by src/lib/api/host.ts. Rewrites (200) keep the URL; query strings are ignored.',
  `${V01}/servers ${V01}/servers/index.json 200`,
  `${V01}/servers/ ${V01}/servers/index.json 200`,
  `/v0/servers ${V01}/servers/index.json 200`,
  `/v0/servers/ ${V01}/servers/index.json 200`,
  '# Names arrive either decoded (two segments) or with %2F kept (one segment).',
  `${V01}/servers/:namespace/:name/versions ${V01}/servers/:namespace/:name/versions/index.json 200`,
  `${V01}/servers/:name/versions ${V01}/servers/:name/versions/index.json 200`,
  `/v0/servers/:namespace/:name/versions ${V01}/servers/:namespace/:name/versions/index.json 200`,
  `/v0/servers/:name/versions ${V01}/servers/:name/versions/index.json 200`,
  `/v0/* ${V01}/:splat 200`,
  '',
].join('\n');

export const HEADERS = [
  '# Written at build time by src/lib/api/host.ts.',
  '/*',
  '  Access-Control-Allow-Origin: *',
  `${V01}/*`,
  `  Content-Type: ${JSON_TYPE}`,
  '/v0/*',
  `  Content-Type: ${JSON_TYPE}`,
  '',
].join('\n');

/** Files at the root of the site that these rules own (a file of that name in public/ would be overwritten). */
export const HOST_FILE_NAMES = ['_redirects', '_headers'] as const;

export function hostFiles(): ApiFile[] {
  return [
    { path: HOST_FILE_NAMES[0], body: REDIRECTS },
    { path: HOST_FILE_NAMES[1], body: HEADERS },
    { path: `${OFFICIAL_API_ROOT}/404.html`, body: canonicalJson(NOT_FOUND) },
  ];
}
