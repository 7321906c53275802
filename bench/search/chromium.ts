/**
 * Our search in real Chromium, through the real island on the home page of a built site: typing the
 * query mix one key at a time, each keystroke timed in the page from its keydown until the results for
 * it are in the DOM and laid out (search, React render, style and layout: all the work the keystroke
 * costs the page), and until the next animation frame after that. The second figure adds the wait for
 * the display's next refresh, 0 to 16.7 ms at 60 Hz whatever the page does: a bare input with no script
 * (`measureKeystrokeFloor`) already has a p95 of 16.7 ms, so only the first can be held to a per-frame
 * budget. Sizes that were not built are measured by serving a synthetic index in place of the site's own.
 */
import type { Browser, Page } from 'playwright-core';
import { encodeSearchState } from '../../src/lib/search/url-state.ts';
import { EMPTY_STATE, SEARCH_INDEX_PATH } from '../../src/lib/search/types.ts';
import { keystrokes, QUERY_MIX } from '../query-mix.ts';
import { percentile } from '../stats.ts';

export interface ChromiumSearchOptions {
  browser: Browser;
  /** Root URL of a served build whose home page carries the search island, e.g. `http://127.0.0.1:4321`. */
  siteUrl: string;
  /** Queries typed one key at a time (default: the benchmark's query mix). */
  queries?: readonly string[];
  /** An index (JSON text) served instead of the site's own, to measure a size that was not built. */
  indexJson?: string;
  /** Give up on one keystroke after this long (default 30 s). */
  timeoutMs?: number;
  /** Give up waiting for the first results (index download and engine build) after this long (default 180 s). */
  loadTimeoutMs?: number;
}

export interface ChromiumSearchFigures {
  keystrokes: number;
  /**
   * From keydown until the results are in the DOM and laid out. Runs before 2026-11-24T07:30Z stored
   * the time to the next frame here; that figure is now `keystrokeToFrame*`.
   */
  keystrokeP50Ms: number;
  keystrokeP95Ms: number;
  keystrokeMaxMs: number;
  /** From keydown until the next animation frame after the results were laid out (absent from older runs). */
  keystrokeToFrameP50Ms?: number;
  keystrokeToFrameP95Ms?: number;
  /**
   * From keydown (its `event.timeStamp`) until the first DOM mutation after it, as a MutationObserver
   * reports it: issue 20's "first change" (absent from runs before 2026-12-07).
   */
  keystrokeToFirstChangeP50Ms?: number;
  keystrokeToFirstChangeP95Ms?: number;
  /** From navigation start until results for a query typed at once (while the page loads) are shown. */
  firstResultsInteractiveMs: number;
  /** Servers in the index the page searched. */
  servers: number;
}

/** The first query, typed before hydration, for time to interactive results. */
const PROBE_QUERY = 'mcp';

interface Probe {
  keydownAt: number;
  firstChange: number | undefined;
  expected: string;
  laidOut: number | undefined;
  frame: number | undefined;
  firstResultsAt: number | undefined;
}

/** Installed before any page script: timestamps keydowns, then the layout and the frame after matching results render. */
function installProbe(): void {
  const probe: Probe = {
    keydownAt: 0,
    firstChange: undefined,
    expected: '\u0000',
    laidOut: undefined,
    frame: undefined,
    firstResultsAt: undefined,
  };
  (window as unknown as { __searchProbe: Probe }).__searchProbe = probe;
  document.addEventListener(
    'keydown',
    (event) => {
      probe.keydownAt = event.timeStamp;
      probe.firstChange = undefined;
    },
    true,
  );
  new MutationObserver(() => {
    if (probe.keydownAt > 0 && probe.firstChange === undefined) probe.firstChange = performance.now() - probe.keydownAt;
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      const rendered = (mutation.target as HTMLElement).dataset.resultsFor;
      if (rendered === undefined) continue;
      if (rendered !== '' && probe.firstResultsAt === undefined) probe.firstResultsAt = performance.now();
      if (rendered === probe.expected) {
        probe.expected = '\u0000';
        // Reading a layout property makes the browser do now the style and layout it would do before the next frame.
        void document.body.offsetHeight;
        probe.laidOut = performance.now() - probe.keydownAt;
        requestAnimationFrame(() => (probe.frame = performance.now() - probe.keydownAt));
      }
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-results-for'] });
}

export async function measureSearchInChromium(options: ChromiumSearchOptions): Promise<ChromiumSearchFigures> {
  const timeout = options.timeoutMs ?? 30_000;
  const loadTimeout = options.loadTimeoutMs ?? 180_000;
  const context = await options.browser.newContext();
  try {
    const page = await context.newPage();
    let servers = 0;
    await page.route(`**${SEARCH_INDEX_PATH}`, async (route) => {
      const body = options.indexJson ?? (await (await route.fetch()).text());
      servers = (JSON.parse(body) as { name: unknown[] }).name.length;
      await route.fulfill({ status: 200, contentType: 'application/json', body });
    });
    await page.addInitScript(installProbe);
    await page.goto(new URL('/', options.siteUrl).href, { waitUntil: 'domcontentloaded' });
    await page.fill('#search-q', PROBE_QUERY);
    await waitForResults(page, encodeSearchState({ ...EMPTY_STATE, q: PROBE_QUERY }), loadTimeout);
    const firstResultsInteractiveMs = await page.evaluate(
      () => (window as unknown as { __searchProbe: Probe }).__searchProbe.firstResultsAt ?? NaN,
    );

    const laidOut: number[] = [];
    const frames: number[] = [];
    const firstChanges: number[] = [];
    for (const query of options.queries ?? QUERY_MIX) {
      await page.fill('#search-q', '');
      await waitForResults(page, '', timeout);
      for (const typed of keystrokes([query])) {
        const expected = encodeSearchState({ ...EMPTY_STATE, q: typed });
        await page.evaluate((state) => {
          const probe = (window as unknown as { __searchProbe: Probe }).__searchProbe;
          probe.expected = state;
          probe.laidOut = probe.frame = undefined;
        }, expected);
        await page.keyboard.type(typed.at(-1)!);
        const handle = await page.waitForFunction(
          () => {
            const probe = (window as unknown as { __searchProbe: Probe }).__searchProbe;
            return probe.frame === undefined ? undefined : [probe.laidOut!, probe.frame, probe.firstChange ?? NaN];
          },
          null,
          { timeout },
        );
        const [laidOutMs, frameMs, firstChangeMs] = (await handle.jsonValue()) as [number, number, number];
        laidOut.push(laidOutMs);
        frames.push(frameMs);
        firstChanges.push(firstChangeMs);
      }
    }
    return {
      keystrokes: laidOut.length,
      keystrokeP50Ms: percentile(laidOut, 50),
      keystrokeP95Ms: percentile(laidOut, 95),
      keystrokeMaxMs: Math.max(...laidOut),
      keystrokeToFrameP50Ms: percentile(frames, 50),
      keystrokeToFrameP95Ms: percentile(frames, 95),
      keystrokeToFirstChangeP50Ms: percentile(firstChanges, 50),
      keystrokeToFirstChangeP95Ms: percentile(firstChanges, 95),
      firstResultsInteractiveMs,
      servers,
    };
  } finally {
    await context.close();
  }
}

async function waitForResults(page: Page, resultsFor: string, timeout: number): Promise<void> {
  await page.waitForFunction(
    (expected) => document.getElementById('search-results')?.dataset.resultsFor === expected,
    resultsFor,
    { timeout },
  );
}

export interface KeystrokeFloorFigures {
  keystrokes: number;
  keystrokeP50Ms: number;
  keystrokeP95Ms: number;
}

/**
 * The same keystrokes typed into a bare `<input>` with no script: keydown to the first frame after its
 * input event. What the browser, the machine and the display's refresh cost a keystroke before any page
 * work: the floor under the island's time to the frame.
 */
export async function measureKeystrokeFloor(
  browser: Browser,
  queries: readonly string[] = QUERY_MIX,
): Promise<KeystrokeFloorFigures> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.setContent('<input id="q" aria-label="q">');
    await page.evaluate(() => {
      const samples: number[] = [];
      (window as unknown as { __floor: number[] }).__floor = samples;
      let keydownAt = 0;
      document.addEventListener('keydown', (event) => (keydownAt = event.timeStamp), true);
      document.addEventListener(
        'input',
        () => requestAnimationFrame(() => samples.push(performance.now() - keydownAt)),
        true,
      );
    });
    await page.focus('#q');
    const typed = keystrokes(queries).map((prefix) => prefix.at(-1)!);
    for (const [at, key] of typed.entries()) {
      await page.keyboard.type(key);
      await page.waitForFunction(
        (count) => (window as unknown as { __floor: number[] }).__floor.length === count,
        at + 1,
      );
    }
    const samples = await page.evaluate(() => (window as unknown as { __floor: number[] }).__floor);
    return {
      keystrokes: samples.length,
      keystrokeP50Ms: percentile(samples, 50),
      keystrokeP95Ms: percentile(samples, 95),
    };
  } finally {
    await context.close();
  }
}
