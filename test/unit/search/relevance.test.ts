/**
 * Relevance at the real registry's scale: the hand-judged set (bench/search/relevance/judgements.json)
 * over the official registry of 2026-06 (the committed fixture, so this runs without ../shared), at 12k
 * real servers and at 25k (synthetic copies of real servers under new names). The bench reports the
 * same figures with Fuse.js beside them (too slow for the suite: minutes per pass at 12k).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { corpusIndex, readCorpus, withSyntheticCopies } from '../../../bench/search/relevance/corpus.ts';
import { miniSearchRanker, oursRanker } from '../../../bench/search/relevance/engines.ts';
import {
  evaluate,
  percent,
  QUERY_KINDS,
  readJudgements,
  type Evaluation,
} from '../../../bench/search/relevance/judgements.ts';
import { decodeSearchIndex, type SearchDoc } from '../../../src/lib/search/index-file.ts';

const judgements = readJudgements();
let real: SearchDoc[] = [];
let ours12k: Evaluation;

beforeAll(() => {
  real = decodeSearchIndex(corpusIndex(readCorpus()));
  ours12k = evaluate(oursRanker(real), judgements);
}, 120_000);

const missed = (evaluation: Evaluation, half: string): string[] =>
  evaluation.outcomes
    .filter((o) => o.judgement.half === half && (o.rank === 0 || o.rank > 3))
    .map((o) => `${o.judgement.kind}: ${o.judgement.query} -> ${o.shown.slice(0, 3).join(', ')}`);

describe('the relevance set', () => {
  test('has at least 80 judged queries of every kind, each with its reason, in two halves', () => {
    expect(judgements.length).toBeGreaterThanOrEqual(80);
    for (const kind of QUERY_KINDS)
      expect(
        judgements.some((j) => j.kind === kind),
        kind,
      ).toBe(true);
    for (const judgement of judgements) {
      expect(judgement.reason.length, judgement.query).toBeGreaterThan(20);
      expect(judgement.relevant.length === 0, judgement.query).toBe(judgement.kind === 'nothing');
    }
    const holdout = judgements.filter((j) => j.half === 'holdout').length;
    expect(Math.abs(judgements.length - 2 * holdout)).toBeLessThanOrEqual(QUERY_KINDS.length);
  });

  test('names only servers of the corpus', () => {
    const present = new Set(real.map((doc) => doc.name));
    expect(real).toHaveLength(11_978);
    expect(judgements.flatMap((j) => j.relevant).filter((name) => !present.has(name))).toEqual([]);
  });
});

describe('our engine on the official registry of 2026-06', () => {
  test('at 12k real servers: a right server in the top 3 for at least 95% of each half', () => {
    expect(missed(ours12k, 'tune')).toEqual([]);
    expect(ours12k.byHalf.tune.top3).toBeGreaterThanOrEqual(0.95);
    expect(ours12k.byHalf.holdout.top3, missed(ours12k, 'holdout').join('\n')).toBeGreaterThanOrEqual(0.95);
  });

  test('at 12k it is ahead of MiniSearch (prefix, fuzzy 0.2, name boost) over the same records', () => {
    const mini = evaluate(miniSearchRanker(real), judgements);
    expect(ours12k.all.top3, `ours ${percent(ours12k.all.top3)}, MiniSearch ${percent(mini.all.top3)}`).toBeGreaterThan(
      mini.all.top3,
    );
    expect(ours12k.all.mrr).toBeGreaterThan(mini.all.mrr);
  });

  test('at 25k (synthetic copies of real servers beside them) top 3 falls by at most 3 points', () => {
    const docs = decodeSearchIndex(corpusIndex(withSyntheticCopies(readCorpus(), 25_000)));
    expect(docs).toHaveLength(25_000);
    const at25k = evaluate(oursRanker(docs), judgements);
    expect(at25k.all.top3, `12k ${percent(ours12k.all.top3)}, 25k ${percent(at25k.all.top3)}`).toBeGreaterThanOrEqual(
      ours12k.all.top3 - 0.03,
    );
  });
});
