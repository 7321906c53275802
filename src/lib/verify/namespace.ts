/**
 * Namespace ownership, as the official registry defines it:
 *   io.github.<login>/*  the PR author is <login>, or a member of organisation <login> (GitHub API);
 *   reverse DNS (com.example/*)  a DNS TXT record `v=MCPv1; k=ed25519; p=<key>` at the domain or any
 *   parent domain (a record at the apex grants subdomains), or the same line served at
 *   https://<domain>/.well-known/mcp-registry-auth (that exact domain only).
 *
 * What a PR can prove: the DNS/HTTP record shows the domain's owner enrolled it with the MCP
 * registry; it cannot tie that key to a GitHub login, so reverse-DNS PRs also get a maintainer's eye
 * (see CONTRIBUTING.md). The resolvers are injectable so tests use real loopback DNS and HTTP servers.
 */
import { Resolver } from 'node:dns/promises';
import type { Problem } from '../problems.ts';
import type { GitHubClient } from '../github/client.ts';
import { RequestError } from '../github/client.ts';
import { ruleProblem } from '../rule-codes.ts';
import { httpFetch, readCapped } from './http.ts';

export interface NamespaceResolvers {
  github: GitHubClient;
  resolveTxt: (domain: string) => Promise<string[][]>;
  /** The well-known URL for a domain; tests map it to a loopback server. */
  wellKnownUrl: (domain: string) => string;
  timeoutMs?: number;
}

/** A TXT resolver; `servers` (e.g. ['127.0.0.1:5353']) overrides the system's, for tests. */
export function dnsTxtResolver(servers?: string[], timeoutMs = 5000): (domain: string) => Promise<string[][]> {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
  if (servers) resolver.setServers(servers);
  return (domain) => resolver.resolveTxt(domain);
}

export const defaultWellKnownUrl = (domain: string) => `https://${domain}/.well-known/mcp-registry-auth`;

const AUTH_RECORD = /^v=MCPv1;\s*k=ed25519;\s*p=[A-Za-z0-9+/]{16,}={0,2}\s*$/;

/** `com.example.api` -> `api.example.com`. */
export function namespaceDomain(namespace: string): string {
  return namespace.split('.').reverse().join('.').toLowerCase();
}

export function githubLogin(namespace: string): string | undefined {
  const match = /^io\.github\.([A-Za-z0-9-]+)$/i.exec(namespace);
  return match?.[1];
}

export type Ownership = { owned: true; via: string } | { owned: false; problem: Problem };

export async function verifyNamespace(
  namespace: string,
  author: string | undefined,
  resolvers: NamespaceResolvers,
  file: string,
): Promise<Ownership> {
  const login = githubLogin(namespace);
  if (login !== undefined) {
    if (!author) return missing(file, 'namespace-unverified', 'no pull-request author was given (--author)');
    if (login.toLowerCase() === author.toLowerCase()) return { owned: true, via: `GitHub user ${author}` };
    try {
      // 204 member; 404 not a member (or no such org); a non-member token is redirected to public membership.
      await resolvers.github.rest.orgs.checkMembershipForUser({ org: login, username: author });
      return { owned: true, via: `member of GitHub organisation ${login}` };
    } catch (error) {
      if (error instanceof RequestError && (error.status === 404 || error.status === 302)) {
        return missing(
          file,
          'namespace-github',
          `${namespace} belongs to GitHub account ${login}; ${author} is neither that account nor a public member of it`,
        );
      }
      return missing(
        file,
        'namespace-unverified',
        `could not check membership of ${author} in ${login}: ${(error as Error).message}`,
      );
    }
  }
  const domain = namespaceDomain(namespace);
  const failures: string[] = [];
  const labels = domain.split('.');
  for (let i = 0; i <= labels.length - 2; i++) {
    const candidate = labels.slice(i).join('.');
    try {
      const records = await resolvers.resolveTxt(candidate);
      if (records.some((chunks) => AUTH_RECORD.test(chunks.join(''))))
        return { owned: true, via: `DNS TXT record at ${candidate}` };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTFOUND' && code !== 'ENODATA')
        failures.push(`DNS ${candidate}: ${code ?? (error as Error).message}`);
    }
  }
  const url = resolvers.wellKnownUrl(domain);
  try {
    const response = await httpFetch(url, { redirect: 'error' }, resolvers.timeoutMs);
    if (response.ok) {
      const text = (await readCapped(response, 64 * 1024, url)).toString('utf8');
      if (text.split(/\r?\n/).some((line) => AUTH_RECORD.test(line.trim()))) return { owned: true, via: `${url}` };
    }
  } catch (error) {
    failures.push((error as Error).message);
  }
  if (failures.length > 0)
    return missing(
      file,
      'namespace-unverified',
      `no ownership record found for ${domain}, and some look-ups failed: ${failures.join('; ')}`,
    );
  return missing(
    file,
    'namespace-dns',
    `no "v=MCPv1; k=ed25519; p=..." TXT record at ${domain} or its parent domains, and none at ${url}`,
  );
}

function missing(
  file: string,
  code: 'namespace-github' | 'namespace-dns' | 'namespace-unverified',
  message: string,
): Ownership {
  return { owned: false, problem: ruleProblem(code, file, '$.name', message) };
}
