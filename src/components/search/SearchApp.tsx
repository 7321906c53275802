/**
 * The catalogue search island. Server-rendered with the first page of servers (so the page lists
 * servers before hydration and without JavaScript, and the form then submits to /search/). Once
 * hydrated, it searches as you type in a Web Worker, keeps the whole state in the URL (replaceState
 * once typing pauses, pushState on facet and sort changes, popstate restores) and supports the keyboard:
 * `/` focuses the box, ArrowDown/ArrowUp move through results, Enter opens one.
 *
 * Per keystroke it does as little as it can before the results are on screen: the query goes to the
 * worker from the input handler itself (not from an effect after React has rendered), the answer is
 * rendered synchronously in the worker's message task, the results list and the facets are memoised so
 * that a keystroke re-renders only the box and the count, and the URL is written when typing pauses.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { ChangeEvent, KeyboardEvent, SubmitEvent } from 'react';
import type { SearchResponse } from '../../lib/search/engine.ts';
import { decodeSearchState, encodeSearchState, toggleFacet } from '../../lib/search/url-state.ts';
import type { FacetName, SearchResultItem, SearchState, Sort } from '../../lib/search/types.ts';
import { EMPTY_STATE, SORTS } from '../../lib/search/types.ts';
import { listingPagePath } from '../../lib/site-data/urls.ts';
import { SORT_LABELS } from './labels.ts';
import { SearchClient } from './search-client.ts';
import { SearchFacets } from './SearchFacets.tsx';
import { SearchResults } from './SearchResults.tsx';
import { UrlHistory } from './url-history.ts';
import './search.css';

export interface SearchAppProps {
  /** Where the search index is served, e.g. `/search-index.json`. */
  indexUrl: string;
  /** The first page for an empty query (most recently updated first), server-rendered. */
  initialResults: SearchResultItem[];
  /** Number of listed servers. */
  total: number;
  categories: { id: string; label: string }[];
}

const PAGE_SIZE = 20;
/** Load the index this long after hydration at the latest, even if nobody touches the box. */
const IDLE_LOAD_TIMEOUT_MS = 4000;

type Shown = { response: SearchResponse; state: SearchState };

export default function SearchApp({ indexUrl, initialResults, total, categories }: SearchAppProps) {
  const [state, setState] = useState<SearchState>(EMPTY_STATE);
  const [limit, setLimit] = useState(PAGE_SIZE);
  const [active, setActive] = useState(false);
  const [ready, setReady] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [shown, setShown] = useState<Shown | undefined>();
  /** The newest state, for handlers that keep their identity across keystrokes (memoised children). */
  const stateRef = useRef<SearchState>(EMPTY_STATE);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const [urlHistory] = useState(() => new UrlHistory(browserHistory));
  const client = useMemo(
    () =>
      new SearchClient(indexUrl, {
        onReady: () => setReady(true),
        // Rendered within the worker's message task, not in a later scheduler task.
        onResults: (response, answered) => flushSync(() => setShown({ response, state: answered })),
        onError: setError,
      }),
    [indexUrl],
  );
  const activate = useCallback(() => setActive(true), []);

  // After hydration: adopt the URL's state (a shared link, a reload) and what was typed before hydration.
  useEffect(() => {
    const fromUrl = decodeSearchState(window.location.search);
    const typed = inputRef.current?.value ?? '';
    const initial = fromUrl.q === '' && typed !== '' ? { ...fromUrl, q: typed } : fromUrl;
    if (encodeSearchState(initial) !== '') {
      stateRef.current = initial;
      setState(initial);
      setActive(true);
      // Text typed before hydration belongs in the URL too, so back and reload keep it.
      window.history.replaceState(null, '', stateUrl(initial));
    }
    const onPopState = () => {
      urlHistory.cancel();
      stateRef.current = decodeSearchState(window.location.search);
      setState(stateRef.current);
      setLimit(PAGE_SIZE);
      setActive(true);
    };
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key !== '/' || event.metaKey || event.ctrlKey || event.altKey || isEditable(event.target)) return;
      event.preventDefault();
      inputRef.current?.focus();
    };
    // Leaving the page (a result link, reload, closing) writes what was typed, so back and reload keep it.
    const onPageHide = () => urlHistory.flush();
    const idle = scheduleIdle(activate);
    window.addEventListener('popstate', onPopState);
    window.addEventListener('pagehide', onPageHide);
    document.addEventListener('keydown', onKey);
    return () => {
      idle();
      urlHistory.flush();
      window.removeEventListener('popstate', onPopState);
      window.removeEventListener('pagehide', onPageHide);
      document.removeEventListener('keydown', onKey);
      client.dispose();
    };
  }, [client, activate, urlHistory]);

  useEffect(() => {
    if (active) client.search(state, limit);
  }, [client, active, state, limit]);

  const update = useCallback(
    (next: SearchState, history: 'push' | 'replace') => {
      stateRef.current = next;
      setState(next);
      setLimit(PAGE_SIZE);
      setActive(true);
      // Ask now: the worker searches while React renders the keystroke (the effect below then finds it asked).
      client.search(next, PAGE_SIZE);
      if (history === 'push') urlHistory.push(stateUrl(next));
      else urlHistory.replaceSoon(stateUrl(next));
    },
    [client, urlHistory],
  );

  const onInput = (event: ChangeEvent<HTMLInputElement>) => update({ ...stateRef.current, q: event.target.value }, 'replace');
  const onToggle = useCallback((facet: FacetName, value: string) => update(toggleFacet(stateRef.current, facet, value), 'push'), [update]);
  const onSort = (event: ChangeEvent<HTMLSelectElement>) => update({ ...stateRef.current, sort: event.target.value as Sort }, 'push');

  // Search is live once hydrated; submitting would only reload the same results.
  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    urlHistory.flush();
    activate();
  };

  const onInputKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'ArrowDown') return;
    const first = resultLinks(listRef.current)[0];
    if (first) {
      event.preventDefault();
      first.focus();
    }
  };

  const onListKeyDown = useCallback((event: KeyboardEvent<HTMLOListElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const links = resultLinks(listRef.current);
    const at = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (at < 0) return;
    event.preventDefault();
    const next = event.key === 'ArrowDown' ? Math.min(at + 1, links.length - 1) : at - 1;
    if (next < 0) inputRef.current?.focus();
    else links[next].focus();
  }, []);

  const items = shown ? shown.response.items : initialResults;
  const count = shown ? shown.response.total : total;
  const categoryOptions = useMemo(() => categories.map(({ id, label }) => ({ value: id, label })), [categories]);
  const categoryLabels = useMemo(() => new Map(categories.map(({ id, label }) => [id, label])), [categories]);
  const waiting = active && !ready && !error;
  const { kind, type, transport, category, status } = state;
  // Same object while only the text changes, so the memoised facets skip re-rendering per keystroke.
  const selected = useMemo(() => ({ kind, type, transport, category, status }), [kind, type, transport, category, status]);

  return (
    <div className="search-app" data-ready={ready ? 'true' : 'false'}>
      <form className="search-form search-app-form" role="search" action="/search/" method="get" onSubmit={onSubmit}>
        <label className="visually-hidden" htmlFor="search-q">
          Search servers
        </label>
        <input
          ref={inputRef}
          id="search-q"
          type="search"
          name="q"
          value={state.q}
          onChange={onInput}
          onFocus={activate}
          onKeyDown={onInputKeyDown}
          placeholder="Search by name, package or purpose (press /)"
          autoComplete="off"
          spellCheck={false}
          aria-controls="search-results"
          aria-describedby="search-count"
        />
        <button className="button" type="submit">
          Search
        </button>
      </form>
      <div className="search-app-bar">
        <p id="search-count" className="search-count" role="status" aria-live="polite" aria-atomic="true">
          {error
            ? `Search is unavailable (${error}).`
            : waiting && state.q !== ''
              ? 'Loading the search index…'
              : `${count.toLocaleString('en')} ${count === 1 ? 'server' : 'servers'}${shown && shown.state.q.trim() !== '' ? ` matching “${shown.state.q.trim()}”` : ''}`}
        </p>
        <label className="search-sort">
          Sort by{' '}
          <select value={state.sort} onChange={onSort}>
            {SORTS.map((sort) => (
              <option key={sort} value={sort}>
                {SORT_LABELS[sort]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="search-app-body">
        <SearchFacets selected={selected} counts={shown?.response.facets} categories={categoryOptions} onToggle={onToggle} />
        <div ref={listRef} className="search-app-results">
          <SearchResults
            items={items}
            categoryLabels={categoryLabels}
            resultsFor={shown ? encodeSearchState(shown.state) : ''}
            onKeyDown={onListKeyDown}
          />
          {count > items.length && shown && (
            <button className="button button-secondary search-more" type="button" onClick={() => setLimit(limit + PAGE_SIZE)}>
              Show more
            </button>
          )}
          {count > items.length && !shown && (
            <p className="small">
              <a href={listingPagePath(1)}>Browse all servers</a>
            </p>
          )}
        </div>
      </div>
    </div>
  );
}

const browserHistory = {
  pushState: (data: unknown, unused: string, url: string) => window.history.pushState(data, unused, url),
  replaceState: (data: unknown, unused: string, url: string) => window.history.replaceState(data, unused, url),
};

function resultLinks(list: HTMLElement | null): HTMLAnchorElement[] {
  return [...(list?.querySelectorAll<HTMLAnchorElement>('.search-result-link') ?? [])];
}

function stateUrl(state: SearchState): string {
  return `${window.location.pathname}${encodeSearchState(state)}${window.location.hash}`;
}

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** Runs `task` when the browser is idle (or after a timeout); returns a canceller. */
function scheduleIdle(task: () => void): () => void {
  if ('requestIdleCallback' in window) {
    const handle = window.requestIdleCallback(task, { timeout: IDLE_LOAD_TIMEOUT_MS });
    return () => window.cancelIdleCallback(handle);
  }
  const handle = setTimeout(task, IDLE_LOAD_TIMEOUT_MS);
  return () => clearTimeout(handle);
}
