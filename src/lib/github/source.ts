/**
 * Registry data straight from a GitHub repository, through octokit: resolve the ref to a commit
 * (a conditional request, free when nothing changed), download that commit's tarball once, and
 * return the same `{ files, problems }` as the local reader. Commits are immutable, so the files of
 * a commit are cached by its id; the ETag of the ref lookup is cached in the same folder.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Problem } from '../problems.ts';
import type { SourceFile, SourceReadResult } from '../registry/source.ts';
import { maxFileBytes } from '../registry/source.ts';
import { ruleProblem } from '../rule-codes.ts';
import { ROOT_FILES, SERVERS_DIR } from '../registry/layout.ts';
import type { GitHubClient } from './client.ts';
import { createGitHubClient, RequestError } from './client.ts';
import { readTarGz } from './tar.ts';

export class GitHubSourceError extends Error {}

export interface GitHubSourceOptions {
  token?: string;
  baseUrl?: string;
  /** Where ETags and per-commit files are kept; default `.cache/github`. */
  cacheDir?: string;
  /** The data folder inside the repository; default `registry-data`. */
  dataDir?: string;
  /** An existing client (tests, or a caller that already has one); token/baseUrl are then ignored. */
  client?: GitHubClient;
}

export interface GitHubSpec {
  owner: string;
  repo: string;
  ref?: string;
}

/** `owner/repo@ref` (ref optional: the default branch). */
export function parseGitHubSpec(spec: string): GitHubSpec {
  const match = /^([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)\/([A-Za-z0-9._-]+)(?:@(.+))?$/.exec(spec.trim());
  if (!match)
    throw new GitHubSourceError(`${JSON.stringify(spec)} is not owner/repo[@ref] (for example octo/registry@main)`);
  return { owner: match[1]!, repo: match[2]!.replace(/\.git$/, ''), ref: match[3] };
}

interface EtagCache {
  [url: string]: { etag: string; sha: string };
}

export async function readGitHubSource(
  spec: string,
  options: GitHubSourceOptions = {},
): Promise<SourceReadResult & { commit: string }> {
  const { owner, repo, ref } = parseGitHubSpec(spec);
  if (!options.client && !options.token) {
    throw new GitHubSourceError(
      `GITHUB_TOKEN is not set: reading ${owner}/${repo} through the GitHub API needs a token with read access to its contents (in GitHub Actions, pass secrets.GITHUB_TOKEN).`,
    );
  }
  const octokit = options.client ?? createGitHubClient({ token: options.token, baseUrl: options.baseUrl });
  const cacheDir = path.resolve(options.cacheDir ?? '.cache/github');
  const dataDir = (options.dataDir ?? 'registry-data').replace(/\/+$/, '');
  const commit = await resolveRef(octokit, owner, repo, ref ?? 'HEAD', cacheDir);

  const cached = path.join(cacheDir, `files-${owner}-${repo}-${commit}.json`);
  const hit = await readJsonFile<SourceReadResult>(cached);
  if (hit) return { ...hit, commit };

  let archive: ArrayBuffer;
  try {
    archive = (await octokit.rest.repos.downloadTarballArchive({ owner, repo, ref: commit })).data as ArrayBuffer;
  } catch (error) {
    throw explain(error, owner, repo, commit);
  }
  const result = filesFromArchive(new Uint8Array(archive), dataDir);
  await writeJsonFile(cached, result);
  return { ...result, commit };
}

/** The ref's commit id, with If-None-Match from the cache (a 304 costs no rate limit). */
async function resolveRef(
  octokit: GitHubClient,
  owner: string,
  repo: string,
  ref: string,
  cacheDir: string,
): Promise<string> {
  const etagFile = path.join(cacheDir, 'etags.json');
  const etags = (await readJsonFile<EtagCache>(etagFile)) ?? {};
  const key = `${owner}/${repo}@${ref}`;
  const known = etags[key];
  try {
    const response = await octokit.rest.repos.getCommit({
      owner,
      repo,
      ref,
      mediaType: { format: 'sha' },
      headers: known ? { 'if-none-match': known.etag } : {},
    });
    const sha = String(response.data as unknown).trim();
    if (!/^[0-9a-f]{40}$/.test(sha))
      throw new GitHubSourceError(`GitHub answered ${key} with something that is not a commit id`);
    const etag = response.headers.etag;
    if (etag) await writeJsonFile(etagFile, { ...etags, [key]: { etag, sha } });
    return sha;
  } catch (error) {
    if (error instanceof RequestError && error.status === 304 && known) return known.sha;
    throw explain(error, owner, repo, ref);
  }
}

function explain(error: unknown, owner: string, repo: string, ref: string): Error {
  if (error instanceof GitHubSourceError || !(error instanceof RequestError)) return error as Error;
  if (error.status === 404 || error.status === 422)
    return new GitHubSourceError(
      `${owner}/${repo}@${ref} was not found: check the repository name and ref, and that the token can read the repository.`,
    );
  if (error.status === 401) return new GitHubSourceError('GitHub rejected the token (401): check GITHUB_TOKEN.');
  return new GitHubSourceError(
    `GitHub request for ${owner}/${repo}@${ref} failed: HTTP ${error.status} ${error.message}`,
  );
}

/** Keeps `<dataDir>/vocabulary.json` and `<dataDir>/servers/**` of the archive's single top folder. */
export function filesFromArchive(archive: Uint8Array, dataDir: string): SourceReadResult {
  const files: SourceFile[] = [];
  const problems: Problem[] = [];
  for (const entry of readTarGz(archive)) {
    const inRepo = entry.path.slice(entry.path.indexOf('/') + 1);
    if (!inRepo.startsWith(`${dataDir}/`)) continue;
    const relative = inRepo.slice(dataDir.length + 1);
    if (!ROOT_FILES.includes(relative) && !relative.startsWith(`${SERVERS_DIR}/`)) continue;
    if (entry.type === 'symlink') {
      problems.push(ruleProblem('symlink', relative, '$', 'symbolic links are not followed in registry data'));
    } else if (entry.type === 'file' && entry.data.length > maxFileBytes(relative)) {
      problems.push(
        ruleProblem(
          'json-too-large',
          relative,
          '$',
          `file is ${entry.data.length} bytes; the limit is ${maxFileBytes(relative)}, so it was not read`,
        ),
      );
    } else if (entry.type === 'file') {
      files.push({ path: relative, text: entry.data.toString('utf8') });
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, problems };
}

/**
 * Writes a GitHub source into a local folder (cached per commit) so the ordinary build reads it:
 * `REGISTRY_SOURCE=github:owner/repo@ref npm run build`.
 */
export async function materializeGitHubSource(spec: string, options: GitHubSourceOptions = {}): Promise<string> {
  const result = await readGitHubSource(spec, options);
  if (result.problems.length > 0) {
    throw new GitHubSourceError(`${spec}: ${result.problems.map((p) => `${p.file}: ${p.message}`).join('; ')}`);
  }
  const { owner, repo } = parseGitHubSpec(spec);
  const target = path.resolve(options.cacheDir ?? '.cache/github', `data-${owner}-${repo}-${result.commit}`);
  if (await readFile(path.join(target, '.complete'), 'utf8').catch(() => undefined)) return target;
  const temp = `${target}.partial-${process.pid}`;
  await rm(temp, { recursive: true, force: true });
  for (const file of result.files) {
    const absolute = path.join(temp, ...file.path.split('/'));
    if (!absolute.startsWith(temp + path.sep)) continue;
    await mkdir(path.dirname(absolute), { recursive: true });
    await writeFile(absolute, file.text);
  }
  await mkdir(temp, { recursive: true });
  await writeFile(path.join(temp, '.complete'), result.commit);
  await rm(target, { recursive: true, force: true });
  await rename(temp, target);
  return target;
}

/** `REGISTRY_SOURCE=github:owner/repo@ref` -> a local data folder; anything else -> undefined. */
export async function dataDirFromSourceEnv(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const source = env.REGISTRY_SOURCE;
  if (!source) return undefined;
  if (!source.startsWith('github:'))
    throw new GitHubSourceError(`REGISTRY_SOURCE must be github:owner/repo@ref, not ${JSON.stringify(source)}`);
  return materializeGitHubSource(source.slice('github:'.length), {
    token: env.GITHUB_TOKEN || undefined,
    baseUrl: env.GITHUB_API_URL || undefined,
  });
}

async function readJsonFile<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

async function writeJsonFile(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(value));
  await rename(temp, file);
}
