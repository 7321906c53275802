/**
 * Keeps the address bar in step with the search state. Typing replaces the history entry, but only once
 * the typing pauses: `history.replaceState` costs a browser-process round trip (about a millisecond, and
 * Chromium ignores calls beyond about 200 in 10 s), so doing it on every keystroke slowed typing and could
 * leave a stale URL. Facet and sort changes push an entry at once, after writing any pending replacement
 * so that the entry they leave holds what was typed.
 */
export interface HistoryLike {
  pushState(data: unknown, unused: string, url: string): void;
  replaceState(data: unknown, unused: string, url: string): void;
}

/** How long typing must pause before the URL is rewritten. */
export const URL_SETTLE_MS = 250;

export class UrlHistory {
  private pending: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly history: HistoryLike;
  private readonly settleMs: number;

  constructor(history: HistoryLike, settleMs = URL_SETTLE_MS) {
    this.history = history;
    this.settleMs = settleMs;
  }

  /** Replaces the current entry's URL once calls stop coming for `settleMs`. */
  replaceSoon(url: string): void {
    this.pending = url;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.settleMs);
  }

  /** Writes a pending replacement now (before leaving the page, pushing or submitting). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending === undefined) return;
    const url = this.pending;
    this.pending = undefined;
    this.history.replaceState(null, '', url);
  }

  push(url: string): void {
    this.flush();
    this.history.pushState(null, '', url);
  }

  /** Drops a pending replacement (the user went back or forward: that entry's URL is the truth). */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
  }
}
