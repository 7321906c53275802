/**
 * The query engine the island runs: an inverted index over words, with prefix matching (binary
 * search in the sorted vocabulary) and typo tolerance (trigram candidates checked by bounded edit
 * distance). A query touches only the postings of the words it expands to, never every record,
 * which is what keeps a keystroke within a frame at 100k servers (see docs/search.md).
 */
import { boundedEditDistance } from './edit-distance.ts';
import { FacetTable } from './facets.ts';
import { runAtOnce } from './slices.ts';
import type { Steps } from './slices.ts';
import type { SearchDoc } from './index-file.ts';
import { canonical, tokenize } from './text.ts';
import type { FacetCounts, SearchState } from './types.ts';
import { EMPTY_STATE } from './types.ts';

/** How much a word counts by where it occurs. */
const FIELD_WEIGHTS = {
  name: 3,
  title: 3,
  packages: 2,
  vocabulary: 1.5,
  namespace: 1.2,
  description: 1,
} as const;

/** How much a word counts by how it matched the query word. */
const MATCH_QUALITY = { exact: 1, prefixMax: 0.9, prefixMin: 0.6, oneTypo: 0.55, twoTypos: 0.4, typoPrefix: 0.45 };

/** Added on top of word scores so whole-name and whole-title matches come first, then name prefixes. */
const EXACT_NAME_BOOST = 1000;
const NAME_PREFIX_BOOST = 40;

const MAX_QUERY_WORDS = 8;
/** Shorter words are matched exactly or as prefixes only: one edit in four letters is another word (`gith` / `with`). */
const MIN_TYPO_LENGTH = 5;

export interface SearchResponse {
  /** The first `limit` matching documents in the requested order. */
  items: SearchDoc[];
  total: number;
  /** Counted when first read, so that showing the results need not wait for the counts. */
  readonly facets: FacetCounts;
}

interface Expansion {
  wordId: number;
  quality: number;
}

export class SearchEngine {
  readonly docs: readonly SearchDoc[];
  /** Word -> id; word `id`'s postings are `postingStart[id]` to `postingStart[id + 1]`. */
  private readonly wordIds: Map<string, number>;
  private readonly words: string[];
  /** Word ids sorted by word, for prefix ranges. */
  private readonly sortedWordIds: Int32Array;
  private readonly postingStart: Int32Array;
  /** Documents containing each word, in document order, and the word's best field weight there. */
  private readonly postingDocs: Int32Array;
  private readonly postingWeights: Float32Array;
  /** Bigram (with a leading `^`) -> ids of words containing it, for typo candidates. */
  private readonly bigrams: Map<string, number[]>;
  /** Short names, titles and full names, as words joined by single spaces. */
  private readonly canonicalShortNames: string[];
  private readonly canonicalTitles: string[];
  private readonly canonicalNames: string[];
  private readonly nameOrder: Int32Array;
  private readonly facetTable: FacetTable;
  /** Scratch arrays reused by every query (sized to the collection). */
  private readonly scores: Float64Array;
  private readonly termScores: Float64Array;
  private readonly matchedTerms: Uint32Array;
  /** Documents a query word (`termTouched`) and the whole query (`touched`) have reached so far. */
  private readonly termTouched: Int32Array;
  private readonly touched: Int32Array;
  private readonly sharedGramCounts: Uint16Array;

  /**
   * Builds the index at once from `docs`, or takes `parts` built from the same `docs` beforehand
   * (in slices: see `searchEngineParts`).
   */
  constructor(docs: readonly SearchDoc[], parts: SearchEngineParts = runAtOnce(searchEngineParts(docs))) {
    this.docs = docs;
    this.wordIds = parts.wordIds;
    this.words = parts.words;
    this.sortedWordIds = parts.sortedWordIds;
    this.postingStart = parts.postingStart;
    this.postingDocs = parts.postingDocs;
    this.postingWeights = parts.postingWeights;
    this.bigrams = parts.bigrams;
    this.canonicalShortNames = parts.canonicalShortNames;
    this.canonicalTitles = parts.canonicalTitles;
    this.canonicalNames = parts.canonicalNames;
    this.nameOrder = parts.nameOrder;
    this.facetTable = parts.facetTable;
    const count = docs.length;
    this.scores = new Float64Array(count);
    this.termScores = new Float64Array(count);
    this.matchedTerms = new Uint32Array(count);
    this.termTouched = new Int32Array(count);
    this.touched = new Int32Array(count);
    this.sharedGramCounts = new Uint16Array(this.words.length);
  }

  get size(): number {
    return this.docs.length;
  }

  /** The first `limit` results for a state, the total and the facet counts. */
  search(state: SearchState, limit: number): SearchResponse {
    const terms = [...new Set(tokenize(state.q))].slice(0, MAX_QUERY_WORDS);
    const hasQuery = terms.length > 0;
    const matched = hasQuery ? this.matchText(terms, state.q) : Int32Array.from(this.docs.keys());
    const kept = this.facetTable.filter(matched, state);
    const sort = state.sort === 'relevance' && !hasQuery ? 'updated' : state.sort;
    const page = sort === 'relevance' ? this.topByScore(kept, limit) : this.firstInOrder(kept, sort, limit);
    for (const doc of matched) this.scores[doc] = 0;
    const facetTable = this.facetTable;
    let facets: FacetCounts | undefined;
    return {
      items: Array.from(page, (doc) => this.docs[doc]),
      total: kept.length,
      get facets() {
        facets ??= facetTable.count(matched, state);
        return facets;
      },
    };
  }

  /** Documents matching every query word (or, when none does, the most words), scored into `this.scores`. */
  private matchText(terms: string[], query: string): Int32Array {
    const { scores, termScores, matchedTerms, touched, termTouched, postingDocs, postingWeights } = this;
    let touchedCount = 0;
    for (const [termAt, term] of terms.entries()) {
      let termTouchedCount = 0;
      for (const { wordId, quality } of this.expand(term)) {
        const start = this.postingStart[wordId];
        const end = this.postingStart[wordId + 1];
        const weight = quality * Math.log(1 + this.docs.length / (end - start));
        for (let at = start; at < end; at++) {
          const doc = postingDocs[at];
          const score = postingWeights[at] * weight;
          const previous = termScores[doc];
          if (previous === 0) termTouched[termTouchedCount++] = doc;
          if (score > previous) termScores[doc] = score;
        }
      }
      const bit = 1 << termAt;
      for (let at = 0; at < termTouchedCount; at++) {
        const doc = termTouched[at];
        if (matchedTerms[doc] === 0) touched[touchedCount++] = doc;
        matchedTerms[doc] |= bit;
        scores[doc] += termScores[doc];
        termScores[doc] = 0;
      }
    }
    let bestCoverage = 0;
    for (let at = 0; at < touchedCount; at++)
      bestCoverage = Math.max(bestCoverage, popCount(matchedTerms[touched[at]]));
    const wanted = canonical(query);
    const result = new Int32Array(touchedCount);
    let kept = 0;
    for (let at = 0; at < touchedCount; at++) {
      const doc = touched[at];
      if (popCount(matchedTerms[doc]) === bestCoverage) {
        scores[doc] += this.wholeNameBoost(doc, wanted);
        result[kept++] = doc;
      } else {
        scores[doc] = 0;
      }
      matchedTerms[doc] = 0;
    }
    return result.subarray(0, kept);
  }

  private wholeNameBoost(doc: number, wanted: string): number {
    const shortName = this.canonicalShortNames[doc];
    const title = this.canonicalTitles[doc];
    if (wanted === shortName || wanted === title || wanted === this.canonicalNames[doc]) return EXACT_NAME_BOOST;
    if (shortName.startsWith(wanted)) return NAME_PREFIX_BOOST * (wanted.length / shortName.length);
    if (title.startsWith(wanted)) return NAME_PREFIX_BOOST * (wanted.length / title.length);
    return 0;
  }

  /** The vocabulary words a query word stands for: itself, its completions, and near misspellings. */
  private expand(term: string): Expansion[] {
    const found = new Map<number, number>();
    const offer = (wordId: number, quality: number): void => {
      if ((found.get(wordId) ?? 0) < quality) found.set(wordId, quality);
    };
    const exact = this.wordIds.get(term);
    if (exact !== undefined) offer(exact, MATCH_QUALITY.exact);
    this.forEachCompletion(term, (wordId) => {
      const completion = term.length / this.words[wordId].length;
      offer(wordId, MATCH_QUALITY.prefixMin + (MATCH_QUALITY.prefixMax - MATCH_QUALITY.prefixMin) * completion);
    });
    if (term.length >= MIN_TYPO_LENGTH) this.typoCandidates(term, offer);
    return Array.from(found, ([wordId, quality]) => ({ wordId, quality }));
  }

  private forEachCompletion(prefix: string, visit: (wordId: number) => void): void {
    const sorted = this.sortedWordIds;
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.words[sorted[middle]] < prefix) low = middle + 1;
      else high = middle;
    }
    for (let at = low; at < sorted.length && this.words[sorted[at]].startsWith(prefix); at++) {
      if (this.words[sorted[at]] !== prefix) visit(sorted[at]);
    }
  }

  /** Words within 1 edit (2 for words of 8+ letters) of the query word, whole or as a prefix. */
  private typoCandidates(term: string, offer: (wordId: number, quality: number) => void): void {
    const maxEdits = term.length >= 8 ? 2 : 1;
    const grams = bigramsOf(term);
    // One edit changes at most 3 of a word's bigrams (a transposition: `stirpe` / `stripe`).
    const needed = Math.max(1, grams.length - 3 * maxEdits);
    const shared = this.sharedGramCounts;
    const seen: number[] = [];
    for (const gram of grams) {
      for (const wordId of this.bigrams.get(gram) ?? []) {
        if (shared[wordId]++ === 0) seen.push(wordId);
      }
    }
    for (const wordId of seen) {
      const count = shared[wordId];
      shared[wordId] = 0;
      if (count < needed) continue;
      const word = this.words[wordId];
      const whole = boundedEditDistance(term, word, maxEdits);
      if (whole <= maxEdits) {
        offer(wordId, whole <= 1 ? MATCH_QUALITY.oneTypo : MATCH_QUALITY.twoTypos);
      } else if (
        word.length > term.length &&
        boundedEditDistance(term, word.slice(0, term.length), maxEdits) <= maxEdits
      ) {
        offer(wordId, MATCH_QUALITY.typoPrefix);
      }
    }
  }

  /** The `limit` best-scored documents, best first (ties: most recently updated), via a bounded min-heap. */
  private topByScore(docs: Int32Array, limit: number): number[] {
    const { scores } = this;
    const worse = (a: number, b: number): boolean => scores[a] < scores[b] || (scores[a] === scores[b] && a > b);
    const heap: number[] = [];
    for (const doc of docs) {
      if (heap.length < limit) {
        heap.push(doc);
        for (let at = heap.length - 1; at > 0;) {
          const parent = (at - 1) >> 1;
          if (!worse(heap[at], heap[parent])) break;
          [heap[at], heap[parent]] = [heap[parent], heap[at]];
          at = parent;
        }
      } else if (limit > 0 && worse(heap[0], doc)) {
        heap[0] = doc;
        for (let at = 0; ;) {
          const left = 2 * at + 1;
          const right = left + 1;
          let smallest = at;
          if (left < heap.length && worse(heap[left], heap[smallest])) smallest = left;
          if (right < heap.length && worse(heap[right], heap[smallest])) smallest = right;
          if (smallest === at) break;
          [heap[at], heap[smallest]] = [heap[smallest], heap[at]];
          at = smallest;
        }
      }
    }
    return heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
  }

  /** The first `limit` documents in update order (document order) or name order. */
  private firstInOrder(docs: Int32Array, sort: 'updated' | 'name', limit: number): Int32Array {
    const selected = new Uint8Array(this.docs.length);
    for (const doc of docs) selected[doc] = 1;
    const page = new Int32Array(Math.min(limit, docs.length));
    let filled = 0;
    for (let at = 0; at < this.docs.length && filled < page.length; at++) {
      const doc = sort === 'updated' ? at : this.nameOrder[at];
      if (selected[doc] === 1) page[filled++] = doc;
    }
    return page;
  }
}

/** The engine's index, built from its documents: everything but the per-query scratch arrays. */
export interface SearchEngineParts {
  wordIds: Map<string, number>;
  words: string[];
  sortedWordIds: Int32Array;
  postingStart: Int32Array;
  postingDocs: Int32Array;
  postingWeights: Float32Array;
  bigrams: Map<string, number[]>;
  canonicalShortNames: string[];
  canonicalTitles: string[];
  canonicalNames: string[];
  nameOrder: Int32Array;
  facetTable: FacetTable;
}

/**
 * Searches that together take every path a keystroke can take: a one-letter prefix (the most matches),
 * a whole word, several words, a typo, no text.
 */
const WARM_UP_QUERIES = ['s', 'se', 'server', 'mcp server', 'servr', ''];

/**
 * Runs a few searches, and counts their facets, with the results thrown away, so that the browser has
 * compiled and optimised the search code before the visitor's first keystroke rather than during it (a
 * first keystroke on a fresh page took 13-18 ms at 25k servers, the later ones a quarter of that).
 */
export function* warmUpSteps(engine: SearchEngine, limit: number): Steps<void> {
  for (const q of WARM_UP_QUERIES) {
    void engine.search({ ...EMPTY_STATE, q }, limit).facets;
    yield;
  }
}

/** Documents and words indexed between two points where the build may pause (well under a millisecond each). */
const DOCS_PER_STEP = 64;
const WORDS_PER_STEP = 1024;

/** Builds the index of `docs`, yielding every few documents so a page can run it in slices (see slices.ts). */
export function* searchEngineParts(docs: readonly SearchDoc[]): Steps<SearchEngineParts> {
  const count = docs.length;
  const wordIds = new Map<string, number>();
  const words: string[] = [];
  const canonicalShortNames: string[] = [];
  const canonicalTitles: string[] = [];
  const canonicalNames: string[] = [];
  // Pass 1: each document's distinct words with their best field weight, appended to flat buffers.
  let pairWords = new Int32Array(count * 16 + 16);
  let pairWeights = new Float32Array(pairWords.length);
  let pairCount = 0;
  const lastDocEnd = new Int32Array(count);
  const frequencies: number[] = [];
  // The last document each word was seen in, and its slot there, to keep one pair per word and document.
  const lastDoc: number[] = [];
  const lastSlot: number[] = [];
  for (let doc = 0; doc < count; doc++) {
    if (doc % DOCS_PER_STEP === DOCS_PER_STEP - 1) yield;
    for (const [field, text] of searchableFields(docs[doc])) {
      const weight = FIELD_WEIGHTS[field];
      const fieldWords = tokenize(text);
      if (field === 'name') canonicalShortNames.push(fieldWords.join(' '));
      else if (field === 'namespace') canonicalNames.push(`${fieldWords.join(' ')} ${canonicalShortNames[doc]}`);
      else if (field === 'title') canonicalTitles.push(fieldWords.join(' '));
      for (const word of fieldWords) {
        let id = wordIds.get(word);
        if (id === undefined) {
          id = words.length;
          wordIds.set(word, id);
          words.push(word);
          frequencies.push(0);
          lastDoc.push(-1);
          lastSlot.push(0);
        }
        if (lastDoc[id] === doc) {
          if (pairWeights[lastSlot[id]] < weight) pairWeights[lastSlot[id]] = weight;
          continue;
        }
        if (pairCount === pairWords.length) {
          pairWords = grow(pairWords, new Int32Array(pairCount * 2));
          pairWeights = grow(pairWeights, new Float32Array(pairCount * 2));
        }
        lastDoc[id] = doc;
        lastSlot[id] = pairCount;
        pairWords[pairCount] = id;
        pairWeights[pairCount] = weight;
        pairCount++;
        frequencies[id]++;
      }
    }
    lastDocEnd[doc] = pairCount;
  }
  yield;
  // Pass 2: regroup the pairs by word (postings in document order), one flat array for all words.
  const postingStart = new Int32Array(words.length + 1);
  for (let id = 0; id < words.length; id++) postingStart[id + 1] = postingStart[id] + frequencies[id];
  const postingDocs = new Int32Array(pairCount);
  const postingWeights = new Float32Array(pairCount);
  const fill = postingStart.slice(0, words.length);
  for (let doc = 0, at = 0; doc < count; doc++) {
    for (; at < lastDocEnd[doc]; at++) {
      const slot = fill[pairWords[at]]++;
      postingDocs[slot] = doc;
      postingWeights[slot] = pairWeights[at];
    }
  }
  yield;
  const bigrams = new Map<string, number[]>();
  for (let id = 0; id < words.length; id++) {
    if (id % WORDS_PER_STEP === WORDS_PER_STEP - 1) yield;
    for (const gram of bigramsOf(words[id])) {
      const list = bigrams.get(gram);
      if (list) list.push(id);
      else bigrams.set(gram, [id]);
    }
  }
  yield;
  const sortedWordIds = Int32Array.from(words.keys()).sort((a, b) => compare(words[a], words[b]));
  yield;
  const lowerNames = docs.map((doc) => doc.name.toLowerCase());
  const nameOrder = Int32Array.from(docs.keys()).sort(
    (a, b) => compare(lowerNames[a], lowerNames[b]) || compare(docs[a].name, docs[b].name),
  );
  yield;
  const facetTable = new FacetTable(docs);
  return {
    wordIds,
    words,
    sortedWordIds,
    postingStart,
    postingDocs,
    postingWeights,
    bigrams,
    canonicalShortNames,
    canonicalTitles,
    canonicalNames,
    nameOrder,
    facetTable,
  };
}

type FieldName = keyof typeof FIELD_WEIGHTS;

function* searchableFields(doc: SearchDoc): Generator<[FieldName, string]> {
  const slash = doc.name.indexOf('/');
  yield ['name', doc.name.slice(slash + 1)];
  yield ['namespace', doc.name.slice(0, slash)];
  yield ['title', doc.title ?? ''];
  yield ['packages', doc.packages];
  yield ['vocabulary', [...doc.categories, ...doc.tags].join(' ')];
  yield ['description', doc.description];
}

/** Bigrams of `^word` (no trailing marker, so a prefix of a word shares all its bigrams). */
function bigramsOf(word: string): string[] {
  const padded = `^${word}`;
  const grams: string[] = [];
  for (let at = 0; at + 2 <= padded.length; at++) grams.push(padded.slice(at, at + 2));
  return grams;
}

function grow<T extends Int32Array | Float32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

function popCount(bits: number): number {
  let count = 0;
  for (let rest = bits; rest !== 0; rest &= rest - 1) count++;
  return count;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
