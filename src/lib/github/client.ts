/**
 * One way to build an octokit client for the whole project: explicit base URL (tests point it at a
 * loopback replay server), no logging noise, and our own bounded rate-limit handling instead of the
 * throttling plugin's unbounded queue, so a CLI never hangs for an hour on a reset time.
 */
import { Octokit, RequestError } from 'octokit';

export const GITHUB_API = 'https://api.github.com';

export interface GitHubClientOptions {
  token?: string;
  baseUrl?: string;
  /** Longest single wait for a rate limit to reset before giving up (default 60 s). */
  maxRateLimitWaitMs?: number;
  /** How many times one request may be retried after a rate limit (default 2). */
  maxRateLimitRetries?: number;
}

export type GitHubClient = InstanceType<typeof Octokit>;

export class GitHubRateLimitError extends Error {
  readonly waitMs: number;
  readonly route: string;

  constructor(waitMs: number, route: string) {
    super(
      `GitHub rate limit reached on ${route}; it resets in ${Math.ceil(waitMs / 1000)} s, longer than this command waits. ` +
        'Set GITHUB_TOKEN to a token with a higher limit, or try again later.',
    );
    this.waitMs = waitMs;
    this.route = route;
  }
}

/**
 * How long GitHub asks us to wait, or undefined when the response is not a rate limit.
 * `retry-after` (secondary limits, seconds) wins; otherwise `x-ratelimit-remaining: 0` with
 * `x-ratelimit-reset` (epoch seconds).
 */
export function rateLimitWaitMs(
  status: number,
  headers: Record<string, string | number | undefined>,
  now: number,
): number | undefined {
  if (status !== 403 && status !== 429) return undefined;
  const retryAfter = headers['retry-after'];
  if (retryAfter !== undefined && /^\d+$/.test(String(retryAfter))) return Number(retryAfter) * 1000;
  if (String(headers['x-ratelimit-remaining']) === '0' && headers['x-ratelimit-reset'] !== undefined) {
    return Math.max(0, Number(headers['x-ratelimit-reset']) * 1000 - now);
  }
  return status === 429 ? 60_000 : undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createGitHubClient(options: GitHubClientOptions = {}): GitHubClient {
  const maxWait = options.maxRateLimitWaitMs ?? 60_000;
  const maxRetries = options.maxRateLimitRetries ?? 2;
  const octokit = new Octokit({
    auth: options.token,
    baseUrl: (options.baseUrl ?? GITHUB_API).replace(/\/+$/, ''),
    throttle: { enabled: false },
    retry: { enabled: false },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  octokit.hook.wrap('request', async (request, requestOptions) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(requestOptions);
      } catch (error) {
        if (!(error instanceof RequestError) || !error.response) throw error;
        const wait = rateLimitWaitMs(error.status, error.response.headers, Date.now());
        if (wait === undefined) throw error;
        const route = `${error.request.method} ${new URL(error.request.url).pathname}`;
        if (wait > maxWait || attempt >= maxRetries) throw new GitHubRateLimitError(wait, route);
        await sleep(wait);
      }
    }
  });
  return octokit;
}

/** A client from GITHUB_TOKEN and GITHUB_API_URL (Actions sets it), in the environment a script passes in. */
export function githubFromEnv(env: NodeJS.ProcessEnv): GitHubClient {
  return createGitHubClient({ token: env.GITHUB_TOKEN || undefined, baseUrl: env.GITHUB_API_URL || undefined });
}

export function isNotFound(error: unknown): boolean {
  return error instanceof RequestError && error.status === 404;
}

export { RequestError };
