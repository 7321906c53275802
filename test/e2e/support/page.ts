/**
 * The fixture site served and a Chromium for one test file: `siteInChromium()` registers the
 * beforeAll/afterAll that build (or reuse) and serve the site and launch the browser, and returns
 * `open()`, which gives a page in a fresh offline context recording what must never happen on the
 * site: CSP violations, uncaught page errors and dialogs (an XSS probe opening alert()).
 */
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser.ts';
import { builtSite, serveSite, type ServedSite } from './site.ts';

export interface OpenedPage {
  page: Page;
  /** Violations, page errors and dialogs seen so far; tests assert it stays empty. */
  problems: string[];
  status: number | undefined;
}

export interface SiteInChromium {
  /** `prepare` runs on the new context before the page is opened (to route requests, say). */
  open(
    pathname: string,
    options?: BrowserContextOptions,
    prepare?: (context: BrowserContext) => Promise<unknown>,
  ): Promise<OpenedPage>;
  /** The served site's origin, e.g. `http://127.0.0.1:41234`. */
  url(): string;
}

/** The fixture site by default; `registry` names another data folder to build and serve. */
export function siteInChromium(registry?: string): SiteInChromium {
  let site: ServedSite | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    site = await serveSite(await builtSite(registry));
    browser = await launchChromium();
  }, 600_000);
  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
    await site?.close();
  });
  const started = (): { site: ServedSite; browser: Browser } => {
    if (!site || !browser) throw new Error('siteInChromium(): the site is not served yet (use it inside tests)');
    return { site, browser };
  };
  return {
    url: () => started().site.url,
    async open(pathname, options = {}, prepare) {
      const { site, browser } = started();
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
      contexts.push(context);
      await context.route(
        (url) => !url.href.startsWith(site.url),
        (route) => route.abort('internetdisconnected'),
      );
      await prepare?.(context);
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' && /Content.Security.Policy|Refused to/i.test(message.text()))
          problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('dialog', (dialog) => {
        problems.push(`dialog opened: ${dialog.message()}`);
        void dialog.dismiss();
      });
      const response = await page.goto(site.url + pathname, { waitUntil: 'load' });
      return { page, problems, status: response?.status() };
    },
  };
}
