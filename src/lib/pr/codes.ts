/**
 * Rule codes of the pull-request check and the health job: one table, shared by the CLI output,
 * the bot comment and CONTRIBUTING.md. Manifest rules (schema, semantic rules) have their own codes
 * in the validator; these are the ones only a PR (a diff, an author, the outside world) can break.
 */
import type { Problem, Severity } from '../problems.ts';

export interface RuleInfo {
  severity: Severity;
  summary: string;
  hint: string;
}

export const PR_RULES = {
  'version-immutable': {
    severity: 'error',
    summary: 'A published version file was modified or deleted.',
    hint: 'Publish a new version as a new versions/<version>.json file; to withdraw one, set its status to "deprecated" or "deleted" in registry.json.',
  },
  'maintainer-only': {
    severity: 'error',
    summary: 'Only a maintainer may change this file.',
    hint: 'Open a separate pull request for it and ask a maintainer (listed in .github/MAINTAINERS) to review.',
  },
  'facts-need-owner': {
    severity: 'error',
    summary: 'registry.json (status, curation) changed by someone who does not own the namespace.',
    hint: 'Only the namespace owner or a maintainer may change status or curation; ask the owner to open this pull request.',
  },
  'facts-registry-managed': {
    severity: 'error',
    summary: 'Timestamps and new version entries in registry.json are stamped by the registry at merge.',
    hint: 'Remove publishedAt/updatedAt and new version entries from registry.json; the deploy workflow writes them when the pull request is merged.',
  },
  'namespace-github': {
    severity: 'error',
    summary: 'The io.github.<login> namespace does not belong to the pull-request author.',
    hint: 'Publish under io.github.<your-login>/..., or make your membership of that organisation public and re-run the check.',
  },
  'namespace-dns': {
    severity: 'error',
    summary: 'No proof that the pull-request author controls the reverse-DNS namespace.',
    hint: 'Add a DNS TXT record "v=MCPv1; k=ed25519; p=<base64 public key>" at the domain apex, or serve it at https://<domain>/.well-known/mcp-registry-auth.',
  },
  'namespace-unverified': {
    severity: 'error',
    summary: 'Namespace ownership could not be checked (network or API failure).',
    hint: 'Re-run the check; if it keeps failing, a maintainer can verify ownership by hand.',
  },
  'package-ownership': {
    severity: 'error',
    summary: 'The package does not name this server as its owner.',
    hint: 'npm: add "mcpName": "<server name>" to package.json and publish that version; PyPI/NuGet: put "mcp-name: <server name>" in the README; OCI: add the label io.modelcontextprotocol.server.name=<server name>.',
  },
  'package-not-found': {
    severity: 'error',
    summary: 'The package version does not exist in its registry.',
    hint: 'Publish the package version first, then open the pull request (or fix identifier/version).',
  },
  'package-sha256': {
    severity: 'error',
    summary: 'The MCPB file does not match fileSha256.',
    hint: 'Recompute with `sha256sum <file>.mcpb` and put the 64 lowercase hex characters in fileSha256.',
  },
  'package-unverified': {
    severity: 'error',
    summary: 'Package ownership could not be checked (network failure or unsupported registry).',
    hint: 'Re-run the check; if the registry is unsupported, a maintainer must review the package by hand.',
  },
  'duplicate-package': {
    severity: 'error',
    summary: 'The same package is already listed under another server name.',
    hint: 'Publish new versions under the existing server name instead of a new one.',
  },
  'duplicate-remote': {
    severity: 'error',
    summary: 'The same remote URL is already used by another server.',
    hint: 'One remote URL belongs to one server: publish under the existing name, or use your own endpoint.',
  },
  'duplicate-repository': {
    severity: 'warning',
    summary: 'The same repository (and subfolder) is already listed under another name.',
    hint: 'If this is the same project, publish under the existing name; for a monorepo, set repository.subfolder.',
  },
  'name-confusable': {
    severity: 'error',
    summary: 'The name is visually identical to an existing server name.',
    hint: 'Choose a name that does not imitate an existing one (case, 0/o, 1/l, rn/m and Unicode look-alikes are compared).',
  },
  'name-lookalike': {
    severity: 'error',
    summary: 'The name is one or two characters away from an existing server in another namespace.',
    hint: 'Choose a clearly different name; if this is a genuine, unrelated project, ask a maintainer to review and merge.',
  },
  'health-package-missing': {
    severity: 'error',
    summary: 'A listed package no longer exists in its registry.',
    hint: 'Republish the package or publish a new version of the server without it.',
  },
  'health-repository': {
    severity: 'warning',
    summary: 'The repository is archived or gone.',
    hint: 'Unarchive or move the repository and publish a version with the new repository.url.',
  },
  'health-remote': {
    severity: 'error',
    summary: 'The remote endpoint does not answer an MCP initialize request.',
    hint: 'Make the endpoint answer POST initialize (streamable-http) or GET (sse), or deprecate the version.',
  },
} as const satisfies Record<string, RuleInfo>;

export type PrRuleCode = keyof typeof PR_RULES;

/** A Problem for one of our codes, with the table's severity and hint unless overridden. */
export function prProblem(
  code: PrRuleCode,
  file: string,
  path: string,
  message: string,
  extra: Partial<Pick<Problem, 'severity' | 'hint' | 'line' | 'column'>> = {},
): Problem {
  const rule: RuleInfo = PR_RULES[code];
  return {
    code,
    severity: extra.severity ?? rule.severity,
    file,
    path,
    message,
    hint: extra.hint ?? rule.hint,
    ...pick(extra),
  };
}

function pick(extra: Partial<Pick<Problem, 'line' | 'column'>>): Partial<Problem> {
  const out: Partial<Problem> = {};
  if (extra.line !== undefined) out.line = extra.line;
  if (extra.column !== undefined) out.column = extra.column;
  return out;
}
