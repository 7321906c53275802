import { describe, expect, test } from 'vitest';
import { decodeSearchState, encodeSearchState, toggleFacet } from '../../../src/lib/search/url-state.ts';
import type { SearchState } from '../../../src/lib/search/types.ts';
import { EMPTY_STATE } from '../../../src/lib/search/types.ts';

const STATES: SearchState[] = [
  EMPTY_STATE,
  { ...EMPTY_STATE, q: 'postgres' },
  { ...EMPTY_STATE, q: 'a&b=c #?/ é 日本 "x"' },
  { ...EMPTY_STATE, q: 'git', kind: ['local'], type: ['npm', 'pypi'], transport: ['sse'], category: ['databases'], status: ['active'], sort: 'updated' },
  { ...EMPTY_STATE, kind: ['local', 'remote'], type: ['mcpb', 'nuget', 'oci'], transport: ['sse', 'streamable-http'], status: ['active', 'deprecated'], sort: 'name' },
];

describe('search state in the URL', () => {
  test('encode then decode gives the same state', () => {
    for (const state of STATES) expect(decodeSearchState(encodeSearchState(state))).toEqual(state);
  });

  test('encoding is canonical: fixed order, sorted values, defaults left out', () => {
    expect(encodeSearchState(EMPTY_STATE)).toBe('');
    expect(encodeSearchState({ ...EMPTY_STATE, q: 'git hub', type: ['pypi', 'npm'], sort: 'name' })).toBe('?q=git+hub&type=npm&type=pypi&sort=name');
    expect(encodeSearchState({ ...EMPTY_STATE, q: '   ' })).toBe('');
  });

  test('decoding drops what it does not know, so any pasted link loads', () => {
    expect(decodeSearchState('?q=x&type=npm&type=cargo&kind=both&sort=random&category=Not%20An%20Id&utm_source=y&status=deleted')).toEqual({
      ...EMPTY_STATE,
      q: 'x',
      type: ['npm'],
    });
    expect(decodeSearchState('?type=npm&type=npm').type).toEqual(['npm']);
    expect(decodeSearchState(`?q=${'a'.repeat(500)}`).q).toHaveLength(200);
  });

  test('toggling a facet value adds or removes it, keeping the rest', () => {
    const on = toggleFacet({ ...EMPTY_STATE, q: 'x' }, 'type', 'pypi');
    expect(on).toEqual({ ...EMPTY_STATE, q: 'x', type: ['pypi'] });
    expect(toggleFacet(toggleFacet(on, 'type', 'npm'), 'type', 'pypi')).toEqual({ ...EMPTY_STATE, q: 'x', type: ['npm'] });
  });
});
