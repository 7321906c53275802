/**
 * The facet panel: one fieldset of checkboxes per facet, each value with its result count. A <details>
 * so that on a phone the filters fold away above the results; on wide screens CSS keeps it open.
 */
import { memo } from 'react';
import type { FacetCounts, FacetName, SearchState } from '../../lib/search/types.ts';
import { KINDS, LISTED_STATUSES, PACKAGE_TYPES, REMOTE_TRANSPORTS } from '../../lib/search/types.ts';
import { FACET_LEGENDS, KIND_LABELS, PACKAGE_TYPE_LABELS, STATUS_LABELS, TRANSPORT_LABELS } from './labels.ts';

export interface FacetOption {
  value: string;
  label: string;
}

interface Props {
  /** The selected values of each facet (not the text, so typing does not re-render the panel). */
  selected: Pick<SearchState, FacetName>;
  /** Undefined until the index has loaded: options are shown without counts. */
  counts: FacetCounts | undefined;
  categories: FacetOption[];
  onToggle(facet: FacetName, value: string): void;
}

const options = <T extends string>(values: readonly T[], labels: Record<T, string>): FacetOption[] =>
  values.map((value) => ({ value, label: labels[value] }));

export const SearchFacets = memo(function SearchFacets({ selected, counts, categories, onToggle }: Props) {
  const groups: [FacetName, FacetOption[]][] = [
    ['kind', options(KINDS, KIND_LABELS)],
    ['type', options(PACKAGE_TYPES, PACKAGE_TYPE_LABELS)],
    ['transport', options(REMOTE_TRANSPORTS, TRANSPORT_LABELS)],
    ['category', categories],
    ['status', options(LISTED_STATUSES, STATUS_LABELS)],
  ];
  const active = groups.reduce((sum, [facet]) => sum + (selected[facet] as readonly string[]).length, 0);
  return (
    <details className="search-facets">
      <summary>Filters{active > 0 ? ` (${active} on)` : ''}</summary>
      {groups
        .filter(([, values]) => values.length > 0)
        .map(([facet, values]) => (
          <fieldset key={facet} className="search-facet">
            <legend>{FACET_LEGENDS[facet]}</legend>
            {values.map(({ value, label }) => {
              const checked = (selected[facet] as readonly string[]).includes(value);
              const count = counts?.[facet][value] ?? 0;
              return (
                <label
                  key={value}
                  className={counts && count === 0 && !checked ? 'search-facet-option is-empty' : 'search-facet-option'}
                >
                  <input
                    type="checkbox"
                    checked={checked}
                    onChange={() => onToggle(facet, value)}
                    data-facet={facet}
                    data-value={value}
                  />
                  <span>{label}</span>
                  {counts && <span className="search-facet-count">{count}</span>}
                </label>
              );
            })}
          </fieldset>
        ))}
    </details>
  );
});
