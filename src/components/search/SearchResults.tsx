/** The results list. Every text comes from manifests and is rendered through React's escaping only. */
import { memo } from 'react';
import type { KeyboardEvent } from 'react';
import type { SearchResultItem } from '../../lib/search/types.ts';
import { serverPath } from '../../lib/site-data/urls.ts';
import { KIND_LABELS, PACKAGE_TYPE_LABELS, TRANSPORT_LABELS } from './labels.ts';

interface Props {
  items: readonly SearchResultItem[];
  categoryLabels: ReadonlyMap<string, string>;
  /** Canonical query string of the state these results answer (for tests and benchmarks). */
  resultsFor: string;
  onKeyDown(event: KeyboardEvent<HTMLOListElement>): void;
}

/** Memoised: re-rendered only when the results change (not for facet counts or the URL). */
export const SearchResults = memo(function SearchResults({ items, categoryLabels, resultsFor, onKeyDown }: Props) {
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
        </li>
      ))}
    </ol>
  );
});
