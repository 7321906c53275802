/** Rules on version strings: the server version and pinned package versions. */
import type { Problem } from '../problems.ts';
import { quote, report, type Rule } from './context.ts';

// A single version number as ranges write it: v1, 1.2, 1.2.3, 1.2.3.4, with an optional pre-release.
const VERSION = String.raw`v?\d+(?:\.\d+){0,3}(?:-[0-9A-Za-z.-]+)?`;
const COMPARATOR_RANGE = new RegExp(String.raw`^(?:\^|~|>=|<=|>|<|=)\s*${VERSION}$`);
const HYPHEN_RANGE = new RegExp(String.raw`^${VERSION}\s-\s*${VERSION}$`);
const OR_RANGE = new RegExp(String.raw`^${VERSION}\s*(?:\|\|\s*${VERSION}\s*)+$`);
const WILDCARD_VERSION = /^(?:v?\d+|[xX*])(?:\.(?:\d+|[xX*])){1,2}(?:-[0-9A-Za-z.-]+)?$/;

/** True for `^1.2.3`, `~1.2`, `>=1.0`, `1.x`, `1.2.*`, `1.2.3 - 2.0.0`, `1 || 2`; not for `1.0.0` or `{{VERSION}}`. */
export function looksLikeVersionRange(version: string): boolean {
  const trimmed = version.trim();
  if (trimmed === '') return false;
  if (COMPARATOR_RANGE.test(trimmed) || HYPHEN_RANGE.test(trimmed) || OR_RANGE.test(trimmed)) return true;
  return WILDCARD_VERSION.test(trimmed) && /[xX*]/.test(trimmed);
}

export const versionReserved: Rule = (context) =>
  context.server.version === 'latest'
    ? [report(context, 'version-reserved', ['version'], '"latest" is reserved for the newest published version')]
    : [];

export const versionRange: Rule = (context) => {
  const { version } = context.server;
  return looksLikeVersionRange(version)
    ? [report(context, 'version-range', ['version'], `${quote(version)} is a version range`)]
    : [];
};

/** Longest version whose `<version>.json` file name stays within the usual 255-byte limit. */
export const MAX_VERSION_FILENAME_BYTES = 255 - '.json'.length;
// Characters no portable file system or URL path segment takes verbatim.
const UNSAFE_CHARACTER = /[/\\<>:"|?*\u0000-\u001f\u007f]/;

/**
 * The version becomes `versions/<version>.json` and a URL segment. Real accepted versions such as
 * `{{VERSION}}`, `1.0.1º` and `2025.11.26+pr150-394827a` pass.
 */
export const versionUnsafeFilename: Rule = (context) => {
  const { version } = context.server;
  const problem = (message: string) => [report(context, 'version-unsafe-filename', ['version'], message)];
  if (version === '') return problem('version is empty');
  const unsafe = UNSAFE_CHARACTER.exec(version);
  if (unsafe) return problem(`version ${quote(version)} contains ${quote(unsafe[0])}`);
  if (version.startsWith('.')) return problem(`version ${quote(version)} starts with "."`);
  if (/[. ]$/.test(version)) return problem(`version ${quote(version)} ends with a dot or a space`);
  // A UTF-16 unit is at most 3 UTF-8 bytes, so short versions skip the encoding.
  if (
    version.length * 3 > MAX_VERSION_FILENAME_BYTES &&
    new TextEncoder().encode(version).length > MAX_VERSION_FILENAME_BYTES
  ) {
    return problem(`version is longer than ${MAX_VERSION_FILENAME_BYTES} bytes, too long for a file name`);
  }
  return [];
};

export const packageVersion: Rule = (context) => {
  const problems: Problem[] = [];
  context.server.packages?.forEach((pkg, index) => {
    if (pkg.version === undefined) return;
    if (pkg.version === 'latest' || looksLikeVersionRange(pkg.version)) {
      const message = `package version ${quote(pkg.version)} is not one specific version`;
      problems.push(report(context, 'package-version-reserved', ['packages', index, 'version'], message));
    }
  });
  return problems;
};
