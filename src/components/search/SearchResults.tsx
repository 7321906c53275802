/** The results list. Every text comes from manifests and is rendered through React's escaping only. */
import { memo } from 'react';
import type { KeyboardEvent, MouseEvent } from 'react';
import type { SearchResultItem } from '../../lib/search/types.ts';
import { serverPath } from '../../lib/site-data/urls.ts';
import { KIND_LABELS, PACKAGE_TYPE_LABELS, TRANSPORT_LABELS } from './labels.ts';

interface Props {
  items: readonly SearchResultItem[];
  /** For each item, how many more results of its namespace it stands for (collapsed under it). */
  more: readonly number[];
  /** The link that lists one namespace's results (`?q=...&publisher=ns`). */
  publisherHref(namespace: string): string;
  onPublisher(namespace: string): void;
  categoryLabels: ReadonlyMap<string, string>;
  /** Canonical query string of the state these results answer (for tests and benchmarks). */
  resultsFor: string;
  onKeyDown(event: KeyboardEvent<HTMLOListElement>): void;
}

/** Memoised: re-rendered only when the results change (not for facet counts or the URL). */
export const SearchResults = memo(function SearchResults({
  items,
  more,
  publisherHref,
  onPublisher,
  categoryLabels,
  resultsFor,
  onKeyDown,
}: Props) {
  return (
    <ol
      id="search-results"
      className="search-results"
      aria-label="Search results"
      data-results-for={resultsFor}
      onKeyDown={onKeyDown}
    >
      {items.map((item, position) => (
        // Keyed by position: a keystroke rewrites the texts of the rows in place rather than replacing them.
        <li key={position} className="search-result">
          <a className="search-result-link" href={serverPath(item.name)}>
            <span className="search-result-title">{item.title ?? item.name}</span>
            {item.title && <span className="search-result-name mono">{item.name}</span>}
          </a>
          {item.status === 'deprecated' && (
            <span className="chip chip-warning" title="The publisher marked this server deprecated">
              Deprecated
            </span>
          )}
          <p className="search-result-description">{item.description}</p>
          <p className="search-result-facts small muted">
            {[
              ...item.kinds.map((kind) => KIND_LABELS[kind]),
              ...item.packageTypes.map((type) => PACKAGE_TYPE_LABELS[type]),
              ...item.transports.map((transport) => TRANSPORT_LABELS[transport]),
              ...item.categories.map((id) => categoryLabels.get(id) ?? id),
            ].join(' · ')}
            {' · updated '}
            <time dateTime={item.updated}>{item.updated}</time>
          </p>
          {(more[position] ?? 0) > 0 && (
            <a
              className="search-result-group small"
              href={publisherHref(namespaceOf(item.name))}
              onClick={(event: MouseEvent<HTMLAnchorElement>) => {
                if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
                event.preventDefault();
                onPublisher(namespaceOf(item.name));
              }}
            >
              and {more[position].toLocaleString('en')} more from this publisher ({namespaceOf(item.name)})
            </a>
          )}
        </li>
      ))}
    </ol>
  );
});

const namespaceOf = (name: string): string => name.slice(0, name.indexOf('/'));
