/**
 * The relevance part of `npm run bench`: the hand-judged set (judgements.json) over the official
 * registry of 2026-06 at 12k real servers and at 25k (real plus synthetic copies, reported apart), for
 * our engine, MiniSearch and Fuse.js over the same records; what each of our ranking signals adds
 * (leave-one-out at 12k); the set typed into the real island in Chromium; and the index bytes.
 */
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { ALL_SIGNALS, type RankingSignals } from '../../../src/lib/search/engine.ts';
import { decodeSearchIndex } from '../../../src/lib/search/index-file.ts';
import { corpusIndex, readCorpus, withSyntheticCopies } from './corpus.ts';
import { ENGINE_NAMES, type EngineName, fuseRanker, miniSearchRanker, oursRanker } from './engines.ts';
import { relevanceInIsland } from './island.ts';
import { evaluate, type Evaluation, type Half, type QueryKind, readJudgements, type Scores } from './judgements.ts';

export const REAL_SERVERS = 11_978;
export const SCALED_SERVERS = 25_000;

export interface EngineRelevance {
  engine: EngineName;
  servers: number;
  all: Scores;
  byHalf: Record<Half, Scores>;
  byKind: Record<QueryKind, Scores>;
  /** Wall time of the whole pass (index built and every query), on a shared machine. */
  ms: number;
  /** Queries whose first right server is not in the top 3 (`kind: query -> first three shown`). */
  missesTop3: string[];
}

export interface SignalContribution {
  /** The signal switched off (see RankingSignals in src/lib/search/engine.ts). */
  signal: keyof RankingSignals;
  servers: number;
  all: Scores;
}

export interface RelevanceFigures {
  queries: number;
  byHalf: Record<Half, number>;
  engines: EngineRelevance[];
  withoutSignal: SignalContribution[];
  /** Ours through the real island in Chromium at 12k. */
  island?: Omit<EngineRelevance, 'engine' | 'ms'>;
  islandSkipped?: string;
  /** The published index of the corpus: gzip bytes per server. */
  indexGzipBytesPerServer: Record<number, number>;
}

export interface RelevanceOptions {
  /** Fuse.js takes minutes per pass at this size: skipped at 25k unless asked. */
  fuseAt25k: boolean;
  browser?: Browser;
  /** A served build whose island the set is typed into (its index is replaced by the corpus's). */
  siteUrl?: string;
  log: (line: string) => void;
}

const rankerOf = { ours: oursRanker, minisearch: miniSearchRanker, fuse: fuseRanker } as const;

const missesTop3 = (evaluation: Evaluation): string[] =>
  evaluation.outcomes
    .filter((o) => o.rank === 0 || o.rank > 3)
    .map((o) => `${o.judgement.kind}: ${o.judgement.query} -> ${o.shown.slice(0, 3).join(', ') || '(nothing)'}`);

/** The JSON text of the corpus's index at 12k and 25k, for serving to the island. */
export function corpusIndexJson(servers: number): string {
  const rows = readCorpus();
  return JSON.stringify(corpusIndex(servers > rows.length ? withSyntheticCopies(rows, servers) : rows));
}

export async function measureRelevance(options: RelevanceOptions): Promise<RelevanceFigures> {
  const judgements = readJudgements();
  const engines: EngineRelevance[] = [];
  const withoutSignal: SignalContribution[] = [];
  const indexGzipBytesPerServer: Record<number, number> = {};
  let realIndexJson = '';
  for (const servers of [REAL_SERVERS, SCALED_SERVERS]) {
    const json = corpusIndexJson(servers);
    if (servers === REAL_SERVERS) realIndexJson = json;
    indexGzipBytesPerServer[servers] = gzipSync(json).length / servers;
    const docs = decodeSearchIndex(JSON.parse(json));
    for (const engine of ENGINE_NAMES) {
      if (engine === 'fuse' && servers === SCALED_SERVERS && !options.fuseAt25k) continue;
      const started = performance.now();
      const evaluation = evaluate(rankerOf[engine](docs), judgements);
      const ms = performance.now() - started;
      engines.push({ engine, servers, ...pick(evaluation), ms, missesTop3: missesTop3(evaluation) });
      options.log(
        `relevance ${servers} servers, ${engine}: top 1 ${share(evaluation.all.top1)}, top 3 ${share(evaluation.all.top3)}, MRR ${evaluation.all.mrr.toFixed(3)} (${(ms / 1000).toFixed(1)} s)`,
      );
    }
    if (servers !== REAL_SERVERS) continue;
    for (const signal of Object.keys(ALL_SIGNALS) as (keyof RankingSignals)[]) {
      const evaluation = evaluate(oursRanker(docs, { ...ALL_SIGNALS, [signal]: false }), judgements);
      withoutSignal.push({ signal, servers, all: evaluation.all });
      options.log(`relevance ${servers} servers, ours without ${signal}: top 3 ${share(evaluation.all.top3)}`);
    }
  }
  const figures: RelevanceFigures = {
    queries: judgements.length,
    byHalf: {
      tune: judgements.filter((j) => j.half === 'tune').length,
      holdout: judgements.filter((j) => j.half === 'holdout').length,
    },
    engines,
    withoutSignal,
    indexGzipBytesPerServer,
  };
  if (options.browser && options.siteUrl) {
    const evaluation = await relevanceInIsland({
      browser: options.browser,
      siteUrl: options.siteUrl,
      indexJson: realIndexJson,
      judgements,
    });
    figures.island = { servers: REAL_SERVERS, ...pick(evaluation), missesTop3: missesTop3(evaluation) };
    options.log(
      `relevance ${REAL_SERVERS} servers, ours in Chromium through the island: top 3 ${share(evaluation.all.top3)}`,
    );
  } else {
    figures.islandSkipped = options.browser ? 'no built site to serve the island from' : '--skip-browser';
  }
  return figures;
}

function pick(evaluation: Evaluation): Pick<Evaluation, 'all' | 'byHalf' | 'byKind'> {
  return { all: evaluation.all, byHalf: evaluation.byHalf, byKind: evaluation.byKind };
}

const share = (value: number): string => `${(value * 100).toFixed(1)}%`;
