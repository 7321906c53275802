/**
 * The catalogue website, built from the fixture registry with the real build CLI and driven in real
 * Chromium: install links decode to the right command, tombstones, no-JS browsing and search form,
 * hostile manifest text, the Content-Security-Policy, accessibility (axe) in both themes, layout at
 * 360 px, feed and sitemap, and screenshots for review in test-results/screenshots/.
 */
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { describe, expect, test } from 'vitest';
import { decodeCursorLink, decodeVscodeLink } from '../unit/install/decode.ts';
import { siteInChromium } from './support/page.ts';

const SCREENSHOTS = path.resolve(import.meta.dirname, '../../test-results/screenshots');
const WEATHER = '/servers/io.github.acme/weather/';
const EVERYTHING = '/servers/io.github.Mixed-Case/Server.Name_v2/';
const HOSTILE = '/servers/io.github.hostile/script-test/';
const DELETED = '/servers/io.github.gone/vanished/';
const DEPRECATED = '/servers/io.github.legacy/old-tool/';
/** Servers in the fixture registry that are listed (every server except the one whose versions are all deleted). */
const LISTED_COUNT = 11;

const { open, url } = siteInChromium();

describe('server page', () => {
  test('the VS Code and Cursor install links decode to the npx command of the latest version', async () => {
    const { page, problems } = await open(WEATHER);
    const vscode = decodeVscodeLink(
      (await page.locator('a[href^="vscode:mcp/install?"]').first().getAttribute('href'))!,
    );
    expect(vscode).toMatchObject({
      name: 'weather',
      type: 'stdio',
      command: 'npx',
      args: ['-y', '@acme/weather-mcp@2.0.0-beta.1'],
      env: { WEATHER_API_KEY: '${input:WEATHER_API_KEY}' },
      inputs: [{ type: 'promptString', id: 'WEATHER_API_KEY', password: true }],
    });
    const cursor = decodeCursorLink((await page.locator('a[href^="cursor://"]').first().getAttribute('href'))!);
    expect(cursor.name).toBe('weather');
    expect(cursor.config).toMatchObject({ command: 'npx', args: ['-y', '@acme/weather-mcp@2.0.0-beta.1'] });
    // The secret is never given a real-looking value.
    expect(JSON.stringify(cursor.config)).not.toMatch(/WEATHER_API_KEY":"[a-z0-9]{8,}/i);
    expect(problems).toEqual([]);
  });

  test('the copy button copies the Claude Desktop config, which parses to the same command', async () => {
    const { page } = await open(WEATHER);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url() });
    const snippet = page.locator('figure', { hasText: 'claude_desktop_config.json' }).first();
    const button = snippet.locator('button.copy-button');
    await button.waitFor({ state: 'visible' });
    await button.click();
    await expect.poll(() => button.textContent(), { timeout: 10_000 }).toBe('Copied');
    const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
    expect(copied.mcpServers.weather).toMatchObject({ command: 'npx', args: ['-y', '@acme/weather-mcp@2.0.0-beta.1'] });
  });

  test('shows facts, packages with transports, flagged secrets and the full version history', async () => {
    const { page } = await open(WEATHER);
    expect(await page.locator('h1').textContent()).toBe('Weather & Forecasts');
    const main = page.locator('main');
    expect(await main.textContent()).toContain('stdio (runs locally)');
    const secretRow = page.locator('table.settings tr', { hasText: 'WEATHER_API_KEY' });
    expect(await secretRow.textContent()).toMatch(/Secret/);
    const optionalRow = page.locator('table.settings tr', { hasText: 'WEATHER_UNITS' });
    expect(await optionalRow.textContent()).not.toMatch(/Secret/);
    const versions = await page.locator('table.versions tbody tr th').allTextContents();
    expect(versions.map((text) => text.replace('Latest', '').trim())).toEqual([
      '1.2.0',
      '2.0.0-beta.1',
      '1.1.0',
      '1.0.0',
    ]);
    expect(await page.locator('table.versions tr', { hasText: 'Latest' }).locator('th code').textContent()).toBe(
      '2.0.0-beta.1',
    );
    const verified = await page.locator('#verified-heading + ul').textContent();
    expect(verified).toContain('GitHub account or organization “acme”');
    // No bare "official" badge: the page says what was checked instead.
    expect(await page.getByText(/^\s*official\s*$/i).count()).toBe(0);
    const jsonLinks = await page
      .locator('#json-heading + ul a')
      .evaluateAll((links) => links.map((link) => link.getAttribute('href')));
    expect(jsonLinks).toEqual([
      '/api/v1/servers/io.github.acme/weather.json',
      '/v0.1/servers/io.github.acme%2Fweather/versions/latest',
    ]);
    for (const href of jsonLinks) {
      const response = await page.request.get(url() + href);
      expect(response.status(), href!).toBe(200);
      expect(JSON.stringify(await response.json())).toContain('io.github.acme/weather');
    }
  });

  test('a remote-only server lists its endpoint and transport; an icon only from an https URL', async () => {
    const { page } = await open('/servers/com.example.remote/search/');
    expect(await page.locator('main').textContent()).toContain('Streamable HTTP');
    const icons = await page
      .locator('img.server-icon')
      .evaluateAll((images) => images.map((image) => image.getAttribute('src')));
    for (const src of icons) expect(src).toMatch(/^https:\/\//);
  });

  test('hostile manifest text is shown as text: no markup, no script, no dialog, only http(s) links', async () => {
    const { page, problems } = await open(HOSTILE);
    expect(await page.locator('h1').textContent()).toBe('Café ☕ "Quotes" & <b>Tags</b> #1');
    expect(await page.locator('main b').count()).toBe(0);
    expect(await page.locator('.lead').textContent()).toContain('<script>alert("xss")</script>');
    const hrefs = await page.locator('a[href]').evaluateAll((links) => links.map((link) => link.getAttribute('href')!));
    for (const href of hrefs) expect(href).toMatch(/^(\/|#|https?:|vscode:|vscode-insiders:|cursor:|goose:)/);
    expect(problems).toEqual([]);
  });

  test(
    'the Content-Security-Policy allows only hashed or same-origin scripts, and nothing on the page is refused',
    { timeout: 180_000 },
    async () => {
      for (const pathname of ['/', WEATHER, EVERYTHING, '/stats/', '/servers/page/1/']) {
        const { page, problems } = await open(pathname);
        const policy = await page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content');
        const scriptSrc = /script-src ([^;]*)/.exec(policy ?? '')?.[1] ?? '';
        expect(scriptSrc, pathname).toContain("'self'");
        expect(scriptSrc, pathname).not.toContain('unsafe-inline');
        expect(policy, pathname).toContain("object-src 'none'");
        const inlineHandlers = await page.locator('[onclick], [onerror], [onload]').count();
        expect(inlineHandlers, pathname).toBe(0);
        expect(problems, pathname).toEqual([]);
      }
    },
  );

  test('a server page ships no JavaScript beyond the copy script', async () => {
    const { page } = await open(WEATHER);
    const scripts = await page
      .locator('script')
      .evaluateAll((elements) =>
        elements.map((script) => script.getAttribute('src') ?? `inline:${script.getAttribute('type') ?? ''}`),
      );
    expect(scripts).toEqual(['/scripts/copy.js']);
  });
});

describe('tombstones', () => {
  test('a server whose every version was deleted keeps a page: banner, reason, history, no install links', async () => {
    const { page, status } = await open(DELETED);
    expect(status).toBe(200);
    const banner = page.locator('.banner-danger');
    expect(await banner.textContent()).toMatch(/deleted from the registry on 21 Sep 2025/);
    expect(await banner.textContent()).toContain('Reported as malware.');
    expect(await page.locator('#install').count()).toBe(0);
    expect(await page.locator('a[href^="vscode:"], a[href^="cursor:"]').count()).toBe(0);
    expect(await page.locator('meta[name="robots"]').getAttribute('content')).toBe('noindex');
    expect(await page.locator('table.versions tbody tr').count()).toBe(2);
  });

  test('a deprecated server says so, with the publisher message, and still explains how to install it', async () => {
    const { page } = await open(DEPRECATED);
    const banner = page.locator('.banner-warning');
    expect(await banner.textContent()).toContain('deprecated');
    expect(await banner.textContent()).toContain(
      'Replaced by io.github.acme/py-tools — please migrate before 2026 <b>&</b> "soon".',
    );
    expect(await banner.locator('a').getAttribute('href')).toBe('/servers/io.github.acme/py-tools/');
    expect(await page.locator('#install a[href^="vscode:"]').count()).toBeGreaterThan(0);
  });
});

describe('without JavaScript', () => {
  const noJs = { javaScriptEnabled: false } as const;

  test('the home page and the paginated listing list servers', async () => {
    const { page } = await open('/', noJs);
    expect(await page.locator('main a[href^="/servers/"]').count()).toBeGreaterThan(5);
    const listing = await open('/servers/', noJs);
    await listing.page.waitForURL(`${url()}/servers/page/1/`);
    const names = await listing.page.locator('.server-card .name').allTextContents();
    expect(names).toHaveLength(LISTED_COUNT);
    expect(names).toEqual([...names].sort());
    expect(names).not.toContain('io.github.gone/vanished');
  });

  test('the search form submits to /search/, which without JavaScript leads to the listing by name and every server', async () => {
    const { page } = await open('/', noJs);
    await page.locator('main input[type="search"]').fill('weather');
    await Promise.all([
      page.waitForURL(/\/search\/\?q=weather$/),
      page.locator('main input[type="search"]').press('Enter'),
    ]);
    const toListing = page.locator('.browse a', { hasText: `All ${LISTED_COUNT} servers by name` });
    await Promise.all([page.waitForURL('**/servers/page/1/'), toListing.click()]);
    await Promise.all([
      page.waitForURL(`**${WEATHER}`),
      page
        .locator('.server-card', { has: page.locator('.name', { hasText: /^io\.github\.acme\/weather$/ }) })
        .locator('a')
        .first()
        .click(),
    ]);
    expect(await page.locator('h1').textContent()).toBe('Weather & Forecasts');
    // Copy buttons need the script; without it they stay hidden rather than dead.
    expect(await page.locator('button.copy-button:visible').count()).toBe(0);
  });
});

describe('accessibility', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const pathname of ['/', WEATHER, '/stats/']) {
      test(`${pathname} in ${colorScheme}: no serious or critical axe violations`, async () => {
        const { page } = await open(pathname, { colorScheme });
        const results = await new AxeBuilder({ page }).analyze();
        const serious = results.violations
          .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
          .map(
            (violation) =>
              `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
          );
        expect(serious).toEqual([]);
      });
    }
  }
});

describe('layout', () => {
  test('nothing scrolls sideways at 360 px', { timeout: 240_000 }, async () => {
    const pages = [
      '/',
      WEATHER,
      EVERYTHING,
      HOSTILE,
      DELETED,
      '/stats/',
      '/servers/page/1/',
      '/search/',
      '/namespaces/',
      '/categories/',
      '/does-not-exist/',
    ];
    const { page } = await open('/', { viewport: { width: 360, height: 800 } });
    for (const pathname of pages) {
      await page.goto(url() + pathname, { waitUntil: 'load' });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, pathname).toBeLessThanOrEqual(360);
    }
  });

  test('screenshots of home and a server page, light and dark, desktop and phone', { timeout: 240_000 }, async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const [name, pathname] of [
        ['home', '/'],
        ['server', WEATHER],
      ] as const) {
        for (const [device, width] of [
          ['desktop', 1280],
          ['phone', 360],
        ] as const) {
          const { page } = await open(pathname, { viewport: { width, height: 900 }, colorScheme });
          const file = path.join(SCREENSHOTS, `${name}-${colorScheme}-${device}.png`);
          await page.screenshot({ path: file, fullPage: true });
          expect((await stat(file)).size).toBeGreaterThan(10_000);
        }
      }
    }
  });
});

describe('feeds and discovery', () => {
  test('the Atom feed is well-formed, newest server first, with manifest text escaped', async () => {
    const { page } = await open('/');
    const xml = await (await page.request.get(`${url()}/feed.xml`)).text();
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        titles: [...doc.querySelectorAll('entry > title')].map((node) => node.textContent),
        summaries: [...doc.querySelectorAll('entry > summary')].map((node) => node.textContent),
      };
    }, xml);
    expect(parsed.error).toBeNull();
    expect(parsed.titles).toHaveLength(LISTED_COUNT);
    expect(parsed.summaries).toContain('<script>alert("xss")</script> & \'quotes\' #hash 日本語 — emoji 🚀 \u202Eevil');
  });

  test('the sitemap index leads to every listed server page and leaves out tombstones', async () => {
    const { page } = await open('/');
    const locs = async (url: string): Promise<string[]> => {
      const text = await (await page.request.get(url)).text();
      return page.evaluate(
        (xml) =>
          [...new DOMParser().parseFromString(xml, 'application/xml').querySelectorAll('loc')].map(
            (loc) => loc.textContent!,
          ),
        text,
      );
    };
    const chunks = await locs(`${url()}/sitemap.xml`);
    expect(chunks.length).toBeGreaterThan(0);
    const urls = (await Promise.all(chunks.map((chunk) => locs(url() + new URL(chunk).pathname)))).flat();
    const paths = urls.map((url) => new URL(url).pathname);
    expect(paths).toContain(WEATHER);
    expect(paths).toContain(EVERYTHING);
    expect(paths).not.toContain(DELETED);
    expect(
      paths.filter((pathname) => pathname.startsWith('/servers/') && !pathname.startsWith('/servers/page/')),
    ).toHaveLength(LISTED_COUNT);
  });

  test('every example link on the API page answers 200 with JSON or XML', { timeout: 120_000 }, async () => {
    const { page } = await open('/api/');
    const hrefs = await page
      .locator('.examples a')
      .evaluateAll((links) => links.map((link) => link.getAttribute('href')!));
    expect(hrefs.length).toBeGreaterThanOrEqual(12);
    for (const href of hrefs) {
      const response = await page.request.get(url() + href);
      expect(response.status(), href).toBe(200);
      const body = await response.text();
      if (href.endsWith('.xml')) expect(body, href).toMatch(/^<\?xml/);
      else expect(() => JSON.parse(body), href).not.toThrow();
    }
  });

  test('an unknown path gets the 404 page with a search box, and OpenGraph tags are on every page', async () => {
    const { page, status } = await open('/no/such/page/');
    expect(status).toBe(404);
    expect(await page.locator('form[action="/search/"] input[name="q"]').count()).toBe(1);
    const server = await open(WEATHER);
    expect(await server.page.locator('meta[property="og:title"]').getAttribute('content')).toBe('Weather & Forecasts');
    expect(await server.page.locator('meta[property="og:description"]').getAttribute('content')).toBe(
      'Current weather, forecasts and alerts for any city on Earth.',
    );
  });
});
