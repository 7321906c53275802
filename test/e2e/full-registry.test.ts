/**
 * The whole bundled registry-data (1,108 real servers) built with the real build CLI and served:
 * the site builds, its search finds real servers by name, typo and prefix in Chromium, and the
 * official list, paged as VS Code pages it, yields every listed server exactly once.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadRegistry } from '../../src/lib/registry/load.ts';
import { siteInChromium } from './support/page.ts';
import { BUNDLED_REGISTRY } from './support/site.ts';

const { open, url } = siteInChromium(BUNDLED_REGISTRY);

let listed: string[] = [];
beforeAll(async () => {
  const { registry } = await loadRegistry(BUNDLED_REGISTRY);
  listed = registry.servers.filter((server) => server.latest !== undefined).map((server) => server.name);
});

async function search(page: Page, text: string): Promise<{ name: string; text: string }[]> {
  await page.fill('#search-q', text);
  const expected = `?${new URLSearchParams({ q: text })}`;
  await page.waitForFunction(
    (query) => document.getElementById('search-results')?.dataset.resultsFor === query,
    expected,
  );
  return page.locator('#search-results .search-result').evaluateAll((items) =>
    items.map((item) => {
      const link = item.querySelector<HTMLAnchorElement>('.search-result-link')!;
      return {
        name: decodeURIComponent(new URL(link.href).pathname.replace(/^\/servers\/|\/$/g, '')),
        text: (item.textContent ?? '').toLowerCase(),
      };
    }),
  );
}

describe('the site built from the whole bundled registry-data', () => {
  test('search finds real servers by exact name, typo and prefix', async () => {
    const { page, problems } = await open('/');
    expect((await search(page, 'io.github.upstash/context7'))[0]?.name).toBe('io.github.upstash/context7');
    const typo = await search(page, 'postgress');
    expect(typo.length).toBeGreaterThan(0);
    expect(typo.slice(0, 3).every((result) => result.text.includes('postgres'))).toBe(true);
    const filesystem = await search(page, 'filesytem');
    expect(
      filesystem
        .slice(0, 3)
        .some((result) => result.text.includes('filesystem') || result.text.includes('file system')),
    ).toBe(true);
    const prefix = await search(page, 'kuber');
    expect(prefix.slice(0, 3).every((result) => result.text.includes('kubernetes'))).toBe(true);
    expect(problems).toEqual([]);
  });

  test('the official list, paged by nextCursor as VS Code does, yields every listed server once, each with _meta', async () => {
    const names: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 100; page++) {
      const query = new URLSearchParams({ limit: '50', version: 'latest', ...(cursor ? { cursor } : {}) });
      const response = await fetch(`${url()}/v0.1/servers?${query}`);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      const body = (await response.json()) as {
        servers: { server: { name: string }; _meta: object }[];
        metadata: { nextCursor?: string };
      };
      expect(body.servers.every((entry) => typeof entry._meta === 'object')).toBe(true);
      names.push(...body.servers.map((entry) => entry.server.name));
      cursor = body.metadata.nextCursor;
      if (!cursor) break;
    }
    expect(cursor).toBeUndefined();
    expect(names).toEqual([...listed].sort());
    expect(listed.length).toBeGreaterThan(1000);
  });

  test('a real server page has its install panel and the home page counts every server', async () => {
    const { page, status } = await open('/servers/io.github.upstash/context7/');
    expect(status).toBe(200);
    expect(await page.locator('h1').textContent()).toBeTruthy();
    expect(await page.locator('a[href^="vscode:mcp/install?"]').count()).toBeGreaterThan(0);
    const { page: home } = await open('/', { javaScriptEnabled: false });
    expect(await home.textContent('#search-count')).toBe(`${listed.length.toLocaleString('en-US')} servers`);
  });
});
