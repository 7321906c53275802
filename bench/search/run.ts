/**
 * node bench/search/run.ts --site DIR [--sizes 25000,100000] [--skip-browser]
 * Search figures for docs/search.md: index size per server, engine setup and per-keystroke latency in
 * Node, and in Chromium through the island of the built site in DIR (its own index, then synthetic
 * indexes of each size served in its place), after the floor (the same keystrokes in a bare input).
 * Prints one JSON line per measurement.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCliArgs, runCli, EXIT_OK, UsageError } from '../../src/lib/cli/run.ts';
import { SEARCH_INDEX_PATH } from '../../src/lib/search/types.ts';
import { launchChromium } from '../chromium.ts';
import { withPreviewServer } from '../serve-site.ts';
import { measureKeystrokeFloor, measureSearchInChromium } from './chromium.ts';
import { measureSearchInNode } from './node.ts';
import { syntheticSearchIndex } from './synthetic-index.ts';

const USAGE = 'usage: node bench/search/run.ts --site DIR [--sizes 25000,100000] [--skip-browser]';

await runCli(USAGE, async () => {
  const { values } = parseCliArgs(process.argv.slice(2), {
    site: { type: 'string' },
    sizes: { type: 'string' },
    'skip-browser': { type: 'boolean' },
  });
  if (!values.site) throw new UsageError('--site DIR (a built site) is required');
  const sizes = (values.sizes ?? '25000,100000').split(',').map(Number);
  if (sizes.some((size) => !Number.isInteger(size) || size < 1))
    throw new UsageError('--sizes takes positive integers separated by commas');
  const site = path.resolve(values.site);
  const print = (label: string, figures: object) => process.stdout.write(`${JSON.stringify({ label, ...figures })}\n`);

  const indexes: [string, string][] = [['site', readFileSync(path.join(site, SEARCH_INDEX_PATH), 'utf8')]];
  for (const servers of sizes) indexes.push([`synthetic-${servers}`, JSON.stringify(syntheticSearchIndex(servers))]);
  for (const [label, json] of indexes) print(`node ${label}`, measureSearchInNode(json));
  if (values['skip-browser']) return EXIT_OK;

  const browser = await launchChromium();
  try {
    print('chromium floor (bare input, no script)', await measureKeystrokeFloor(browser));
    await withPreviewServer(site, async (siteUrl) => {
      for (const [label, json] of indexes) {
        print(
          `chromium ${label}`,
          await measureSearchInChromium({ browser, siteUrl, indexJson: label === 'site' ? undefined : json }),
        );
      }
    });
  } finally {
    await browser.close();
  }
  return EXIT_OK;
});
