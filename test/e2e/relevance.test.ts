/**
 * The relevance set through the real island in Chromium (issue 17's acceptance is measured there): the
 * fixture site served with the index of the official registry of 2026-06 (11,978 servers) in place of
 * its own, every query typed into the home page's box, the results read from the DOM as a visitor sees
 * them, collapsed publishers included. The island must show exactly what the engine ranks in Node.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeSearchIndex } from '../../src/lib/search/index-file.ts';
import { oursRanker } from '../../bench/search/relevance/engines.ts';
import { relevanceInIsland } from '../../bench/search/relevance/island.ts';
import { evaluate, readJudgements } from '../../bench/search/relevance/judgements.ts';
import { corpusIndexJson, REAL_SERVERS } from '../../bench/search/relevance/measure.ts';
import { launchChromium } from './support/browser.ts';
import { builtSite, serveSite, type ServedSite } from './support/site.ts';

let site: ServedSite | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  site = await serveSite(await builtSite());
  browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('relevance in Chromium through the island', () => {
  test(
    'at 12k real servers a right server is in the top 3 for 95% of each half, as the engine ranks it',
    { timeout: 900_000 },
    async () => {
      const judgements = readJudgements();
      const indexJson = corpusIndexJson(REAL_SERVERS);
      const island = await relevanceInIsland({ browser: browser!, siteUrl: site!.url, indexJson, judgements });
      const node = evaluate(oursRanker(decodeSearchIndex(JSON.parse(indexJson))), judgements);
      expect(island.byHalf.tune.top3).toBeGreaterThanOrEqual(0.95);
      expect(island.byHalf.holdout.top3).toBeGreaterThanOrEqual(0.95);
      const firstThree = (evaluation: typeof node) =>
        evaluation.outcomes.map((o) => `${o.judgement.query}: ${o.shown.slice(0, 3).join(', ')}`);
      expect(firstThree(island)).toEqual(firstThree(node));
    },
  );
});
