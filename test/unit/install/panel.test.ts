/**
 * The install panel in a real Astro build, opened in real Chromium: escaping of hostile manifest text,
 * no scripts but the external copy script, unique ids, copy buttons that copy the exact config, keyboard
 * use of the accordions, and an axe audit in light and dark colour schemes.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'astro';
import { chromium, type Browser } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { ServerJsonSchema, type ServerJson } from '../../../src/lib/schema/server.ts';
import { installGuides } from '../../../src/lib/install/guide.ts';

const REPO = path.resolve('.');
const servers: ServerJson[] = (
  JSON.parse(fs.readFileSync(path.join(REPO, 'test/unit/install/fixtures/panel-servers.json'), 'utf8')) as unknown[]
).map((raw) => ServerJsonSchema.parse(raw));

let site: string;
let server: http.Server;
let origin: string;
let browser: Browser;

const page = (index: number) => fs.readFileSync(path.join(site, 'dist', String(index), 'index.html'), 'utf8');

beforeAll(async () => {
  // Inside the repo (.tmp/ is git-ignored) so the page imports the component by a plain relative path.
  fs.mkdirSync(path.join(REPO, '.tmp'), { recursive: true });
  site = fs.mkdtempSync(path.join(REPO, '.tmp', 'install-panel-'));
  fs.mkdirSync(path.join(site, 'src/pages'), { recursive: true });
  fs.mkdirSync(path.join(site, 'public/scripts'), { recursive: true });
  fs.copyFileSync(path.join(REPO, 'public/scripts/copy.js'), path.join(site, 'public/scripts/copy.js'));
  fs.writeFileSync(path.join(site, 'src/servers.json'), JSON.stringify(servers));
  const panel = path.join(REPO, 'src/components/install/InstallPanel.astro');
  fs.writeFileSync(
    path.join(site, 'src/pages/[index].astro'),
    `---
import InstallPanel from ${JSON.stringify(path.relative(path.join(site, 'src/pages'), panel))};
import servers from '../servers.json';
export function getStaticPaths() {
  return servers.map((server, index) => ({ params: { index: String(index) }, props: { server } }));
}
const { server } = Astro.props;
---
<html lang="en">
  <head><meta charset="utf-8" /><title>Install test</title><link rel="icon" href="data:," /><meta name="color-scheme" content="light dark" />
  <script is:inline defer src="/scripts/copy.js"></script></head>
  <body><main><h1>Install</h1><InstallPanel server={server} /></main></body>
</html>
`,
  );
  await build({ root: site, logLevel: 'error', telemetry: false } as Parameters<typeof build>[0]);

  const dist = path.join(site, 'dist');
  server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    let file = path.join(dist, decodeURIComponent(url.pathname));
    if (!file.startsWith(dist)) return void response.writeHead(403).end();
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) return void response.writeHead(404).end();
    const type = file.endsWith('.html')
      ? 'text/html; charset=utf-8'
      : file.endsWith('.js')
        ? 'text/javascript'
        : file.endsWith('.css')
          ? 'text/css'
          : 'application/octet-stream';
    // The site's real policy: no inline scripts.
    response.writeHead(200, { 'content-type': type, 'content-security-policy': "script-src 'self'" });
    fs.createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (server) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  if (site && !process.env.KEEP_PANEL_SITE) fs.rmSync(site, { recursive: true, force: true });
});

describe('InstallPanel (built HTML)', () => {
  it('escapes hostile manifest text and ships no script but the external copy script', () => {
    const html = page(0);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>API</b>');
    expect(html).toContain('&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts).toEqual(['<script defer src="/scripts/copy.js"></script>'.replace('</script>', '')]);
  });

  it('gives every element a unique id and every copy button an existing target', () => {
    const html = page(0);
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    const targets = [...html.matchAll(/data-copy-target="([^"]+)"/g)].map((m) => m[1]);
    expect(targets.length).toBeGreaterThan(10);
    for (const target of targets) expect(ids).toContain(target);
  });

  it('links only to generated install schemes', () => {
    const hrefs = [...page(0).matchAll(/<a\b[^>]*\shref="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
    expect(hrefs.length).toBeGreaterThan(5);
    for (const href of hrefs) expect(href).toMatch(/^(https:|vscode:|vscode-insiders:|cursor:|goose:)/);
  });

  it('explains servers with nothing to install', () => {
    expect(page(2)).toContain('lists no package and no remote endpoint');
  });
});

describe('InstallPanel in Chromium', () => {
  it('the copy button copies exactly the generated config text', async () => {
    const context = await browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    const tab = await context.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (error) => errors.push(error.message));
    tab.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await tab.goto(`${origin}/0/`);
    const button = tab.locator('details[open] details[open] button.copy-button').first();
    // Generous timeouts: the machine running the tests may be busy; Playwright waits, it does not sleep.
    await button.waitFor({ state: 'visible', timeout: 30_000 });
    await button.click();
    await expect.poll(() => button.textContent(), { timeout: 30_000 }).toBe('Copied');
    const copied = await tab.evaluate(() => navigator.clipboard.readText());
    const expected = installGuides(servers[0]!)[0]!.clients[0]!.snippets[0]!.text;
    expect(copied).toBe(expected);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('opens a client section from the keyboard', async () => {
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.goto(`${origin}/1/`);
    const summary = tab.locator('summary', { hasText: 'VS Code' });
    await summary.focus();
    await tab.keyboard.press('Enter');
    await expect
      .poll(() => summary.evaluate((el) => (el.parentElement as HTMLDetailsElement).open), { timeout: 30_000 })
      .toBe(true);
    await tab.locator('a', { hasText: 'Install in VS Code' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    // Exclusive accordion: opening VS Code closed the first client.
    expect(await tab.locator('details[open]').count()).toBe(1);
    await context.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`passes axe in the ${colorScheme} scheme with every section open`, async () => {
      const context = await browser.newContext({ colorScheme });
      const tab = await context.newPage();
      for (const index of [0, 2]) {
        await tab.goto(`${origin}/${index}/`);
        await tab.evaluate(() => document.querySelectorAll('details').forEach((d) => d.removeAttribute('name')));
        await tab.evaluate(() =>
          document.querySelectorAll('details').forEach((d) => ((d as HTMLDetailsElement).open = true)),
        );
        const result = await new AxeBuilder({ page: tab }).analyze();
        expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual(
          [],
        );
      }
      await context.close();
    });
  }
});
