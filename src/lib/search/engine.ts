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
import { defaultOwner, ownerAffixKeys, ownerKey } from './owner.ts';
import { canonical, normalise, tokenize } from './text.ts';
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
/** A query equal to one of a server's package identifiers, as typed (`@scope/name`): unique, so above all. */
const EXACT_PACKAGE_BOOST = 2000;

/**
 * Added when the query names the namespace's owner (see owner.ts): the one part of a name the registry
 * verifies, so a brand's own server comes before wrappers that carry the brand in their name. Levels:
 * the whole query is the owner (`stripe` -> com.stripe); the owner with a glued affix or its first word
 * (`sentry` -> getsentry, `snowflake` -> Snowflake-Labs); the owner is one query word and the server
 * matches the others (`brave search` -> io.github.brave); a misspelt owner; an owner being typed.
 */
const OWNER_BOOST = { whole: 1500, affix: 1200, oneWord: 1100, typo: 500, typing: 60 };
/** Owner prefixes count from this many letters typed (`fi` would name every owner starting so). */
const MIN_OWNER_PREFIX = 3;
/**
 * A query word found in more than this share of servers (and more than BRAND_WORD_FLOOR of them) is a
 * common word (`mcp`, `server`, `api`), not a brand: it never names an owner alone among other words
 * (`postgres mcp` must not lift io.github.mcp's servers).
 */
const MAX_BRAND_WORD_SHARE = 0.02;
const BRAND_WORD_FLOOR = 50;

const MAX_QUERY_WORDS = 8;
/** Shorter words are matched exactly or as prefixes only: one edit in four letters is another word (`gith` / `with`). */
const MIN_TYPO_LENGTH = 5;

/**
 * The ranking signals beyond word scores, each of which can be switched off, so the benchmark can
 * measure what each one adds on the relevance set (bench/search/relevance). The site uses them all.
 */
export interface RankingSignals {
  /** Words weigh by field (FIELD_WEIGHTS: a name or title match over a description match); off: all alike. */
  fieldWeights: boolean;
  /** The query names the namespace's owner (OWNER_BOOST). */
  owner: boolean;
  /** One namespace's results collapse under its best one. */
  collapse: boolean;
  /** A whole package identifier as typed (EXACT_PACKAGE_BOOST). */
  exactPackage: boolean;
  /** Facts weighed whatever the query (`documentPrior`). */
  prior: boolean;
}

export const ALL_SIGNALS: Readonly<RankingSignals> = {
  fieldWeights: true,
  owner: true,
  collapse: true,
  exactPackage: true,
  prior: true,
};

export interface SearchResponse {
  /**
   * The first `limit` results in the requested order. Ranked by relevance for a query, a namespace's
   * servers are collapsed under its best one (`more`), so one publisher's look-alikes never fill a page.
   */
  items: SearchDoc[];
  /** For each item, how many more results of its namespace it stands for (0: none). */
  more: number[];
  /** Matching servers (collapsed ones included). */
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
  private readonly ranking: RankingParts;
  private readonly signals: Readonly<RankingSignals>;
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
  constructor(
    docs: readonly SearchDoc[],
    signals: Readonly<RankingSignals> = ALL_SIGNALS,
    parts: SearchEngineParts = runAtOnce(searchEngineParts(docs, signals)),
  ) {
    this.docs = docs;
    this.signals = signals;
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
    this.ranking = parts.ranking;
    const count = docs.length;
    this.scores = new Float64Array(count);
    this.termScores = new Float64Array(count);
    this.matchedTerms = new Uint32Array(count);
    this.termTouched = new Int32Array(count);
    this.touched = new Int32Array(count);
    this.sharedGramCounts = new Uint16Array(this.words.length);
    this.ownerBoosts = new Float64Array(parts.ranking.ownerKeys.length);
    this.sharedOwnerGramCounts = new Uint16Array(parts.ranking.ownerKeys.length);
    this.namespaceBest = new Int32Array(parts.ranking.namespaceCount).fill(-1);
    this.namespaceCount = new Int32Array(parts.ranking.namespaceCount);
  }
  /** Per owner, the boost the current query gives it; per namespace, its best document and match count. */
  private readonly ownerBoosts: Float64Array;
  private readonly sharedOwnerGramCounts: Uint16Array;
  private readonly namespaceBest: Int32Array;
  private readonly namespaceCount: Int32Array;

  get size(): number {
    return this.docs.length;
  }

  /** The first `limit` results for a state, the total and the facet counts. */
  search(state: SearchState, limit: number): SearchResponse {
    const terms = [...new Set(tokenize(state.q))].slice(0, MAX_QUERY_WORDS);
    const hasQuery = terms.length > 0;
    const all = hasQuery ? this.matchText(terms, state.q) : Int32Array.from(this.docs.keys());
    const matched = state.publisher === '' ? all : this.ofNamespace(all, state.publisher);
    const kept = this.facetTable.filter(matched, state);
    const sort = state.sort === 'relevance' && !hasQuery ? 'updated' : state.sort;
    let page: ArrayLike<number>;
    let more: number[];
    if (sort !== 'relevance') {
      page = this.firstInOrder(kept, sort, limit);
      more = Array.from(page, () => 0);
    } else if (state.publisher !== '' || !this.signals.collapse) {
      page = this.topByScore(kept, limit);
      more = Array.from(page, () => 0);
    } else {
      ({ page, more } = this.topByNamespace(kept, limit));
    }
    for (const doc of all) this.scores[doc] = 0;
    const facetTable = this.facetTable;
    let facets: FacetCounts | undefined;
    return {
      items: Array.from(page, (doc) => this.docs[doc]),
      more,
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
    const wanted = canonical(query);
    const typed = normalise(query.trim());
    const { ownerOfDoc, prior } = this.ranking;
    const ownerBoosts = this.ownerBoosts;
    const boosted = this.signals.owner ? this.boostOwnersNamed(terms) : [];
    const priorOn = this.signals.prior;
    // A server whose owner the whole query names matches it as a whole (`hugging face` -> co.huggingface).
    const allTerms = (1 << terms.length) - 1;
    const coverage = (doc: number): number =>
      ownerBoosts[ownerOfDoc[doc]] >= OWNER_BOOST.affix ? terms.length : popCount(matchedTerms[doc] & allTerms);
    let bestCoverage = 0;
    for (let at = 0; at < touchedCount; at++) bestCoverage = Math.max(bestCoverage, coverage(touched[at]));
    if (this.signals.owner && terms.length > 1 && bestCoverage === terms.length)
      this.boostOwnersOfOneWord(terms, boosted);
    const result = new Int32Array(touchedCount);
    let kept = 0;
    for (let at = 0; at < touchedCount; at++) {
      const doc = touched[at];
      if (coverage(doc) === bestCoverage) {
        scores[doc] =
          (scores[doc] + this.wholeNameBoost(doc, wanted, typed) + ownerBoosts[ownerOfDoc[doc]]) *
          (priorOn ? prior[doc] : 1);
        result[kept++] = doc;
      } else {
        scores[doc] = 0;
      }
      matchedTerms[doc] = 0;
    }
    for (const owner of boosted) ownerBoosts[owner] = 0;
    return result.subarray(0, kept);
  }

  /** Records `boost` for `owner` if higher than what it has; `boosted` lists the owners to reset. */
  private offerOwner(boosted: number[], owner: number, boost: number): void {
    const boosts = this.ownerBoosts;
    if (boosts[owner] === 0) boosted.push(owner);
    if (boost > boosts[owner]) boosts[owner] = boost;
  }

  /**
   * Sets `ownerBoosts` for the owners the whole query names (see OWNER_BOOST): by their key or an affix
   * key, else misspelt, else being typed. Returns the owners boosted, to be reset after the query.
   */
  private boostOwnersNamed(terms: string[]): number[] {
    const { brandKeys, ownerKeys, sortedOwners, ownerBigrams } = this.ranking;
    const boosted: number[] = [];
    const whole = terms.join('');
    for (const { owner, affix } of brandKeys.get(whole) ?? [])
      this.offerOwner(boosted, owner, affix ? OWNER_BOOST.affix : OWNER_BOOST.whole);
    if (boosted.length > 0) return boosted;
    if (whole.length >= MIN_TYPO_LENGTH) {
      const maxEdits = whole.length >= 8 ? 2 : 1;
      for (const owner of bigramCandidates(whole, maxEdits, ownerBigrams, this.sharedOwnerGramCounts)) {
        if (boundedEditDistance(whole, ownerKeys[owner], maxEdits) <= maxEdits)
          this.offerOwner(boosted, owner, OWNER_BOOST.typo);
      }
    }
    if (whole.length >= MIN_OWNER_PREFIX) {
      let low = 0;
      let high = sortedOwners.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (ownerKeys[sortedOwners[middle]] < whole) low = middle + 1;
        else high = middle;
      }
      for (let at = low; at < sortedOwners.length && ownerKeys[sortedOwners[at]].startsWith(whole); at++) {
        const owner = sortedOwners[at];
        this.offerOwner(boosted, owner, OWNER_BOOST.typing * (whole.length / ownerKeys[owner].length));
      }
    }
    return boosted;
  }

  /** Owners named by one rare word of several, for servers that match all the words (`brave search`). */
  private boostOwnersOfOneWord(terms: string[], boosted: number[]): void {
    for (const term of terms) {
      const id = this.wordIds.get(term);
      const count = id === undefined ? 0 : this.postingStart[id + 1] - this.postingStart[id];
      if (count > Math.max(BRAND_WORD_FLOOR, MAX_BRAND_WORD_SHARE * this.docs.length)) continue;
      for (const { owner } of this.ranking.brandKeys.get(term) ?? [])
        this.offerOwner(boosted, owner, OWNER_BOOST.oneWord);
    }
  }

  private wholeNameBoost(doc: number, wanted: string, typed: string): number {
    if (this.signals.exactPackage && this.ranking.packageIdentifiers[doc].includes(typed)) return EXACT_PACKAGE_BOOST;
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
    for (const wordId of bigramCandidates(term, maxEdits, this.bigrams, this.sharedGramCounts)) {
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

  /**
   * The `limit` best namespaces, each by its best document (best first), with how many more documents
   * of that namespace matched: a publisher of 700 look-alike servers takes one row, not the page.
   */
  private topByNamespace(docs: Int32Array, limit: number): { page: number[]; more: number[] } {
    const { namespaceOfDoc } = this.ranking;
    const { scores, namespaceBest, namespaceCount } = this;
    const leaders: number[] = [];
    for (const doc of docs) {
      const namespace = namespaceOfDoc[doc];
      const best = namespaceBest[namespace];
      if (best === -1) leaders.push(namespace);
      namespaceCount[namespace]++;
      if (best === -1 || scores[doc] > scores[best] || (scores[doc] === scores[best] && doc < best))
        namespaceBest[namespace] = doc;
    }
    const page = this.topByScore(
      Int32Array.from(leaders, (namespace) => namespaceBest[namespace]),
      limit,
    );
    const more = page.map((doc) => namespaceCount[namespaceOfDoc[doc]] - 1);
    for (const namespace of leaders) {
      namespaceBest[namespace] = -1;
      namespaceCount[namespace] = 0;
    }
    return { page, more };
  }

  /** The documents of one namespace (the publisher filter), in the given order. */
  private ofNamespace(docs: Int32Array, namespace: string): Int32Array {
    const wanted = this.ranking.namespaceIds.get(namespace);
    if (wanted === undefined) return new Int32Array(0);
    const { namespaceOfDoc } = this.ranking;
    return docs.filter((doc) => namespaceOfDoc[doc] === wanted);
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
  ranking: RankingParts;
}

/** What ranking weighs besides words: owners, namespaces, package identifiers, each document's prior. */
export interface RankingParts {
  /** Owner keys (see owner.ts), by owner id; `ownerOfDoc[doc]` is an owner id. */
  ownerKeys: string[];
  ownerOfDoc: Int32Array;
  /** Owner ids sorted by key, for owners being typed. */
  sortedOwners: Int32Array;
  /** Bigram -> owner ids, for misspelt owners (as `bigrams` for words). */
  ownerBigrams: Map<string, number[]>;
  /** A query (words joined) -> the owners it names: their keys, or (`affix`) a first word or the key without an affix. */
  brandKeys: Map<string, { owner: number; affix: boolean }[]>;
  namespaceIds: Map<string, number>;
  namespaceOfDoc: Int32Array;
  namespaceCount: number;
  /** Each document's package identifiers as typed (normalised), to match a whole identifier. */
  packageIdentifiers: string[][];
  /** Each document's prior: its score is multiplied by it (see `documentPrior`). */
  prior: Float32Array;
}

/**
 * Facts about a server that weigh on its rank whatever the query, as a factor near 1 on its score: they
 * reorder near ties, never a clearly better text match. Each is measured on the relevance set
 * (bench/search/relevance) before it is kept; see docs/search.md.
 * - An archived repository (GitHub enrichment): the server is probably not maintained.
 * - Stars of the server's own repository (enrichment; a wrapper's borrowed repository never counts).
 * - (Next: a server that answered the registry's MCP probe, issue 16, belongs here as a small factor
 *   above 1, and one that did not as a factor below; the probe adds the fact to RankingFacts.)
 */
export function documentPrior(doc: SearchDoc): number {
  let prior = 1;
  if (doc.archived) prior *= ARCHIVED_FACTOR;
  if (doc.stars > 0) prior *= 1 + STARS_WEIGHT * Math.min(1, Math.log10(1 + doc.stars) / STARS_FULL_DIGITS);
  return prior;
}

const ARCHIVED_FACTOR = 0.8;
/** Stars lift a score by at most this share, reached at 10^STARS_FULL_DIGITS stars. */
const STARS_WEIGHT = 0.1;
const STARS_FULL_DIGITS = 4;

function* rankingParts(docs: readonly SearchDoc[]): Steps<RankingParts> {
  const ownerIds = new Map<string, number>();
  const ownerKeys: string[] = [];
  /** The owner as first spelt, for its words (`Snowflake-Labs`). */
  const ownerNames: string[] = [];
  const ownerOfDoc = new Int32Array(docs.length);
  const namespaceIds = new Map<string, number>();
  const namespaceOfDoc = new Int32Array(docs.length);
  const packageIdentifiers: string[][] = [];
  const prior = new Float32Array(docs.length);
  for (const [at, doc] of docs.entries()) {
    if (at % DOCS_PER_STEP === DOCS_PER_STEP - 1) yield;
    const namespace = doc.name.slice(0, doc.name.indexOf('/'));
    let namespaceId = namespaceIds.get(namespace);
    if (namespaceId === undefined) namespaceIds.set(namespace, (namespaceId = namespaceIds.size));
    namespaceOfDoc[at] = namespaceId;
    const owner = doc.owner || defaultOwner(namespace);
    const key = ownerKey(owner);
    let ownerId = ownerIds.get(key);
    if (ownerId === undefined) {
      ownerIds.set(key, (ownerId = ownerKeys.length));
      ownerKeys.push(key);
      ownerNames.push(owner);
    }
    ownerOfDoc[at] = ownerId;
    packageIdentifiers.push(doc.packages === '' ? [] : normalise(doc.packages).split(' '));
    prior[at] = documentPrior(doc);
  }
  const brandKeys = new Map<string, { owner: number; affix: boolean }[]>();
  const addBrandKey = (key: string, owner: number, affix: boolean): void => {
    const list = brandKeys.get(key);
    if (list) list.push({ owner, affix });
    else brandKeys.set(key, [{ owner, affix }]);
  };
  for (const [owner, key] of ownerKeys.entries()) {
    addBrandKey(key, owner, false);
    for (const affixKey of ownerAffixKeys(ownerNames[owner])) addBrandKey(affixKey, owner, true);
  }
  yield;
  const sortedOwners = Int32Array.from(ownerKeys.keys()).sort((a, b) => compare(ownerKeys[a], ownerKeys[b]));
  return {
    ownerKeys,
    ownerOfDoc,
    sortedOwners,
    ownerBigrams: bigramIndex(ownerKeys),
    brandKeys,
    namespaceIds,
    namespaceOfDoc,
    namespaceCount: namespaceIds.size,
    packageIdentifiers,
    prior,
  };
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
export function* searchEngineParts(
  docs: readonly SearchDoc[],
  signals: Readonly<RankingSignals> = ALL_SIGNALS,
): Steps<SearchEngineParts> {
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
      const weight = signals.fieldWeights ? FIELD_WEIGHTS[field] : 1;
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
  const ranking = yield* rankingParts(docs);
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
    ranking,
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

/** Bigram -> ids of the words containing it. */
function bigramIndex(words: readonly string[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  for (const [id, word] of words.entries()) {
    for (const gram of bigramsOf(word)) {
      const list = index.get(gram);
      if (list) list.push(id);
      else index.set(gram, [id]);
    }
  }
  return index;
}

/**
 * Ids of the words that share enough bigrams with `term` to be within `maxEdits` of it or of its
 * beginning: one edit changes at most 3 of a word's bigrams (a transposition: `stirpe` / `stripe`).
 * `shared` is scratch space, one counter per word, left at zero.
 */
function bigramCandidates(
  term: string,
  maxEdits: number,
  index: ReadonlyMap<string, readonly number[]>,
  shared: Uint16Array,
): number[] {
  const grams = bigramsOf(term);
  const needed = Math.max(1, grams.length - 3 * maxEdits);
  const seen: number[] = [];
  for (const gram of grams) {
    for (const id of index.get(gram) ?? []) {
      if (shared[id]++ === 0) seen.push(id);
    }
  }
  const candidates: number[] = [];
  for (const id of seen) {
    if (shared[id] >= needed) candidates.push(id);
    shared[id] = 0;
  }
  return candidates;
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
