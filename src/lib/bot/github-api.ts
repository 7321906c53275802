/**
 * The few GitHub API calls the bot write path makes, over the platform's fetch: the job that holds the
 * write token installs nothing, so this module may import no package (octokit included) and nothing of
 * ours that does. Tests point `api` and `graphql` at a loopback replay of GitHub.
 */

export interface GitHubApi {
  /** REST base, e.g. https://api.github.com (Actions: GITHUB_API_URL). */
  api: string;
  /** GraphQL endpoint, e.g. https://api.github.com/graphql (Actions: GITHUB_GRAPHQL_URL). */
  graphql: string;
  token: string;
  timeoutMs?: number;
}

export class GitHubApiError extends Error {
  readonly status: number | undefined;

  constructor(message: string, status: number | undefined) {
    super(message);
    this.status = status;
  }
}

/** One REST call; the parsed JSON body, or a GitHubApiError naming the route and GitHub's message. */
export async function rest<T>(github: GitHubApi, method: string, route: string, body?: unknown): Promise<T> {
  const url = `${github.api.replace(/\/+$/, '')}${route}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${github.token}`,
        'x-github-api-version': '2022-11-28',
        'user-agent': 'registry-bot-write',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(github.timeoutMs ?? 30_000),
    });
  } catch (error) {
    throw new GitHubApiError(`${method} ${route}: ${(error as Error).message}`, undefined);
  }
  const text = await response.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = text;
  }
  if (!response.ok) {
    const message = (data as { message?: unknown } | undefined)?.message;
    throw new GitHubApiError(
      `${method} ${route}: HTTP ${response.status}${typeof message === 'string' ? ` (${message})` : ''}`,
      response.status,
    );
  }
  return data as T;
}

/** One GraphQL call; GraphQL reports failures in `errors` with HTTP 200, so those throw too. */
export async function graphql<T>(github: GitHubApi, query: string, variables: Record<string, unknown>): Promise<T> {
  const url = new URL(github.graphql);
  const result = await rest<{ data?: T; errors?: { message?: string }[] }>(
    { ...github, api: url.origin },
    'POST',
    url.pathname,
    { query, variables },
  );
  if (result.errors?.length) {
    throw new GitHubApiError(`GraphQL: ${result.errors.map((e) => e.message ?? '?').join('; ')}`, 200);
  }
  return result.data as T;
}

export function repoRoute(owner: string, repo: string): string {
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
}
