/**
 * Optional build-time facts about each server's GitHub repository (stars, last push, archived,
 * licence), kept in one cache file keyed by `owner/repo` with the ETag of the last answer, so a
 * refresh costs conditional requests (304s are free) and the build reads the file offline.
 * No token, no network, no file: the build simply has no enrichment.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { GitHubClient } from './client.ts';
import { isNotFound, RequestError } from './client.ts';

export interface RepositoryFacts {
  stars: number;
  pushedAt: string | null;
  archived: boolean;
  license: string | null;
}

interface CacheEntry {
  etag?: string;
  /** null: the repository does not exist (any more). */
  facts: RepositoryFacts | null;
}

export type EnrichmentCache = Record<string, CacheEntry>;

export const DEFAULT_ENRICHMENT_FILE = '.cache/github/repositories.json';

/** `https://github.com/Owner/Repo(.git)` -> `owner/repo`; undefined for anything else. */
export function repositoryKey(url: string): string | undefined {
  const match = /^https:\/\/github\.com\/([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+?)(?:\.git)?\/?$/i.exec(url.trim());
  return match ? `${match[1]}/${match[2]}`.toLowerCase() : undefined;
}

export async function readEnrichment(file = DEFAULT_ENRICHMENT_FILE): Promise<EnrichmentCache> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as EnrichmentCache;
  } catch {
    return {};
  }
}

/** Facts for one repository URL from the cache, if known. */
export function repositoryFacts(cache: EnrichmentCache, url: string): RepositoryFacts | undefined {
  const key = repositoryKey(url);
  return key ? (cache[key]?.facts ?? undefined) : undefined;
}

export interface RefreshOutcome {
  fetched: number;
  notModified: number;
  missing: number;
  failed: string[];
}

/**
 * Refreshes the cache for these repository URLs (bounded concurrency) and writes it back with
 * sorted keys. A failed request keeps the previous entry: stale facts beat no facts.
 */
export async function refreshEnrichment(
  octokit: GitHubClient,
  urls: readonly string[],
  file = DEFAULT_ENRICHMENT_FILE,
  concurrency = 8,
): Promise<RefreshOutcome> {
  const cache = await readEnrichment(file);
  const keys = [...new Set(urls.map(repositoryKey).filter((key): key is string => key !== undefined))].sort();
  const outcome: RefreshOutcome = { fetched: 0, notModified: 0, missing: 0, failed: [] };
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const key = keys[next++]!;
      const [owner, repo] = key.split('/') as [string, string];
      const previous = cache[key];
      try {
        const response = await octokit.rest.repos.get({
          owner,
          repo,
          headers: previous?.etag ? { 'if-none-match': previous.etag } : {},
        });
        const data = response.data;
        cache[key] = {
          etag: response.headers.etag,
          facts: {
            stars: data.stargazers_count,
            pushedAt: data.pushed_at ?? null,
            archived: data.archived,
            license: data.license?.spdx_id ?? null,
          },
        };
        outcome.fetched++;
      } catch (error) {
        if (error instanceof RequestError && error.status === 304) outcome.notModified++;
        else if (isNotFound(error)) {
          cache[key] = { facts: null };
          outcome.missing++;
        } else outcome.failed.push(`${key}: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, keys.length)) }, worker));
  const sorted = Object.fromEntries(
    Object.keys(cache)
      .sort()
      .map((key) => [key, cache[key]]),
  );
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(`${file}.tmp`, `${JSON.stringify(sorted, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
  return outcome;
}
