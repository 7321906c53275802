/**
 * The nightly health check of every listed server (its latest version): packages still exist,
 * the GitHub repository is neither gone nor archived, and each remote answers an MCP initialize.
 * Bounded concurrency and a timeout per request, so 25k servers take minutes, not hours.
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
}

export interface HealthResult {
  name: string;
  version: string;
  problems: Problem[];
}

export const MCP_PROTOCOL_VERSION = '2025-06-18';

export async function runHealth(targets: readonly HealthTarget[], env: HealthEnv): Promise<HealthResult[]> {
  const results: HealthResult[] = new Array(targets.length);
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const index = next++;
      const target = targets[index]!;
      results[index] = { name: target.name, version: target.version, problems: await checkHealth(target, env) };
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(env.concurrency ?? 8, targets.length)) }, worker));
  return results.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function checkHealth(target: HealthTarget, env: HealthEnv): Promise<Problem[]> {
  const { server, file } = target;
  const problems: Problem[] = [];
  const registries = { ...env.packages, timeoutMs: env.timeoutMs ?? env.packages.timeoutMs };
  for (const [index, pkg] of (server.packages ?? []).entries()) {
    for (const problem of await verifyPackage(server.name, pkg, registries, file, `$.packages[${index}]`)) {
      // Ownership was proven when the version was merged; here only disappearance and tampering matter.
      if (problem.code === 'package-not-found')
        problems.push(ruleProblem('health-package-missing', file, problem.path, problem.message));
      else if (problem.code === 'package-sha256') problems.push(problem);
    }
  }
  if (env.github && server.repository?.url)
    problems.push(...(await checkRepository(server.repository.url, env.github, file)));
  for (const [index, remote] of (server.remotes ?? []).entries()) {
    const failure = await checkRemote(remote, env.timeoutMs ?? 10_000);
    if (failure)
      problems.push(ruleProblem('health-remote', file, `$.remotes[${index}].url`, `${remote.url}: ${failure}`));
  }
  return problems;
}

async function checkRepository(url: string, github: GitHubClient, file: string): Promise<Problem[]> {
  const match = /^https:\/\/github\.com\/([^/]+)\/([^/#?]+?)(?:\.git)?\/?$/i.exec(url);
  if (!match) return [];
  try {
    const { data } = await github.rest.repos.get({ owner: match[1]!, repo: match[2]! });
    return data.archived ? [ruleProblem('health-repository', file, '$.repository.url', `${url} is archived`)] : [];
  } catch (error) {
    if (error instanceof RequestError && (error.status === 404 || error.status === 451)) {
      return [ruleProblem('health-repository', file, '$.repository.url', `${url} is gone (HTTP ${error.status})`)];
    }
    return []; // a GitHub outage says nothing about this server
  }
}

/**
 * Undefined when the endpoint speaks MCP (or asks for authentication, which only a live server
 * does); otherwise why not. URL templates with {variables} cannot be called without user input.
 */
export async function checkRemote(remote: Remote, timeoutMs: number): Promise<string | undefined> {
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
    return (error as Error).message.replace(`${remote.url}: `, '');
  }
  try {
    if (response.status === 401 || response.status === 403) return undefined;
    if (!response.ok) return `HTTP ${response.status}`;
    const type = response.headers.get('content-type') ?? '';
    if (remote.type === 'sse')
      return type.includes('text/event-stream')
        ? undefined
        : `answered ${type || 'no content type'}, not an event stream`;
    const body = await readFirstMessage(response, timeoutMs);
    return /"jsonrpc"\s*:\s*"2\.0"/.test(body) && /"(result|error)"\s*:/.test(body)
      ? undefined
      : 'the answer to initialize is not a JSON-RPC response';
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
