import { describe, expect, it } from 'vitest';
import type { ImportRecord } from '../../../src/lib/import/official.ts';
import { retryAfter } from '../../../src/lib/sync/fetch-page.ts';
import { buildReport, MAX_PR_BODY, renderPullRequestBody } from '../../../src/lib/sync/report.ts';
import { nextUpdatedSince, normaliseBaseUrl, pageUrl } from '../../../src/lib/sync/sync.ts';

const record = (updatedAt: string): ImportRecord => ({
  origin: 'x',
  server: {},
  facts: { ok: true, value: { status: 'active', publishedAt: updatedAt, updatedAt } },
});

describe('nextUpdatedSince', () => {
  const start = '2026-01-01T00:00:00.000Z';
  it('is the newest updatedAt seen, sub-millisecond digits included', () => {
    expect(
      nextUpdatedSince(undefined, [record('2025-12-01T00:00:00.5Z'), record('2025-12-01T00:00:00.500001Z')], start),
    ).toBe('2025-12-01T00:00:00.500001Z');
  });
  it('never goes past the start of the run less the safety margin, nor back before the last run', () => {
    expect(nextUpdatedSince(undefined, [record('2025-12-31T23:59:00Z')], start)).toBe('2025-12-31T23:55:00.000Z');
    expect(nextUpdatedSince('2025-12-10T00:00:00Z', [record('2025-12-01T00:00:00Z')], start)).toBe(
      '2025-12-10T00:00:00Z',
    );
    expect(nextUpdatedSince('2025-12-10T00:00:00Z', [], start)).toBe('2025-12-10T00:00:00Z');
  });
});

describe('requests', () => {
  it('asks for 100 entries at a time, deleted ones included, after the cursor', () => {
    expect(pageUrl('https://r.example/sub', '2025-12-01T00:00:00Z', 'a.b/c:1.0.0+x').href).toBe(
      'https://r.example/sub/v0.1/servers?limit=100&include_deleted=true&updated_since=2025-12-01T00%3A00%3A00Z&cursor=a.b%2Fc%3A1.0.0%2Bx',
    );
  });
  it('takes a base URL with or without a trailing slash, and nothing else', () => {
    expect(normaliseBaseUrl('https://registry.modelcontextprotocol.io/')).toBe(
      'https://registry.modelcontextprotocol.io',
    );
    for (const bad of ['ftp://x', 'not a url', 'https://x/?q=1', 'https://user:pw@x'])
      expect(() => normaliseBaseUrl(bad)).toThrow(/--from/);
  });
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfter('3')).toBe(3000);
    expect(retryAfter('Thu, 01 Jan 2026 00:00:10 GMT', Date.parse('2026-01-01T00:00:00Z'))).toBe(10_000);
    expect(retryAfter('soon')).toBeUndefined();
    expect(retryAfter(null)).toBeUndefined();
  });
});

describe('the pull request body', () => {
  const report = (added: number) =>
    buildReport({
      source: 'https://registry.modelcontextprotocol.io',
      into: 'registry-data',
      full: false,
      since: '2026-01-01T00:00:00Z',
      nextSince: '2026-01-02T00:00:00Z',
      startedAt: '2026-01-02T00:10:00Z',
      pages: Math.ceil(added / 100),
      resumedPages: 0,
      records: added,
      outcomes: Array.from({ length: added }, (_, index) => ({
        kind: 'added' as const,
        origin: `page#${index}`,
        label: `io.github.someone-with-a-long-name-${index}/a-server-with-a-long-name-too@1.0.${index}`,
        problems: [],
        newServer: index % 2 === 0,
      })),
      skippedPolicy: [],
      skippedDeleted: [],
      files: added * 2,
      publish: 'pull-request',
      seconds: 12.3,
    });

  it('stays within 65,536 characters: counts, the first changes, then "and N more"', () => {
    const body = renderPullRequestBody(report(100_000));
    expect(body.length).toBeLessThanOrEqual(MAX_PR_BODY);
    expect(body).toContain('| new versions (new servers included) | 100,000 |');
    expect(body).toMatch(/^- and 49,\d{3} more$/m);
    expect(body).toContain('### New servers (50,000)');
  });

  it('lists everything when it fits', () => {
    const body = renderPullRequestBody(report(10));
    expect(body).not.toContain('more');
    expect(body.match(/^- `io\.github/gm)).toHaveLength(10);
  });
});
