/**
 * The nightly health check of every listed server (its latest version): packages still exist,
 * the GitHub repository is neither gone nor archived, and each remote answers an MCP initialize.
 * Bounded concurrency and a timeout per request, so 25k servers take minutes, not hours.
 *
 * What we could not find out is `unknown`, never a verdict: a package registry or GitHub that fails
 * to answer says nothing about the server, and when our own network is down (the canaries, checked
 * before and after the run, do not answer) no remote that failed to connect counts as broken.
 */
import type { Problem } from '../problems.ts';
import type { Remote, ServerJson } from '../schema/server.ts';
import type { GitHubClient } from '../github/client.ts';
import { RequestError } from '../github/client.ts';
import { ruleProblem } from '../rule-codes.ts';
import { httpFetch, readCapped } from './http.ts';
import type { PackageRegistries } from './packages.ts';
import { verifyPackage } from './packages.ts';

export interface HealthTarget {
  name: string;
  version: string;
  /** Repository-relative path of the manifest, for the problems. */
  file: string;
  server: ServerJson;
}

export interface HealthEnv {
  packages: PackageRegistries;
  /** Without a client the repository check is skipped (no token, no API). */
  github?: GitHubClient;
  timeoutMs?: number;
  concurrency?: number;
  /**
   * URLs that always answer when our network works (the npm registry's ping): if one fails before or
   * after the run, remotes that could not be reached are unknown rather than broken.
   */
  canaries?: readonly string[];
}

export interface HealthResult {
  name: string;
  version: string;
  problems: Problem[];
  /** What could not be checked, and why: neither healthy nor broken. */
  unknown: string[];
}

export type HealthVerdict = 'ok' | 'broken' | 'unknown';

/** Broken on any error; otherwise unknown when something could not be checked; otherwise ok. */
export function verdict(result: HealthResult): HealthVerdict {
  if (result.problems.some((p) => p.severity === 'error')) return 'broken';
  return result.unknown.length > 0 ? 'unknown' : 'ok';
}

export const MCP_PROTOCOL_VERSION = '2025-06-18';

export async function runHealth(targets: readonly HealthTarget[], env: HealthEnv): Promise<HealthResult[]> {
  const networkBefore = await networkWorks(env);
  const checked: { result: HealthResult; unreachable: Problem[] }[] = new Array(targets.length);
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const index = next++;
      const target = targets[index]!;
      checked[index] = {
        result: { name: target.name, version: target.version, problems: [], unknown: [] },
        unreachable: [],
      };
      await checkHealth(target, env, checked[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(env.concurrency ?? 8, targets.length)) }, worker));
  const networkAfter = await networkWorks(env);
  const ours = !networkBefore || !networkAfter;
  const results = checked.map(({ result, unreachable }) => {
    if (ours) result.unknown.push(...unreachable.map((p) => `${p.message} (our network was down during the run)`));
    else result.problems.push(...unreachable);
    return result;
  });
  return results.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** True unless a canary fails: then our side of the network, not the servers', is at fault. */
async function networkWorks(env: HealthEnv): Promise<boolean> {
  for (const url of env.canaries ?? []) {
    try {
      const response = await httpFetch(url, {}, env.timeoutMs ?? 10_000);
      await response.body?.cancel().catch(() => {});
      if (response.status >= 500) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * Checks one server into `into`: problems found, what could not be checked (`unknown`), and
 * remotes that could not be reached at all (`unreachable`, judged once the run knows whether our
 * own network worked).
 */
export async function checkHealth(
  target: HealthTarget,
  env: HealthEnv,
  into: { result: HealthResult; unreachable: Problem[] },
): Promise<void> {
  const { server, file } = target;
  const { problems, unknown } = into.result;
  const registries = { ...env.packages, timeoutMs: env.timeoutMs ?? env.packages.timeoutMs };
  for (const [index, pkg] of (server.packages ?? []).entries()) {
    for (const problem of await verifyPackage(server.name, pkg, registries, file, `$.packages[${index}]`)) {
      // Ownership was proven when the version was merged; here only disappearance and tampering matter.
      if (problem.code === 'package-not-found')
        problems.push(ruleProblem('health-package-missing', file, problem.path, problem.message));
      else if (problem.code === 'package-sha256') problems.push(problem);
      else if (problem.code === 'package-unverified') unknown.push(problem.message);
    }
  }
  if (env.github && server.repository?.url) await checkRepository(server.repository.url, env.github, file, into.result);
  for (const [index, remote] of (server.remotes ?? []).entries()) {
    const failure = await checkRemote(remote, env.timeoutMs ?? 10_000);
    if (!failure) continue;
    const problem = ruleProblem('health-remote', file, `$.remotes[${index}].url`, `${remote.url}: ${failure.reason}`);
    (failure.network ? into.unreachable : problems).push(problem);
  }
}

async function checkRepository(url: string, github: GitHubClient, file: string, into: HealthResult): Promise<void> {
  const match = /^https:\/\/github\.com\/([^/]+)\/([^/#?]+?)(?:\.git)?\/?$/i.exec(url);
  if (!match) return;
  try {
    const { data } = await github.rest.repos.get({ owner: match[1]!, repo: match[2]! });
    if (data.archived)
      into.problems.push(ruleProblem('health-repository', file, '$.repository.url', `${url} is archived`));
  } catch (error) {
    if (error instanceof RequestError && (error.status === 404 || error.status === 451)) {
      into.problems.push(
        ruleProblem('health-repository', file, '$.repository.url', `${url} is gone (HTTP ${error.status})`),
      );
      return;
    }
    // A GitHub outage or rate limit says nothing about this server either way.
    into.unknown.push(`GitHub did not answer for ${url}: ${(error as Error).message}`);
  }
}

export interface RemoteFailure {
  reason: string;
  /** No HTTP answer at all (DNS, connection, timeout): the server's fault only if our network works. */
  network: boolean;
}

/**
 * Undefined when the endpoint speaks MCP (or asks for authentication, which only a live server
 * does); otherwise why not. URL templates with {variables} cannot be called without user input.
 */
export async function checkRemote(remote: Remote, timeoutMs: number): Promise<RemoteFailure | undefined> {
  if (/\{[^}]+\}/.test(remote.url)) return undefined;
  let response: Response;
  try {
    response =
      remote.type === 'sse'
        ? await httpFetch(remote.url, { headers: { accept: 'text/event-stream' } }, timeoutMs)
        : await httpFetch(
            remote.url,
            {
              method: 'POST',
              headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
              body: JSON.stringify({
                jsonrpc: '2.0',
                id: 1,
                method: 'initialize',
                params: {
                  protocolVersion: MCP_PROTOCOL_VERSION,
                  capabilities: {},
                  clientInfo: { name: 'mcp-index-health', version: '1.0.0' },
                },
              }),
            },
            timeoutMs,
          );
  } catch (error) {
    return { reason: (error as Error).message.replace(`${remote.url}: `, ''), network: true };
  }
  const fail = (reason: string): RemoteFailure => ({ reason, network: false });
  try {
    if (response.status === 401 || response.status === 403) return undefined;
    if (!response.ok) return fail(`HTTP ${response.status}`);
    const type = response.headers.get('content-type') ?? '';
    if (remote.type === 'sse')
      return type.includes('text/event-stream')
        ? undefined
        : fail(`answered ${type || 'no content type'}, not an event stream`);
    const body = await readFirstMessage(response, timeoutMs);
    return /"jsonrpc"\s*:\s*"2\.0"/.test(body) && /"(result|error)"\s*:/.test(body)
      ? undefined
      : fail('the answer to initialize is not a JSON-RPC response');
  } finally {
    await response.body?.cancel().catch(() => {});
  }
}

/** A JSON body, or the first SSE event of a stream (the stream itself may stay open). */
async function readFirstMessage(response: Response, timeoutMs: number): Promise<string> {
  if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
    return (await readCapped(response, 1024 * 1024, response.url)).toString('utf8');
  }
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + timeoutMs;
  while (!/\n\n|\r\n\r\n/.test(text) && text.length < 1024 * 1024 && Date.now() < deadline) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return text;
}
