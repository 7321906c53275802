/**
 * Child process of the bench: times our search in Chromium through the island of a built site and
 * prints one JSON line (ChromiumSearchFigures). A process of its own, so the keystrokes are not timed
 * next to the bench process, which has just generated and built the registry.
 *   node bench/search/measure-chromium.ts <site-dir> [<index.json served in place of the site's own>]
 */
import { readFileSync } from 'node:fs';
import { launchChromium } from '../chromium.ts';
import { withPreviewServer } from '../serve-site.ts';
import { measureSearchInChromium } from './chromium.ts';

const [site, indexFile] = process.argv.slice(2);
if (!site) {
  process.stderr.write('usage: node bench/search/measure-chromium.ts <site-dir> [<index.json>]\n');
  process.exit(2);
}
const browser = await launchChromium();
try {
  const indexJson = indexFile === undefined ? undefined : readFileSync(indexFile, 'utf8');
  const figures = await withPreviewServer(site, (siteUrl) =>
    measureSearchInChromium({ browser, siteUrl, ...(indexJson ? { indexJson } : {}) }),
  );
  process.stdout.write(`${JSON.stringify(figures)}\n`);
} finally {
  await browser.close();
}
