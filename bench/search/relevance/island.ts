/**
 * The relevance set through the real island in Chromium: each query typed into the home page's search
 * box of a built site whose index is replaced by the relevance corpus's, and the results read from the
 * DOM as a visitor sees them (collapsed publishers included). Not timed.
 */
import type { Browser } from 'playwright-core';
import { encodeSearchState } from '../../../src/lib/search/url-state.ts';
import { EMPTY_STATE, SEARCH_INDEX_PATH } from '../../../src/lib/search/types.ts';
import { evaluate, type Evaluation, type Judgement } from './judgements.ts';

export interface IslandRelevanceOptions {
  browser: Browser;
  /** Root URL of a served build whose home page carries the search island. */
  siteUrl: string;
  /** The index (JSON text) served in place of the site's own. */
  indexJson: string;
  judgements: readonly Judgement[];
  /** Give up waiting for one query's results after this long (default 180 s: the first builds the engine). */
  timeoutMs?: number;
}

export async function relevanceInIsland(options: IslandRelevanceOptions): Promise<Evaluation> {
  const context = await options.browser.newContext();
  try {
    const page = await context.newPage();
    await page.route(`**${SEARCH_INDEX_PATH}`, (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: options.indexJson }),
    );
    await page.goto(new URL('/', options.siteUrl).href, { waitUntil: 'domcontentloaded' });
    const shown = new Map<string, string[]>();
    for (const { query } of options.judgements) {
      await page.fill('#search-q', query);
      await page.waitForFunction(
        (expected) => document.getElementById('search-results')?.dataset.resultsFor === expected,
        encodeSearchState({ ...EMPTY_STATE, q: query }),
        { timeout: options.timeoutMs ?? 180_000 },
      );
      shown.set(
        query,
        await page
          .locator('#search-results .search-result-link')
          .evaluateAll((links) =>
            links.map((link) =>
              decodeURIComponent(new URL((link as HTMLAnchorElement).href).pathname.replace(/^\/servers\/|\/$/g, '')),
            ),
          ),
      );
    }
    return evaluate((query) => shown.get(query) ?? [], options.judgements);
  } finally {
    await context.close();
  }
}
