import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { HistoryLike } from '../../../src/components/search/url-history.ts';
import { UrlHistory, URL_SETTLE_MS } from '../../../src/components/search/url-history.ts';

/** An in-memory session history with the two calls the island makes: a list of entries and a cursor. */
class SessionHistory implements HistoryLike {
  entries = ['/'];
  at = 0;
  replaceCalls = 0;
  pushState(_data: unknown, _unused: string, url: string): void {
    this.entries = [...this.entries.slice(0, this.at + 1), url];
    this.at = this.entries.length - 1;
  }
  replaceState(_data: unknown, _unused: string, url: string): void {
    this.entries[this.at] = url;
    this.replaceCalls++;
  }
  get current(): string {
    return this.entries[this.at];
  }
}

describe('the URL while typing', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  test('a burst of keystrokes rewrites the entry once, with the last text, after typing pauses', () => {
    const history = new SessionHistory();
    const urls = new UrlHistory(history);
    for (const typed of ['g', 'gr', 'gra', 'graf']) {
      urls.replaceSoon(`/?q=${typed}`);
      vi.advanceTimersByTime(URL_SETTLE_MS - 1);
    }
    expect(history.current).toBe('/');
    vi.advanceTimersByTime(1);
    expect(history.current).toBe('/?q=graf');
    expect(history.replaceCalls).toBe(1);
    expect(history.entries).toEqual(['/?q=graf']);
  });

  test('a facet pushed right after typing leaves the typed text in the entry it leaves', () => {
    const history = new SessionHistory();
    const urls = new UrlHistory(history);
    urls.replaceSoon('/?q=tools');
    urls.push('/?q=tools&type=pypi');
    expect(history.entries).toEqual(['/?q=tools', '/?q=tools&type=pypi']);
    vi.runAllTimers();
    expect(history.replaceCalls).toBe(1);
  });

  test('flush writes the pending text at once (leaving the page, submitting); cancel drops it (back, forward)', () => {
    const history = new SessionHistory();
    const urls = new UrlHistory(history);
    urls.replaceSoon('/?q=weather');
    urls.flush();
    expect(history.current).toBe('/?q=weather');
    urls.replaceSoon('/?q=weather+now');
    urls.cancel();
    vi.runAllTimers();
    expect(history.current).toBe('/?q=weather');
    urls.flush();
    expect(history.replaceCalls).toBe(1);
  });
});
