/**
 * The search island on the home page of the fixture site (built with the real build CLI), in real
 * Chromium: listed before hydration and without JavaScript, ranking and typos, facets and the URL
 * through reload and back, the keyboard, status handling, escaping, the CSP and axe.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { siteInChromium } from './support/page.ts';

const WEATHER = 'io.github.acme/weather';
/** Servers of the fixture registry with a live latest version (one server has every version deleted). */
const LISTED_COUNT = 11;

const { open } = siteInChromium();

const resultNames = (page: Page): Promise<string[]> =>
  page
    .locator('#search-results .search-result-link')
    .evaluateAll((links) =>
      links.map((link) =>
        decodeURIComponent(new URL((link as HTMLAnchorElement).href).pathname.replace(/^\/servers\/|\/$/g, '')),
      ),
    );

/** Waits until the list shows the results of this URL query string (`?q=x&type=npm`, or '' for none). */
async function resultsFor(page: Page, query: string): Promise<void> {
  await page.waitForFunction(
    (expected) => document.getElementById('search-results')?.dataset.resultsFor === expected,
    query,
  );
}

async function typeQuery(page: Page, text: string): Promise<void> {
  await page.fill('#search-q', text);
  await resultsFor(page, `?${new URLSearchParams({ q: text })}`);
}

describe('search island', () => {
  test('without JavaScript the home page lists servers and its one search box submits to /search/', async () => {
    const { page } = await open('/', { javaScriptEnabled: false });
    expect(await page.locator('input[type="search"][name="q"]').count()).toBe(1);
    const form = page.locator('form[role="search"]');
    expect(await form.getAttribute('action')).toBe('/search/');
    expect((await form.getAttribute('method'))?.toLowerCase()).toBe('get');
    expect(await page.locator('.search-result').count()).toBe(LISTED_COUNT);
    expect(await page.textContent('#search-count')).toBe(`${LISTED_COUNT} servers`);
    await page.fill('#search-q', 'weather');
    await Promise.all([page.waitForURL(/\/search\/\?q=weather$/), page.press('#search-q', 'Enter')]);
    expect(await page.locator('body').textContent()).toContain(WEATHER);
  });

  test('on a phone the filters fold above the results and open on demand; on a desktop they are a sidebar', async () => {
    const pypi = 'input[data-facet="type"][data-value="pypi"]';
    const { page: phone } = await open('/', { viewport: { width: 360, height: 740 } });
    // Ticked once the island has hydrated (Astro drops `ssr` then), so this is React's toggle; a box
    // ticked before hydration is adopted on hydration, which the test below covers.
    await phone.waitForSelector('astro-island:not([ssr])');
    await expect(phone.locator(pypi).isVisible()).resolves.toBe(false);
    await phone.click('.search-facets > summary');
    await expect(phone.locator(pypi).isVisible()).resolves.toBe(true);
    await phone.locator(pypi).check();
    await resultsFor(phone, '?type=pypi');
    expect(await phone.textContent('.search-facets > summary')).toBe('Filters (1 on)');
    const { page: desktop } = await open('/');
    await expect(desktop.locator('.search-facets > summary').isVisible()).resolves.toBe(false);
    await expect(desktop.locator(pypi).isVisible()).resolves.toBe(true);
  });

  test('a box ticked, a sort chosen and text typed before the island hydrates are all adopted', async () => {
    // The island's code is held back until the form has been used, as on a slow phone.
    const { promise: released, resolve: release } = Promise.withResolvers<void>();
    const { page, problems } = await open('/', {}, (context) =>
      context.route('**/_astro/SearchApp*.js', async (route) => {
        await released;
        await route.continue();
      }),
    );
    await page.locator('input[data-facet="type"][data-value="npm"]').check();
    await page.selectOption('select[name="sort"]', 'name');
    await page.fill('#search-q', 'weather');
    expect(await page.locator('astro-island[ssr]').count()).toBe(1);
    release();
    await resultsFor(page, '?q=weather&type=npm&sort=name');
    expect(new URL(page.url()).search).toBe('?q=weather&type=npm&sort=name');
    expect(await page.locator('input[data-facet="type"][data-value="npm"]').isChecked()).toBe(true);
    expect(await resultNames(page)).toContain(WEATHER);
    expect(problems).toEqual([]);
  });

  test('a search in the URL is shown in the form before the island hydrates, and what is typed over it wins', async () => {
    const { promise: released, resolve: release } = Promise.withResolvers<void>();
    const { page, problems } = await open('/search/?q=weather&type=npm&sort=name', {}, (context) =>
      context.route('**/_astro/SearchApp*.js', async (route) => {
        await released;
        await route.continue();
      }),
    );
    expect(await page.inputValue('#search-q')).toBe('weather');
    expect(await page.locator('input[data-facet="type"][data-value="npm"]').isChecked()).toBe(true);
    expect(await page.inputValue('select[name="sort"]')).toBe('name');
    await page.fill('#search-q', 'forecast');
    expect(await page.locator('astro-island[ssr]').count()).toBe(1);
    release();
    await resultsFor(page, '?q=forecast&type=npm&sort=name');
    expect(new URL(page.url()).search).toBe('?q=forecast&type=npm&sort=name');
    expect(await resultNames(page)).toContain(WEATHER);
    expect(problems).toEqual([]);
  });

  test('the index is preloaded at low priority while the page parses, and the island uses that one download', async () => {
    for (const path of ['/', '/search/?q=weather']) {
      const downloads: string[] = [];
      const { page, problems } = await open(path, {}, async (context) =>
        context.on('request', (request) => {
          if (new URL(request.url()).pathname === '/search-index.json') downloads.push(request.url());
        }),
      );
      const preload = page.locator('head link[rel="preload"][as="fetch"]');
      expect(await preload.getAttribute('href'), path).toBe('/search-index.json');
      expect(await preload.getAttribute('fetchpriority'), path).toBe('low');
      await typeQuery(page, 'weather');
      // A fetch() that did not match the preload would download (or revalidate) the index a second time.
      expect(downloads, path).toHaveLength(1);
      expect(problems, path).toEqual([]);
    }
  });

  test('the right server comes first, a typo still finds it, and the count is announced', async () => {
    const { page, problems } = await open('/');
    const entries = await page.evaluate(() => history.length);
    await typeQuery(page, 'weather');
    expect((await resultNames(page))[0]).toBe(WEATHER);
    await typeQuery(page, 'wether forcasts');
    expect((await resultNames(page))[0]).toBe(WEATHER);
    const count = page.locator('#search-count');
    expect(await count.getAttribute('aria-live')).toBe('polite');
    expect(await count.textContent()).toBe('1 server matching “wether forcasts”');
    // Typing replaces the history entry (once typing pauses) instead of adding one per keystroke.
    await page.waitForURL((url) => url.search === '?q=wether+forcasts');
    expect(await page.evaluate(() => history.length)).toBe(entries);
    expect(problems).toEqual([]);
  });

  test("one publisher's matches take one row, which links to all of them and back", async () => {
    const { page, problems } = await open('/');
    await typeQuery(page, 'acme');
    const names = await resultNames(page);
    expect(names.filter((name) => name.startsWith('io.github.acme/'))).toHaveLength(1);
    const group = page.locator('#search-results .search-result-group');
    expect(await group.textContent()).toBe('and 1 more from this publisher (io.github.acme)');
    expect(await group.getAttribute('href')).toBe('/search/?q=acme&publisher=io.github.acme');
    await group.click();
    await resultsFor(page, '?q=acme&publisher=io.github.acme');
    expect((await resultNames(page)).sort()).toEqual(['io.github.acme/py-tools', 'io.github.acme/weather']);
    expect(await page.textContent('.search-publisher')).toContain('From io.github.acme only');
    await page.waitForURL((url) => url.search === '?q=acme&publisher=io.github.acme');
    await page.goBack();
    await resultsFor(page, '?q=acme');
    await page.goForward();
    await resultsFor(page, '?q=acme&publisher=io.github.acme');
    await page.click('.search-publisher button');
    await resultsFor(page, '?q=acme');
    expect(problems).toEqual([]);
  });

  test('text typed just before following a result is in the URL that back returns to', async () => {
    const { page, problems } = await open('/');
    await typeQuery(page, 'weathe');
    // The URL is written once typing pauses, or on pagehide when the page is left before that.
    await page.keyboard.type('r');
    await Promise.all([
      page.waitForURL('**/servers/**'),
      page.evaluate(() => document.querySelector<HTMLAnchorElement>('#search-results .search-result-link')?.click()),
    ]);
    await page.goBack();
    expect(new URL(page.url()).search).toBe('?q=weather');
    expect(problems).toEqual([]);
  });

  test('a facet narrows the results, and the URL survives reload, back and forward', async () => {
    const { page, problems } = await open('/');
    await typeQuery(page, 'tools');
    const all = await resultNames(page);
    expect(all.length).toBeGreaterThan(1);
    await page.locator('input[data-facet="type"][data-value="pypi"]').check();
    await resultsFor(page, '?q=tools&type=pypi');
    expect(new URL(page.url()).search).toBe('?q=tools&type=pypi');
    const narrowed = await resultNames(page);
    expect(narrowed).toEqual(['io.github.acme/py-tools']);
    expect(all).toEqual(expect.arrayContaining(narrowed));

    await page.reload();
    await resultsFor(page, '?q=tools&type=pypi');
    expect(await page.inputValue('#search-q')).toBe('tools');
    expect(await page.locator('input[data-facet="type"][data-value="pypi"]').isChecked()).toBe(true);
    expect(await resultNames(page)).toEqual(narrowed);

    await page.goBack();
    await resultsFor(page, '?q=tools');
    expect(await page.locator('input[data-facet="type"][data-value="pypi"]').isChecked()).toBe(false);
    expect(await resultNames(page)).toEqual(all);
    await page.goForward();
    await resultsFor(page, '?q=tools&type=pypi');
    expect(await resultNames(page)).toEqual(narrowed);
    expect(problems).toEqual([]);
  });

  test('facet counts, remote transports and sorting by name', async () => {
    const { page } = await open('/?transport=sse');
    await resultsFor(page, '?transport=sse');
    expect(await resultNames(page)).toEqual(['com.example.remote/search']);
    const remoteCount = page
      .locator('label', { has: page.locator('input[data-facet="kind"][data-value="remote"]') })
      .locator('.search-facet-count');
    expect(await remoteCount.textContent()).toBe('1');
    await page.locator('input[data-facet="transport"][data-value="sse"]').uncheck();
    await page.selectOption('.search-sort select', 'name');
    await resultsFor(page, '?sort=name');
    const byName = await resultNames(page);
    expect(byName).toEqual([...byName].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
  });

  test('keyboard: / focuses the box, arrows move through results, Enter opens one', async () => {
    const { page } = await open('/');
    // `/` works once the island has hydrated (it loads the index when idle, so "ready" implies hydrated).
    await page.waitForSelector('.search-app[data-ready="true"]');
    await page.locator('h1').click();
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search-q');
    await page.keyboard.type('tools');
    await resultsFor(page, '?q=tools');
    const links = await page
      .locator('#search-results .search-result-link')
      .evaluateAll((found) => found.map((link) => link.getAttribute('href')));
    expect(links.length).toBeGreaterThan(2);
    const focused = () =>
      page.evaluate(() => document.activeElement?.getAttribute('href') ?? document.activeElement?.id);
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe(links[0]);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe(links[2]);
    await page.keyboard.press('ArrowUp');
    expect(await focused()).toBe(links[1]);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await focused()).toBe('search-q');
    await page.keyboard.press('ArrowDown');
    await Promise.all([page.waitForURL(`**${links[0]}`), page.keyboard.press('Enter')]);
  });

  test('deprecated servers carry a warning, deleted ones are never found, hostile text stays text', async () => {
    const { page, problems } = await open('/');
    await typeQuery(page, 'old tool');
    const deprecated = page.locator('.search-result', { hasText: 'io.github.legacy/old-tool' });
    expect(await deprecated.locator('.chip-warning').textContent()).toBe('Deprecated');
    await typeQuery(page, 'vanished');
    expect(await resultNames(page)).toEqual([]);
    expect(await page.textContent('#search-count')).toBe('0 servers matching “vanished”');
    await typeQuery(page, 'script test');
    const hostile = page.locator('.search-result', { hasText: 'io.github.hostile/script-test' });
    expect(await hostile.locator('.search-result-description').textContent()).toContain(
      '<script>alert("xss")</script>',
    );
    expect(await hostile.locator('script, b').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  test('the island with facets and results has no axe violations', async () => {
    const { page } = await open('/?q=tools');
    await resultsFor(page, '?q=tools');
    const { violations } = await new AxeBuilder({ page }).include('.search-app').analyze();
    expect(
      violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target).join(', ')}`),
    ).toEqual([]);
  });
});
