import { describe, expect, test } from 'vitest';
import {
  absoluteUrl,
  categoryPath,
  listingPagePath,
  namespacePath,
  officialApiPath,
  ourApiPath,
  safeHttpsUrl,
  safeHttpUrl,
  serverPath,
} from '../../../src/lib/site-data/urls.ts';

describe('safeHttpUrl', () => {
  test('keeps absolute http and https URLs, normalised', () => {
    expect(safeHttpUrl('https://example.com/a b?q=1#x')).toBe('https://example.com/a%20b?q=1#x');
    expect(safeHttpUrl('http://example.com')).toBe('http://example.com/');
    expect(safeHttpUrl('HTTPS://EXAMPLE.com/Path')).toBe('https://example.com/Path');
  });

  test.each([
    ['javascript:alert(1)'],
    ['JavaScript:alert(1)'],
    ['data:text/html,<script>alert(1)</script>'],
    ['vbscript:msgbox'],
    ['file:///etc/passwd'],
    ['//evil.example/path'],
    ['/relative/path'],
    ['not a url'],
    [''],
    ['https://user:pass@example.com/'],
  ])('rejects %j', (value) => {
    expect(safeHttpUrl(value)).toBeUndefined();
  });

  test('undefined stays undefined', () => {
    expect(safeHttpUrl(undefined)).toBeUndefined();
  });

  test('icons must be https', () => {
    expect(safeHttpsUrl('https://cdn.example.com/icon.png')).toBe('https://cdn.example.com/icon.png');
    expect(safeHttpsUrl('http://cdn.example.com/icon.png')).toBeUndefined();
    expect(safeHttpsUrl('data:image/svg+xml,<svg/>')).toBeUndefined();
  });
});

describe('paths', () => {
  test('server, namespace, category and listing pages', () => {
    expect(serverPath('io.github.acme/weather')).toBe('/servers/io.github.acme/weather/');
    expect(serverPath('io.github.Mixed-Case/Server.Name_v2')).toBe('/servers/io.github.Mixed-Case/Server.Name_v2/');
    expect(namespacePath('com.example')).toBe('/namespaces/com.example/');
    expect(categoryPath('developer-tools')).toBe('/categories/developer-tools/');
    expect(listingPagePath(3)).toBe('/servers/page/3/');
  });

  test('the official API path encodes the slash in the name, as clients send it', () => {
    expect(officialApiPath('io.github.acme/weather')).toBe('/v0.1/servers/io.github.acme%2Fweather/versions/latest');
    expect(officialApiPath('io.github.build/meta', '1.0.0+build')).toBe(
      '/v0.1/servers/io.github.build%2Fmeta/versions/1.0.0%2Bbuild',
    );
  });

  test('our API document path nests namespace and name', () => {
    expect(ourApiPath('io.github.acme/weather')).toBe('/api/v1/servers/io.github.acme/weather.json');
  });

  test('absolute URLs are resolved against the configured site', () => {
    expect(absoluteUrl('https://mcp.example.org', '/feed.xml')).toBe('https://mcp.example.org/feed.xml');
    expect(absoluteUrl(new URL('https://mcp.example.org/'), '/servers/a/b/')).toBe(
      'https://mcp.example.org/servers/a/b/',
    );
  });
});
