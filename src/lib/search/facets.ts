/**
 * Facet filtering and counting over bit sets, so a keystroke can count facets over 100k matches.
 * Values within one facet combine with OR (npm or pypi), facets with AND (npm and remote). A value's
 * count is the number of results if it were selected in addition to the other facets' selections,
 * so counts do not drop to zero just because a sibling value is selected.
 */
import type { SearchDoc } from './index-file.ts';
import type { FacetCounts, FacetName, SearchState } from './types.ts';
import { KINDS, LISTED_STATUSES, PACKAGE_TYPES, REMOTE_TRANSPORTS } from './types.ts';

/** Facets with a fixed list of values, each value one bit of a document's bit set. */
const FIXED_FACETS = {
  kind: KINDS,
  type: PACKAGE_TYPES,
  transport: REMOTE_TRANSPORTS,
  status: LISTED_STATUSES,
} as const;
type FixedFacet = keyof typeof FIXED_FACETS;
const FIXED_FACET_NAMES = Object.keys(FIXED_FACETS) as FixedFacet[];

const BIT_OF = {} as Record<FixedFacet, Map<string, number>>;
const FACET_OF_BIT: FixedFacet[] = [];
const VALUE_OF_BIT: string[] = [];
for (const facet of FIXED_FACET_NAMES) {
  BIT_OF[facet] = new Map();
  for (const value of FIXED_FACETS[facet]) {
    BIT_OF[facet].set(value, FACET_OF_BIT.length);
    FACET_OF_BIT.push(facet);
    VALUE_OF_BIT.push(value);
  }
}

export function emptyFacetCounts(): FacetCounts {
  return { kind: {}, type: {}, transport: {}, category: {}, status: {} };
}

/** The facet values of every document, as bit sets and category numbers. */
export class FacetTable {
  private readonly bits: Uint32Array;
  private readonly categoryIds: string[] = [];
  /** Category numbers of document `d`: `categoryList[categoryStart[d]]` up to `categoryStart[d + 1]`. */
  private readonly categoryStart: Int32Array;
  private readonly categoryList: Int32Array;

  constructor(docs: readonly SearchDoc[]) {
    const categoryAt = new Map<string, number>();
    this.bits = new Uint32Array(docs.length);
    this.categoryStart = new Int32Array(docs.length + 1);
    const list: number[] = [];
    docs.forEach((doc, at) => {
      let bits = 1 << (BIT_OF.status.get(doc.status) ?? 0);
      for (const value of doc.kinds) bits |= 1 << (BIT_OF.kind.get(value) ?? 0);
      for (const value of doc.packageTypes) bits |= 1 << (BIT_OF.type.get(value) ?? 0);
      for (const value of doc.transports) bits |= 1 << (BIT_OF.transport.get(value) ?? 0);
      this.bits[at] = bits;
      for (const id of doc.categories) {
        let number = categoryAt.get(id);
        if (number === undefined) {
          number = this.categoryIds.length;
          categoryAt.set(id, number);
          this.categoryIds.push(id);
        }
        list.push(number);
      }
      this.categoryStart[at + 1] = list.length;
    });
    this.categoryList = Int32Array.from(list);
  }

  /** The `candidates` (document numbers matching the text query) that pass every selected facet. */
  filter(candidates: Int32Array, state: SearchState): Int32Array {
    const groups = this.selectedGroups(state);
    if (groups.length === 0) return candidates;
    const kept = new Int32Array(candidates.length);
    let keptCount = 0;
    for (const doc of candidates) {
      if (groups.every((group) => this.passes(doc, group))) kept[keptCount++] = doc;
    }
    return kept.subarray(0, keptCount);
  }

  /** Counts facet values over `candidates`, each value as if it were added to the other facets' selections. */
  count(candidates: ArrayLike<number>, state: SearchState): FacetCounts {
    const groups = this.selectedGroups(state);
    const bitCounts = new Int32Array(VALUE_OF_BIT.length);
    const categoryCounts = new Int32Array(this.categoryIds.length);
    for (let at = 0; at < candidates.length; at++) {
      const doc = candidates[at];
      let failedGroup = -1;
      let failures = 0;
      for (let group = 0; group < groups.length && failures < 2; group++) {
        if (!this.passes(doc, groups[group])) {
          failedGroup = group;
          failures++;
        }
      }
      if (failures > 1) continue;
      const only = failures === 1 ? groups[failedGroup].facet : undefined;
      // Walk the set bits only (lowest first).
      for (let rest = this.bits[doc]; rest !== 0; rest &= rest - 1) {
        const bit = 31 - Math.clz32(rest & -rest);
        if (only === undefined || only === FACET_OF_BIT[bit]) bitCounts[bit]++;
      }
      if (only === undefined || only === 'category') {
        for (let at = this.categoryStart[doc]; at < this.categoryStart[doc + 1]; at++)
          categoryCounts[this.categoryList[at]]++;
      }
    }
    const facets = emptyFacetCounts();
    bitCounts.forEach((count, bit) => {
      if (count > 0) facets[FACET_OF_BIT[bit]][VALUE_OF_BIT[bit]] = count;
    });
    categoryCounts.forEach((count, category) => {
      if (count > 0) facets.category[this.categoryIds[category]] = count;
    });
    return facets;
  }

  private passes(doc: number, group: SelectedGroup): boolean {
    if (group.facet !== 'category') return (this.bits[doc] & group.mask) !== 0;
    for (let at = this.categoryStart[doc]; at < this.categoryStart[doc + 1]; at++) {
      if (group.categories.has(this.categoryList[at])) return true;
    }
    return false;
  }

  private selectedGroups(state: SearchState): SelectedGroup[] {
    const groups: SelectedGroup[] = [];
    for (const facet of FIXED_FACET_NAMES) {
      const selected: readonly string[] = state[facet];
      if (selected.length === 0) continue;
      const mask = selected.reduce((bits, value) => {
        const bit = BIT_OF[facet].get(value);
        return bit === undefined ? bits : bits | (1 << bit);
      }, 0);
      groups.push({ facet, mask, categories: new Set() });
    }
    if (state.category.length > 0) {
      const categories = new Set<number>();
      for (const id of state.category) {
        const number = this.categoryIds.indexOf(id);
        if (number >= 0) categories.add(number);
      }
      groups.push({ facet: 'category', mask: 0, categories });
    }
    return groups;
  }
}

interface SelectedGroup {
  facet: FacetName;
  /** For fixed facets: the bits of the selected values. */
  mask: number;
  /** For categories: the selected category numbers. */
  categories: Set<number>;
}
