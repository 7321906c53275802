/**
 * What a sync did, as data (the `--report` JSON, kept with a planned run so an interrupted one can
 * still report), as the summary the CLI prints, and as the body of the pull request the scheduled
 * workflow opens. Every upstream string in the body is escaped: names, versions and status messages
 * are the upstream's text and may try to inject markdown, HTML, links or @mentions.
 */
import type { ImportOutcome, StatusChange } from '../import/import.ts';
import { escapeMarkdown, inlineCode } from '../markdown.ts';
import type { VersionStatus } from '../registry/facts.ts';

/** GitHub refuses a pull request body longer than this. */
export const MAX_PR_BODY = 65_536;

export interface SyncReport {
  source: string;
  into: string;
  full: boolean;
  /** The `updated_since` of this run; absent for a full run. */
  since?: string;
  /** What the next run will ask for. */
  nextSince?: string;
  startedAt: string;
  pages: number;
  /** Pages an interrupted run had already fetched. */
  resumedPages: number;
  records: number;
  counts: {
    added: number;
    newServers: number;
    updated: number;
    statusChanges: number;
    unchanged: number;
    refused: number;
    skippedPolicy: number;
    skippedDeleted: number;
    keptMaintainerStatus: number;
  };
  refusedByCode: { code: string; count: number }[];
  added: { label: string; newServer: boolean }[];
  statusChanges: ({ label: string } & StatusChange)[];
  refusals: { label: string; codes: string[]; message: string }[];
  keptMaintainerStatus: { label: string; kept: VersionStatus; upstream: VersionStatus }[];
  skippedPolicy: { label: string; reason: string }[];
  skippedDeleted: string[];
  /** Files written (or that would be). */
  files: number;
  publish: 'pull-request' | 'direct';
  seconds: number;
}

export interface ReportInput {
  source: string;
  into: string;
  full: boolean;
  since: string | undefined;
  nextSince: string | undefined;
  startedAt: string;
  pages: number;
  resumedPages: number;
  records: number;
  outcomes: readonly ImportOutcome[];
  skippedPolicy: { label: string; reason: string }[];
  skippedDeleted: string[];
  files: number;
  publish: 'pull-request' | 'direct';
  seconds: number;
}

export function buildReport(input: ReportInput): SyncReport {
  const byCode = new Map<string, number>();
  const refusals: SyncReport['refusals'] = [];
  const added: SyncReport['added'] = [];
  const statusChanges: SyncReport['statusChanges'] = [];
  const kept: SyncReport['keptMaintainerStatus'] = [];
  let updated = 0;
  let unchanged = 0;
  for (const outcome of input.outcomes) {
    if (outcome.kind === 'refused') {
      const codes = [...new Set(outcome.problems.map((p) => p.code))];
      for (const code of codes) byCode.set(code, (byCode.get(code) ?? 0) + 1);
      refusals.push({ label: outcome.label, codes, message: outcome.problems[0]?.message ?? '' });
    } else if (outcome.kind === 'added') added.push({ label: outcome.label, newServer: outcome.newServer === true });
    else if (outcome.kind === 'updated') {
      updated++;
      if (outcome.statusChange) statusChanges.push({ label: outcome.label, ...outcome.statusChange });
    } else unchanged++;
    if (outcome.keptMaintainerStatus) kept.push({ label: outcome.label, ...outcome.keptMaintainerStatus });
  }
  const byLabel = (a: { label: string }, b: { label: string }) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
  return {
    source: input.source,
    into: input.into,
    full: input.full,
    ...(input.since !== undefined && { since: input.since }),
    ...(input.nextSince !== undefined && { nextSince: input.nextSince }),
    startedAt: input.startedAt,
    pages: input.pages,
    resumedPages: input.resumedPages,
    records: input.records,
    counts: {
      added: added.length,
      newServers: added.filter((entry) => entry.newServer).length,
      updated: updated - statusChanges.length,
      statusChanges: statusChanges.length,
      unchanged,
      refused: refusals.length,
      skippedPolicy: input.skippedPolicy.length,
      skippedDeleted: input.skippedDeleted.length,
      keptMaintainerStatus: kept.length,
    },
    refusedByCode: [...byCode]
      .map(([code, count]) => ({ code, count }))
      .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1)),
    added: added.sort(byLabel),
    statusChanges: statusChanges.sort(byLabel),
    refusals: refusals.sort(byLabel),
    keptMaintainerStatus: kept.sort(byLabel),
    skippedPolicy: [...input.skippedPolicy].sort(byLabel),
    skippedDeleted: [...input.skippedDeleted].sort(),
    files: input.files,
    publish: input.publish,
    seconds: input.seconds,
  };
}

const number = (n: number) => n.toLocaleString('en-US');

/** The counts in one sentence. */
export function countsLine(report: SyncReport): string {
  const c = report.counts;
  return (
    `added ${number(c.added)} versions (${number(c.newServers)} new servers), status changes ${number(c.statusChanges)}, ` +
    `other updates ${number(c.updated)}, unchanged ${number(c.unchanged)}, refused ${number(c.refused)}, ` +
    `skipped ${number(c.skippedPolicy + c.skippedDeleted)} (policy ${number(c.skippedPolicy)}, deleted upstream ${number(c.skippedDeleted)})` +
    (c.keptMaintainerStatus > 0 ? `, maintainer status kept ${number(c.keptMaintainerStatus)}` : '')
  );
}

function describeRun(report: SyncReport): string {
  const what = report.full ? 'full listing' : report.since ? `changes since ${report.since}` : 'first listing';
  const resumed = report.resumedPages > 0 ? `, ${report.resumedPages} of them from the interrupted run` : '';
  return `${what}: ${number(report.pages)} pages${resumed}, ${number(report.records)} records, ${report.seconds.toFixed(1)} s`;
}

const statusText = (change: SyncReport['statusChanges'][number]) =>
  `${change.from} -> ${change.to}${change.message !== undefined ? ` ("${change.message}")` : ''}${change.at ? ` at ${change.at}` : ''}`;

/** What the CLI prints: a few lines for a person reading a terminal or a CI log. */
export function renderSummary(report: SyncReport, limit = 20): string {
  const lines = [`sync from ${report.source} into ${report.into} (${describeRun(report)})`, `  ${countsLine(report)}`];
  const list = <T>(title: string, items: readonly T[], render: (item: T) => string) => {
    if (items.length === 0) return;
    lines.push(`  ${title}:`);
    for (const item of items.slice(0, limit)) lines.push(`    ${render(item)}`);
    if (items.length > limit) lines.push(`    and ${number(items.length - limit)} more`);
  };
  list('status changes', report.statusChanges, (change) => `${change.label}: ${statusText(change)}`);
  if (report.refusedByCode.length > 0)
    lines.push(
      `  refused by code: ${report.refusedByCode.map(({ code, count }) => `${code} ${number(count)}`).join(', ')}`,
    );
  list('refused', report.refusals, (refusal) => `${refusal.label} (${refusal.codes.join(', ')}): ${refusal.message}`);
  list(
    'maintainer status kept',
    report.keptMaintainerStatus,
    (entry) => `${entry.label}: kept ${entry.kept}, upstream says ${entry.upstream}`,
  );
  lines.push(
    report.files === 0
      ? '  nothing to change'
      : `  wrote ${number(report.files)} files` +
          (report.nextSince ? `; the next run asks for changes after ${report.nextSince}` : ''),
  );
  return `${lines.join('\n')}\n`;
}

/** The pull request body: counts, then the first changes of each kind, then "and N more", within GitHub's limit. */
export function renderPullRequestBody(report: SyncReport, maxLength = MAX_PR_BODY): string {
  for (let limit = 200; ; limit = Math.floor(limit / 2)) {
    const body = pullRequestBody(report, limit);
    if (body.length <= maxLength || limit === 0) return body.length <= maxLength ? body : body.slice(0, maxLength);
  }
}

function pullRequestBody(report: SyncReport, limit: number): string {
  const c = report.counts;
  const esc = escapeMarkdown;
  const name = inlineCode;
  const lines = [
    `Sync from ${esc(report.source)}: ${esc(describeRun(report))}.`,
    '',
    '| change | count |',
    '| --- | ---: |',
    `| new servers | ${number(c.newServers)} |`,
    `| new versions (new servers included) | ${number(c.added)} |`,
    `| status changes | ${number(c.statusChanges)} |`,
    `| other fact updates | ${number(c.updated)} |`,
    `| unchanged | ${number(c.unchanged)} |`,
    `| refused by our validator | ${number(c.refused)} |`,
    `| skipped by policy.json | ${number(c.skippedPolicy)} |`,
    `| deleted upstream, never taken | ${number(c.skippedDeleted)} |`,
    ...(c.keptMaintainerStatus > 0 ? [`| status set by a maintainer, kept | ${number(c.keptMaintainerStatus)} |`] : []),
    '',
  ];
  const section = <T>(title: string, items: readonly T[], render: (item: T) => string) => {
    if (items.length === 0) return;
    lines.push(`### ${title} (${number(items.length)})`, '');
    for (const item of items.slice(0, limit)) lines.push(`- ${render(item)}`);
    if (items.length > limit) lines.push(`- and ${number(items.length - limit)} more`);
    lines.push('');
  };
  section(
    'Status changes',
    report.statusChanges,
    (change) =>
      `${name(change.label)}: ${change.from} → **${change.to}**` +
      (change.message !== undefined ? `: ${esc(change.message)}` : '') +
      (change.at ? ` (${esc(change.at)})` : ''),
  );
  section(
    'Status set by a maintainer, kept',
    report.keptMaintainerStatus,
    (entry) => `${name(entry.label)}: kept ${entry.kept}; upstream says ${entry.upstream}`,
  );
  section(
    'New servers',
    report.added.filter((entry) => entry.newServer),
    (entry) => name(entry.label),
  );
  section(
    'New versions of servers already here',
    report.added.filter((entry) => !entry.newServer),
    (entry) => name(entry.label),
  );
  if (report.refusedByCode.length > 0) {
    lines.push(
      '### Refused',
      '',
      `By rule code: ${report.refusedByCode.map(({ code, count }) => `${name(code)} ${number(count)}`).join(', ')}. Each rule is explained in docs/validation.md.`,
      '',
    );
    section(
      'Refused records',
      report.refusals,
      (refusal) => `${name(refusal.label)} (${refusal.codes.map(name).join(', ')}): ${esc(refusal.message)}`,
    );
  }
  lines.push(
    report.nextSince
      ? `The next sync asks for changes after ${esc(report.nextSince)}. Written by \`npm run sync\`; see docs/sync.md.`
      : 'Written by `npm run sync`; see docs/sync.md.',
  );
  return `${lines.join('\n')}\n`;
}
