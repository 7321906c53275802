/**
 * The official registry's "latest" rule, reproduced exactly so that `isLatest` here matches what the
 * official API reports (modelcontextprotocol/registry, internal/service/versioning.go, which uses
 * golang.org/x/mod/semver after adding a missing `v` prefix):
 * - a version is "semver" when it is valid Go semver (`1.2.3`, `v1.2.3`, `1.2.3-rc.1`, `1.2.3+build`;
 *   no leading zeros) AND its core has exactly three numeric parts (`1.2` and `2.1` are not);
 * - two semver versions compare by SemVer 2.0 precedence (prerelease identifiers numeric < alphanumeric,
 *   numbers by value; build metadata ignored, so `1.0.0+a` equals `1.0.0` and `v1.0.0`);
 * - two non-semver versions compare by publish time; a semver version always beats a non-semver one;
 * - publishing only replaces the latest when the new version compares strictly greater, so among
 *   versions that compare equal the earliest published stays latest;
 * - deleted versions are never latest.
 * Checked against every server of the 2025-12-18 official dump (see test/unit/registry/latest.test.ts).
 */
import type { VersionStatus } from './facts.ts';

const NUMBER = '(0|[1-9][0-9]*)';
const PRERELEASE_ID = '(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)';
const BUILD_ID = '[0-9A-Za-z-]+';
/** Go semver with exactly three core parts; the `v` is optional as the official code adds it. */
const SEMVER = new RegExp(
  `^v?${NUMBER}\\.${NUMBER}\\.${NUMBER}(?:-(${PRERELEASE_ID}(?:\\.${PRERELEASE_ID})*))?(?:\\+${BUILD_ID}(?:\\.${BUILD_ID})*)?$`,
);

export function isSemanticVersion(version: string): boolean {
  return SEMVER.test(version);
}

const sign = <T extends number | bigint | string>(a: T, b: T): number => (a < b ? -1 : a > b ? 1 : 0);

/** Compares two versions that `isSemanticVersion` accepts, by SemVer precedence: -1, 0 or 1. */
export function compareSemanticVersions(a: string, b: string): number {
  const [, majorA, minorA, patchA, preA] = SEMVER.exec(a)!;
  const [, majorB, minorB, patchB, preB] = SEMVER.exec(b)!;
  return (
    sign(BigInt(majorA!), BigInt(majorB!)) ||
    sign(BigInt(minorA!), BigInt(minorB!)) ||
    sign(BigInt(patchA!), BigInt(patchB!)) ||
    comparePrereleases(preA, preB)
  );
}

function comparePrereleases(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  const idsA = a.split('.');
  const idsB = b.split('.');
  for (let i = 0; i < Math.min(idsA.length, idsB.length); i++) {
    const order = comparePrereleaseIds(idsA[i]!, idsB[i]!);
    if (order !== 0) return order;
  }
  return sign(BigInt(idsA.length), BigInt(idsB.length));
}

function comparePrereleaseIds(a: string, b: string): number {
  const numericA = /^[0-9]+$/.test(a);
  const numericB = /^[0-9]+$/.test(b);
  if (numericA && numericB) return sign(BigInt(a), BigInt(b));
  if (numericA !== numericB) return numericA ? -1 : 1;
  return sign(a, b);
}

/** What the rule needs of a version: the shape of a model VersionRecord. */
export interface VersionCandidate {
  server: { version: string };
  /** RFC 3339 publish time. */
  publishedAt: string;
  status: VersionStatus;
}

/** The official CompareVersions: -1, 0 or 1. */
export function compareVersions(a: VersionCandidate, b: VersionCandidate): number {
  const semverA = isSemanticVersion(a.server.version);
  const semverB = isSemanticVersion(b.server.version);
  if (semverA && semverB) return compareSemanticVersions(a.server.version, b.server.version);
  if (!semverA && !semverB) return comparePublishTimes(a.publishedAt, b.publishedAt);
  return semverA ? 1 : -1;
}

/** Compares RFC 3339 instants; sub-millisecond digits count (the official data has microseconds). */
export function comparePublishTimes(a: string, b: string): number {
  const order = sign(Date.parse(a), Date.parse(b));
  return order !== 0 ? order : sign(fractionalNanos(a), fractionalNanos(b));
}

/** The fraction of a second as a zero-padded 9-digit string (comparable as a string). */
function fractionalNanos(timestamp: string): string {
  const fraction = /\.(\d+)/.exec(timestamp)?.[1] ?? '';
  return fraction.padEnd(9, '0').slice(0, 9);
}

/**
 * The latest version among candidates, or undefined when every one is deleted.
 * Replays publishing in publish order, as the official registry does one publish at a time.
 */
export function pickLatest<T extends VersionCandidate>(candidates: readonly T[]): T | undefined {
  let latest: T | undefined;
  for (const candidate of [...candidates].sort(byPublishOrder)) {
    if (candidate.status === 'deleted') continue;
    if (latest === undefined || compareVersions(candidate, latest) > 0) latest = candidate;
  }
  return latest;
}

/** Oldest publish first; equal instants by version string, so the result never depends on input order. */
export function byPublishOrder(a: VersionCandidate, b: VersionCandidate): number {
  return comparePublishTimes(a.publishedAt, b.publishedAt) || sign(a.server.version, b.server.version);
}
