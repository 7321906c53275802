/**
 * The server-rendered search form before the island hydrates (client:idle, possibly seconds after the
 * page shows): it is shown the URL's search as soon as the page is parsed, so a visitor arriving with
 * `?q=` sees their query and types on from it, and on hydration the island adopts whatever is in it.
 */
import type { FormInput } from '../../lib/search/url-state.ts';
import type { FacetName, SearchState } from '../../lib/search/types.ts';
import { EMPTY_STATE } from '../../lib/search/types.ts';

const FACET_BOXES = 'input[data-facet]';

/** The form's controls as the visitor left them. */
export function readSearchForm(root: ParentNode): FormInput {
  const ticked = [...root.querySelectorAll<HTMLInputElement>(`${FACET_BOXES}:checked`)];
  return {
    q: root.querySelector<HTMLInputElement>('#search-q')?.value ?? '',
    ticked: ticked.map((box) => [box.dataset.facet as FacetName, box.dataset.value ?? '']),
    sort: root.querySelector<HTMLSelectElement>('select[name="sort"]')?.value ?? EMPTY_STATE.sort,
  };
}

/**
 * Shows `state` in the form without undoing anything the visitor has done: text only into an empty
 * box, a sort only over the default, boxes only ticked.
 */
export function showInSearchForm(root: ParentNode, state: SearchState): void {
  const box = root.querySelector<HTMLInputElement>('#search-q');
  if (box && box.value === '') box.value = state.q;
  const sort = root.querySelector<HTMLSelectElement>('select[name="sort"]');
  if (sort && sort.value === EMPTY_STATE.sort) sort.value = state.sort;
  for (const facetBox of root.querySelectorAll<HTMLInputElement>(FACET_BOXES)) {
    const facet = facetBox.dataset.facet as FacetName;
    if ((state[facet] as readonly string[] | undefined)?.includes(facetBox.dataset.value ?? ''))
      facetBox.checked = true;
  }
}
