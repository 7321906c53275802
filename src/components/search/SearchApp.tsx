/**
 * The catalogue search island. Server-rendered with the first page of servers (so the page lists
 * servers before hydration and without JavaScript, and the form then submits to /search/). Once
 * hydrated, it searches as you type, keeps the whole state in the URL (replaceState once typing
 * pauses, pushState on facet and sort changes, popstate restores) and supports the keyboard: `/` focuses
 * the box, ArrowDown/ArrowUp move through results, Enter opens one.
 *
 * The engine is built on the page in idle slices (load-engine.ts); a keystroke is then searched while
 * React renders the input event, so its results are in the DOM in the same task, before the next frame.
 * Facet counts follow in a render after that frame (they are off the critical path of a keystroke), and
 * the URL is written when typing pauses.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ChangeEvent, KeyboardEvent, SubmitEvent } from 'react';
import type { SearchEngine, SearchResponse } from '../../lib/search/engine.ts';
import { decodeSearchState, encodeSearchState, toggleFacet, withFormInput } from '../../lib/search/url-state.ts';
import type { FacetName, SearchResultItem, SearchState, Sort } from '../../lib/search/types.ts';
import { EMPTY_STATE, SORTS } from '../../lib/search/types.ts';
import { listingPagePath } from '../../lib/site-data/urls.ts';
import { SORT_LABELS } from './labels.ts';
import { loadSearchEngine, warmUpSearchEngine } from './load-engine.ts';
import { readSearchForm } from './search-form.ts';
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
const NO_MORE: readonly number[] = [];
/** Load the index this long after hydration at the latest, even if nobody touches the box. */
const IDLE_LOAD_TIMEOUT_MS = 4000;

type Shown = { response: SearchResponse; state: SearchState };

export default function SearchApp({ indexUrl, initialResults, total, categories }: SearchAppProps) {
  const [state, setState] = useState<SearchState>(EMPTY_STATE);
  const [limit, setLimit] = useState(PAGE_SIZE);
  const [active, setActive] = useState(false);
  const [engine, setEngine] = useState<SearchEngine | undefined>();
  const [error, setError] = useState<string | undefined>();
  /** The newest state, for handlers that keep their identity across keystrokes (memoised children). */
  const stateRef = useRef<SearchState>(EMPTY_STATE);
  const inputRef = useRef<HTMLInputElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const [urlHistory] = useState(() => new UrlHistory(browserHistory));
  const activate = useCallback(() => setActive(true), []);

  // After hydration: adopt the URL's state (a shared link, a reload) and what is in the form (the URL's
  // state shown by SearchFormFromUrl, and whatever the visitor changed since), which React does not know.
  useEffect(() => {
    const initial = withFormInput(
      decodeSearchState(window.location.search),
      readSearchForm(rootRef.current ?? document),
    );
    if (encodeSearchState(initial) !== '') {
      stateRef.current = initial;
      setState(initial);
      setActive(true);
      // What was set before hydration belongs in the URL too, so back and reload keep it.
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
    };
  }, [activate, urlHistory]);

  useEffect(() => {
    if (!active) return;
    const abort = new AbortController();
    loadSearchEngine(indexUrl, abort.signal).then(setEngine, (failure: unknown) => {
      if (!abort.signal.aborted) setError(failure instanceof Error ? failure.message : String(failure));
    });
    return () => abort.abort();
  }, [active, indexUrl]);

  useEffect(() => {
    if (!engine) return;
    const abort = new AbortController();
    const idle = scheduleIdle(() => warmUpSearchEngine(engine, PAGE_SIZE, abort.signal).catch(() => {}));
    return () => {
      idle();
      abort.abort();
    };
  }, [engine]);

  // Searched during the render of the state change itself (an input event renders synchronously).
  const shown = useMemo<Shown | undefined>(
    () => engine && { response: engine.search(state, limit), state },
    [engine, state, limit],
  );

  const update = useCallback(
    (next: SearchState, history: 'push' | 'replace') => {
      stateRef.current = next;
      setState(next);
      setLimit(PAGE_SIZE);
      setActive(true);
      if (history === 'push') urlHistory.push(stateUrl(next));
      else urlHistory.replaceSoon(stateUrl(next));
    },
    [urlHistory],
  );

  const onInput = (event: ChangeEvent<HTMLInputElement>) =>
    update({ ...stateRef.current, q: event.target.value }, 'replace');
  const onToggle = useCallback(
    (facet: FacetName, value: string) => update(toggleFacet(stateRef.current, facet, value), 'push'),
    [update],
  );
  const onSort = (event: ChangeEvent<HTMLSelectElement>) =>
    update({ ...stateRef.current, sort: event.target.value as Sort }, 'push');
  const onPublisher = useCallback((publisher: string) => update({ ...stateRef.current, publisher }, 'push'), [update]);
  const publisherHref = useCallback(
    (publisher: string) => `/search/${encodeSearchState({ ...stateRef.current, publisher })}`,
    [],
  );

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
  const more = shown ? shown.response.more : NO_MORE;
  const count = shown ? shown.response.total : total;
  const categoryOptions = useMemo(() => categories.map(({ id, label }) => ({ value: id, label })), [categories]);
  const categoryLabels = useMemo(() => new Map(categories.map(({ id, label }) => [id, label])), [categories]);
  const waiting = active && !engine && !error;
  const { kind, type, transport, category, status } = state;
  // Same object while only the text changes, so the memoised facets skip re-rendering per keystroke.
  const selected = useMemo(
    () => ({ kind, type, transport, category, status }),
    [kind, type, transport, category, status],
  );
  // Counts change with every keystroke but are not what the keystroke waits for: counted (on first read)
  // and rendered only once the frame showing the results has started, so they never delay it.
  const [facetSource, setFacetSource] = useState<SearchResponse | undefined>();
  useEffect(() => {
    const frame = requestAnimationFrame(() => setFacetSource(shown?.response));
    return () => cancelAnimationFrame(frame);
  }, [shown]);

  return (
    <div ref={rootRef} className="search-app" data-ready={engine ? 'true' : 'false'}>
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
        {state.publisher !== '' && (
          <p className="search-publisher small">
            From <span className="mono">{state.publisher}</span> only{' '}
            <button className="button button-secondary" type="button" onClick={() => onPublisher('')}>
              Show every publisher
            </button>
          </p>
        )}
        <label className="search-sort">
          Sort by{' '}
          <select name="sort" value={state.sort} onChange={onSort}>
            {SORTS.map((sort) => (
              <option key={sort} value={sort}>
                {SORT_LABELS[sort]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="search-app-body">
        <SearchFacets
          selected={selected}
          counts={facetSource?.facets}
          categories={categoryOptions}
          onToggle={onToggle}
        />
        <div ref={listRef} className="search-app-results">
          <SearchResults
            items={items}
            more={more}
            publisherHref={publisherHref}
            onPublisher={onPublisher}
            categoryLabels={categoryLabels}
            resultsFor={shown ? encodeSearchState(shown.state) : ''}
            onKeyDown={onListKeyDown}
          />
          {count > items.length && shown && (
            <button
              className="button button-secondary search-more"
              type="button"
              onClick={() => setLimit(limit + PAGE_SIZE)}
            >
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
