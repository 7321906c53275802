/**
 * Reads what a server project already says about itself, like the official `mcp-publisher init`:
 * package.json (npm), pyproject.toml (PyPI) or a Dockerfile (OCI image label). Nothing is guessed
 * beyond what the files state, except the conventional io.github.<owner>/<repo> name.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { OCI_NAME_LABEL } from '../verify/packages.ts';

export type ProjectKind = 'npm' | 'pypi' | 'oci';

export interface ProjectFacts {
  kind?: ProjectKind;
  /** The file the facts came from, for messages. */
  source?: string;
  serverName?: string;
  /** Whether the package itself already declares the server name (mcpName, label...). */
  declaresName: boolean;
  identifier?: string;
  version?: string;
  description?: string;
  /** `https://github.com/owner/repo` or a gitlab.com URL, normalised. */
  repositoryUrl?: string;
  /** Problems reading a file that exists (bad JSON/TOML). */
  warnings: string[];
}

export async function detectProject(dir: string): Promise<ProjectFacts> {
  const facts: ProjectFacts = { declaresName: false, warnings: [] };
  const read = (name: string) => readFile(path.join(dir, name), 'utf8').catch(() => undefined);
  const packageJson = await read('package.json');
  const pyproject = packageJson === undefined ? await read('pyproject.toml') : undefined;
  const dockerfile = packageJson === undefined && pyproject === undefined ? await read('Dockerfile') : undefined;

  if (packageJson !== undefined) {
    facts.source = 'package.json';
    try {
      const pkg = JSON.parse(packageJson) as Record<string, unknown>;
      facts.kind = 'npm';
      facts.identifier = str(pkg.name);
      facts.version = str(pkg.version);
      facts.description = str(pkg.description);
      const repository =
        typeof pkg.repository === 'object' && pkg.repository
          ? (pkg.repository as { url?: unknown }).url
          : pkg.repository;
      facts.repositoryUrl = normaliseRepositoryUrl(str(repository));
      facts.serverName = str(pkg.mcpName);
      facts.declaresName = facts.serverName !== undefined;
    } catch (error) {
      facts.warnings.push(`package.json is not valid JSON: ${(error as Error).message}`);
    }
  } else if (pyproject !== undefined) {
    facts.source = 'pyproject.toml';
    try {
      const project = (parseToml(pyproject) as { project?: Record<string, unknown> }).project ?? {};
      facts.kind = 'pypi';
      facts.identifier = str(project.name);
      facts.version = str(project.version);
      facts.description = str(project.description);
      // The source repository wins over a homepage, which is often a docs site: the first key, in
      // this order, whose URL is a repository.
      const urls = Object.entries((project.urls ?? {}) as Record<string, unknown>);
      for (const wanted of [/^(source|source code|repository|code)$/i, /^homepage$/i]) {
        const found = urls.filter(([key]) => wanted.test(key)).map(([, url]) => normaliseRepositoryUrl(str(url)));
        facts.repositoryUrl ??= found.find((url) => url !== undefined);
      }
    } catch (error) {
      facts.warnings.push(`pyproject.toml is not valid TOML: ${(error as Error).message}`);
    }
  } else if (dockerfile !== undefined) {
    facts.source = 'Dockerfile';
    facts.kind = 'oci';
    const label = new RegExp(`${OCI_NAME_LABEL.replace(/\./g, '\\.')}\\s*=\\s*"?([^"\\s]+)"?`).exec(dockerfile);
    facts.serverName = label?.[1];
    facts.declaresName = label !== null;
    facts.repositoryUrl = normaliseRepositoryUrl(
      /org\.opencontainers\.image\.source\s*=\s*"?([^"\s]+)"?/.exec(dockerfile)?.[1],
    );
  }
  if (!facts.serverName && facts.repositoryUrl) {
    const github = /^https:\/\/github\.com\/([^/]+)\/([^/]+)$/.exec(facts.repositoryUrl);
    if (github) facts.serverName = `io.github.${github[1]}/${github[2]}`;
  }
  return facts;
}

/** `git+https://github.com/o/r.git`, `github:o/r`, `git@github.com:o/r.git` -> `https://github.com/o/r`. */
export function normaliseRepositoryUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let url = raw.trim();
  const shorthand =
    /^(github|gitlab):([^/\s]+\/[^/\s]+)$/.exec(url) ??
    (/^([\w.-]+\/[\w.-]+)$/.test(url) ? [url, 'github', url] : null);
  if (shorthand) url = `https://${shorthand[1]}.com/${shorthand[2]}`;
  url = url
    .replace(/^git\+/, '')
    .replace(/^git@(github\.com|gitlab\.com):/, 'https://$1/')
    .replace(/^(ssh|git):\/\/(git@)?/, 'https://')
    .replace(/^http:/, 'https:');
  url = url.replace(/\.git$/, '').replace(/\/+$/, '');
  return /^https:\/\/(github\.com|gitlab\.com)\/[^/]+\/[^/]+/.test(url) ? url : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
