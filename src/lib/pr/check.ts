/**
 * The pull-request check: what CI runs on every PR and `npm run check-pr` runs locally, through
 * this one function. It reports only what the PR changes or breaks, in four stages:
 *   1. read.ts       read both sides with git (base ref vs a head ref in CI, vs the working tree);
 *   2. policy.ts     apply the repository's policy offline: who may change what, immutability, the
 *                    merged registry validates, no duplicates or look-alike names;
 *   3. ownership.ts  the network checks: namespace and package ownership;
 *   4. labels.ts     pick the labels.
 * Nothing here throws for bad data; every finding is a Problem.
 */
import { locateJsonPath, parseJsonPath } from '../json/parse.ts';
import type { Problem } from '../problems.ts';
import { hasErrors } from '../problems.ts';
import { compareProblems } from '../registry/load.ts';
import type { RuleCode } from '../rule-codes.ts';
import type { Network } from '../verify/network.ts';
import { pickLabels } from './labels.ts';
import { checkOwnership } from './ownership.ts';
import { applyPolicy } from './policy.ts';
import type { ClassifiedChange, PrReadOptions } from './read.ts';
import { readPullRequest } from './read.ts';

export interface PrCheckOptions extends PrReadOptions {
  /** Outside checks (GitHub, DNS, package registries); undefined skips them with a warning. */
  network?: Network;
}

export interface PrCheckResult {
  base: string;
  mergeBase: string;
  head: string;
  author: string | null;
  changes: ClassifiedChange[];
  newServers: string[];
  newVersions: { name: string; version: string; file: string }[];
  /** How each new server's namespace was proven, e.g. `GitHub user alice`. */
  ownership: { name: string; via: string }[];
  problems: Problem[];
  labels: string[];
  ok: boolean;
}

export async function checkPullRequest(options: PrCheckOptions): Promise<PrCheckResult> {
  const pr = await readPullRequest(options);
  const policy = applyPolicy(pr);
  const owners = await checkOwnership(pr, policy, options.network);
  const problems = dedupe([...policy.problems, ...owners.problems])
    .map((problem) => locate(problem, pr.headTexts.get(problem.file)))
    .sort(compareProblems);
  return {
    base: pr.base,
    mergeBase: pr.mergeBase,
    head: pr.head ?? 'working tree',
    author: pr.author,
    changes: pr.changes,
    newServers: policy.newServers,
    newVersions: policy.newVersions.map(({ name, version, file }) => ({ name, version, file })),
    ownership: owners.ownership,
    problems,
    labels: pickLabels({
      problems,
      newServer: policy.newServers.length > 0,
      newVersionOfExisting: policy.newVersions.some((v) => policy.existingNames.has(v.name)),
      changesCode: pr.changes.some((c) => c.kind === 'code'),
    }),
    ok: !hasErrors(problems),
  };
}

/** Loader codes that the PR-aware checks report better (they know which side is new). */
const SUPERSEDED: ReadonlyMap<RuleCode, RuleCode> = new Map<RuleCode, RuleCode>([
  ['remote-url-claimed', 'duplicate-remote'],
  ['name-case-collision', 'name-confusable'],
]);

function dedupe(problems: Problem[]): Problem[] {
  const ours = new Set(problems.map((p) => `${p.code} ${p.file} ${p.path}`));
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const replacement = SUPERSEDED.get(problem.code);
    if (replacement && ours.has(`${replacement} ${problem.file} ${problem.path}`)) return false;
    const key = `${problem.code} ${problem.file} ${problem.path} ${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Adds line/column from the head text for problems that have a JSON path but no position yet. */
function locate(problem: Problem, text: string | undefined): Problem {
  if (problem.line !== undefined || text === undefined || problem.path === '$') return problem;
  const position = locateJsonPath(text, parseJsonPath(problem.path) ?? []);
  return position ? { ...problem, line: position.line, column: position.column } : problem;
}
