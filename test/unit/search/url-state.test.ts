import { describe, expect, test } from 'vitest';
import { decodeSearchState, encodeSearchState, toggleFacet, withFormInput } from '../../../src/lib/search/url-state.ts';
import type { SearchState } from '../../../src/lib/search/types.ts';
import { EMPTY_STATE } from '../../../src/lib/search/types.ts';

const STATES: SearchState[] = [
  EMPTY_STATE,
  { ...EMPTY_STATE, q: 'postgres' },
  { ...EMPTY_STATE, q: 'a&b=c #?/ é 日本 "x"' },
  {
    ...EMPTY_STATE,
    q: 'git',
    kind: ['local'],
    type: ['npm', 'pypi'],
    transport: ['sse'],
    category: ['databases'],
    status: ['active'],
    sort: 'updated',
  },
  {
    ...EMPTY_STATE,
    kind: ['local', 'remote'],
    type: ['mcpb', 'nuget', 'oci'],
    transport: ['sse', 'streamable-http'],
    status: ['active', 'deprecated'],
    sort: 'name',
    publisher: 'io.github.Acme-Labs',
  },
];

describe('search state in the URL', () => {
  test('encode then decode gives the same state', () => {
    for (const state of STATES) expect(decodeSearchState(encodeSearchState(state))).toEqual(state);
  });

  test('encoding is canonical: fixed order, sorted values, defaults left out', () => {
    expect(encodeSearchState(EMPTY_STATE)).toBe('');
    expect(encodeSearchState({ ...EMPTY_STATE, q: 'git hub', type: ['pypi', 'npm'], sort: 'name' })).toBe(
      '?q=git+hub&type=npm&type=pypi&sort=name',
    );
    expect(encodeSearchState({ ...EMPTY_STATE, q: '   ' })).toBe('');
  });

  test('decoding drops what it does not know, so any pasted link loads', () => {
    expect(
      decodeSearchState(
        '?q=x&type=npm&type=cargo&kind=both&sort=random&category=Not%20An%20Id&utm_source=y&status=deleted',
      ),
    ).toEqual({
      ...EMPTY_STATE,
      q: 'x',
      type: ['npm'],
    });
    expect(decodeSearchState('?type=npm&type=npm').type).toEqual(['npm']);
    expect(decodeSearchState(`?q=${'a'.repeat(500)}`).q).toHaveLength(200);
  });

  test('a publisher is one namespace, last in the URL; anything else is dropped', () => {
    expect(encodeSearchState({ ...EMPTY_STATE, q: 'x', sort: 'name', publisher: 'com.example' })).toBe(
      '?q=x&sort=name&publisher=com.example',
    );
    for (const hostile of ['a/b', '<script>', 'a b', '__proto__', '.'.repeat(201)])
      expect(decodeSearchState(`?publisher=${encodeURIComponent(hostile)}`).publisher, hostile).toBe('');
  });

  test('toggling a facet value adds or removes it, keeping the rest', () => {
    const on = toggleFacet({ ...EMPTY_STATE, q: 'x' }, 'type', 'pypi');
    expect(on).toEqual({ ...EMPTY_STATE, q: 'x', type: ['pypi'] });
    expect(toggleFacet(toggleFacet(on, 'type', 'npm'), 'type', 'pypi')).toEqual({
      ...EMPTY_STATE,
      q: 'x',
      type: ['npm'],
    });
  });
});

describe('what was set in the form before hydration', () => {
  const untouched = { q: '', ticked: [], sort: EMPTY_STATE.sort };

  test('an untouched form leaves the URL state as it is', () => {
    const fromUrl = decodeSearchState('?q=git&type=npm&sort=name');
    expect(withFormInput(fromUrl, untouched)).toEqual(fromUrl);
    expect(withFormInput(EMPTY_STATE, untouched)).toEqual(EMPTY_STATE);
  });

  test('text, ticked boxes and a sort are adopted', () => {
    const state = withFormInput(EMPTY_STATE, {
      q: 'postgres',
      ticked: [
        ['type', 'pypi'],
        ['kind', 'remote'],
        ['type', 'npm'],
      ],
      sort: 'name',
    });
    expect(encodeSearchState(state)).toBe('?q=postgres&kind=remote&type=npm&type=pypi&sort=name');
  });

  test("the form's text and sort win over the URL's (the form showed the URL's), its facets are kept and the ticked boxes added once", () => {
    const fromUrl = decodeSearchState('?q=git&type=npm&sort=updated');
    const state = withFormInput(fromUrl, {
      q: 'gitlab',
      ticked: [
        ['type', 'npm'],
        ['transport', 'sse'],
      ],
      sort: 'name',
    });
    expect(encodeSearchState(state)).toBe('?q=gitlab&type=npm&transport=sse&sort=name');
    // A box left empty or a sort left at the default (the form not yet shown the URL's) keeps the URL's.
    expect(withFormInput(fromUrl, untouched)).toEqual(fromUrl);
  });

  test('values the URL would not accept are dropped', () => {
    const state = withFormInput(EMPTY_STATE, {
      q: '',
      ticked: [
        ['type', 'cargo-cult'],
        ['category', 'Not An Id'],
      ],
      sort: 'random',
    });
    expect(state).toEqual(EMPTY_STATE);
  });
});
