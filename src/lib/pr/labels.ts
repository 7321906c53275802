/**
 * Stage 4 of the pull-request check (see check.ts): the labels that sort the PR for reviewers,
 * picked from what the earlier stages found.
 */
import type { Problem } from '../problems.ts';
import type { RuleCode } from '../rule-codes.ts';

/** The labels the check manages on a PR; others are left alone. */
export const MANAGED_LABELS = [
  'new-server',
  'new-version',
  'needs-owner',
  'needs-maintainer',
  'possible-impersonation',
  'invalid',
] as const;

export type ManagedLabel = (typeof MANAGED_LABELS)[number];

const OWNERSHIP_CODES: ReadonlySet<RuleCode> = new Set<RuleCode>([
  'namespace-github',
  'namespace-dns',
  'namespace-unverified',
  'facts-need-owner',
  'package-ownership',
]);
const IMPERSONATION_CODES: ReadonlySet<RuleCode> = new Set<RuleCode>([
  'name-confusable',
  'name-lookalike',
  'duplicate-package',
  'duplicate-remote',
  'duplicate-repository',
]);

export interface LabelFacts {
  problems: readonly Problem[];
  /** The PR adds a server the base branch does not list. */
  newServer: boolean;
  /** The PR adds a version to a server the base branch lists. */
  newVersionOfExisting: boolean;
  /** The PR changes files outside the data folder. */
  changesCode: boolean;
}

/** In MANAGED_LABELS order. */
export function pickLabels({ problems, newServer, newVersionOfExisting, changesCode }: LabelFacts): ManagedLabel[] {
  const labels = new Set<ManagedLabel>();
  if (newServer) labels.add('new-server');
  if (newVersionOfExisting) labels.add('new-version');
  if (problems.some((p) => OWNERSHIP_CODES.has(p.code))) labels.add('needs-owner');
  if (changesCode || problems.some((p) => p.code === 'maintainer-only')) labels.add('needs-maintainer');
  if (problems.some((p) => IMPERSONATION_CODES.has(p.code))) labels.add('possible-impersonation');
  if (problems.some((p) => p.severity === 'error' && !OWNERSHIP_CODES.has(p.code) && !IMPERSONATION_CODES.has(p.code)))
    labels.add('invalid');
  return MANAGED_LABELS.filter((label) => labels.has(label));
}
