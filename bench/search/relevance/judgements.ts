/**
 * The hand-judged relevance set (judgements.json) and its metrics: the right server first (top 1), in
 * the first three (top 3), and the mean reciprocal rank of the first right server within the first ten.
 * A query of kind `nothing` is right when no server is returned at all.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const JUDGEMENTS_FILE = path.join(import.meta.dirname, 'judgements.json');

export const QUERY_KINDS = ['brand', 'typo', 'package', 'task', 'words', 'nothing'] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];
export type Half = 'tune' | 'holdout';

export interface Judgement {
  query: string;
  kind: QueryKind;
  /** `tune` may guide ranking work; `holdout` is only ever measured. */
  half: Half;
  /** Every server judged a right answer (empty for `nothing`). */
  relevant: string[];
  reason: string;
}

export function readJudgements(file = JUDGEMENTS_FILE): Judgement[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as { queries: Judgement[] }).queries;
}

/** A search as a user sees it: the names of the results shown, best first (at least the first ten). */
export type Ranker = (query: string) => readonly string[];

export interface Scores {
  queries: number;
  /** Shares in [0, 1]. */
  top1: number;
  top3: number;
  mrr: number;
}

export interface QueryOutcome {
  judgement: Judgement;
  /** 1-based position of the first right server among the first ten, 0 when none (for `nothing`: 1 when empty). */
  rank: number;
  shown: string[];
}

export interface Evaluation {
  all: Scores;
  byHalf: Record<Half, Scores>;
  byKind: Record<QueryKind, Scores>;
  outcomes: QueryOutcome[];
}

const DEPTH = 10;

export function rankOf(judgement: Judgement, shown: readonly string[]): number {
  if (judgement.kind === 'nothing') return shown.length === 0 ? 1 : 0;
  const right = new Set(judgement.relevant);
  const at = shown.slice(0, DEPTH).findIndex((name) => right.has(name));
  return at + 1;
}

export function scores(outcomes: readonly QueryOutcome[]): Scores {
  const count = outcomes.length;
  const share = (test: (rank: number) => boolean) =>
    count === 0 ? 0 : outcomes.filter((o) => test(o.rank)).length / count;
  return {
    queries: count,
    top1: share((rank) => rank === 1),
    top3: share((rank) => rank >= 1 && rank <= 3),
    mrr: count === 0 ? 0 : outcomes.reduce((sum, o) => sum + (o.rank > 0 ? 1 / o.rank : 0), 0) / count,
  };
}

export function evaluate(ranker: Ranker, judgements: readonly Judgement[]): Evaluation {
  const outcomes = judgements.map((judgement): QueryOutcome => {
    const shown = [...ranker(judgement.query)].slice(0, DEPTH);
    return { judgement, rank: rankOf(judgement, shown), shown };
  });
  const of = (keep: (o: QueryOutcome) => boolean) => scores(outcomes.filter(keep));
  return {
    all: scores(outcomes),
    byHalf: { tune: of((o) => o.judgement.half === 'tune'), holdout: of((o) => o.judgement.half === 'holdout') },
    byKind: Object.fromEntries(QUERY_KINDS.map((kind) => [kind, of((o) => o.judgement.kind === kind)])) as Record<
      QueryKind,
      Scores
    >,
    outcomes,
  };
}

/** `97.4%` */
export function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
