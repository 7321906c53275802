/**
 * The search state <-> the URL query string (`?q=git&type=npm&type=pypi&sort=updated`).
 * Decoding is forgiving: unknown parameters and values are dropped, so any pasted link loads.
 * Encoding is canonical: fixed parameter order, defaults omitted, values deduplicated and sorted.
 */
import type { FacetName, SearchState, Sort } from './types.ts';
import { EMPTY_STATE, KINDS, LISTED_STATUSES, PACKAGE_TYPES, REMOTE_TRANSPORTS, SORTS } from './types.ts';

const MAX_QUERY_LENGTH = 200;
/** A server namespace as the registry's name rule allows it. */
const NAMESPACE = /^[a-zA-Z0-9.-]{1,200}$/;
const VOCABULARY_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

const ALLOWED: Record<FacetName, (value: string) => boolean> = {
  kind: (value) => (KINDS as readonly string[]).includes(value),
  type: (value) => (PACKAGE_TYPES as readonly string[]).includes(value),
  transport: (value) => (REMOTE_TRANSPORTS as readonly string[]).includes(value),
  category: (value) => VOCABULARY_ID.test(value),
  status: (value) => (LISTED_STATUSES as readonly string[]).includes(value),
};

const FACET_ORDER: readonly FacetName[] = ['kind', 'type', 'transport', 'category', 'status'];

function selected(params: URLSearchParams, facet: FacetName): string[] {
  return [...new Set(params.getAll(facet).filter(ALLOWED[facet]))].sort();
}

export function decodeSearchState(query: string | URLSearchParams): SearchState {
  const params = typeof query === 'string' ? new URLSearchParams(query) : query;
  const sort = params.get('sort');
  return {
    q: (params.get('q') ?? '').slice(0, MAX_QUERY_LENGTH),
    kind: selected(params, 'kind') as SearchState['kind'],
    type: selected(params, 'type') as SearchState['type'],
    transport: selected(params, 'transport') as SearchState['transport'],
    category: selected(params, 'category'),
    status: selected(params, 'status') as SearchState['status'],
    sort: sort !== null && (SORTS as readonly string[]).includes(sort) ? (sort as Sort) : EMPTY_STATE.sort,
    publisher: NAMESPACE.test(params.get('publisher') ?? '') ? params.get('publisher')! : '',
  };
}

/** `?q=...&type=npm` or the empty string for the default state. */
export function encodeSearchState(state: SearchState): string {
  const params = new URLSearchParams();
  if (state.q.trim() !== '') params.set('q', state.q);
  for (const facet of FACET_ORDER) {
    for (const value of [...new Set<string>(state[facet])].sort()) params.append(facet, value);
  }
  if (state.sort !== EMPTY_STATE.sort) params.set('sort', state.sort);
  if (state.publisher !== '') params.set('publisher', state.publisher);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** What a visitor can set in the server-rendered form before the island hydrates. */
export interface FormInput {
  q: string;
  /** The ticked facet boxes, as [facet, value]. */
  ticked: [FacetName, string][];
  sort: string;
}

/**
 * The state to start from on hydration: the URL's, with what is in the form on top. The form shows the
 * URL's state from the moment the page is parsed, so where its text or sort differ the visitor changed
 * them, and that wins; ticked boxes are added to the URL's facets. Values are checked as the URL's are.
 */
export function withFormInput(state: SearchState, form: FormInput): SearchState {
  const params = new URLSearchParams(encodeSearchState(state));
  if (form.q.trim() !== '') params.set('q', form.q);
  for (const [facet, value] of form.ticked) params.append(facet, value);
  if (form.sort !== EMPTY_STATE.sort) params.set('sort', form.sort);
  return decodeSearchState(params);
}

/** Selecting or clearing one value of a facet, keeping the rest of the state. */
export function toggleFacet(state: SearchState, facet: FacetName, value: string): SearchState {
  const current: readonly string[] = state[facet];
  const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value].sort();
  return { ...state, [facet]: next };
}
