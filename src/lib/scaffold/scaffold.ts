/**
 * `npm run new`: turns a server project's own files (plus answers) into a server.json at the right
 * place in registry-data: servers/<namespace>/<name>/versions/<version>.json. registry.json is not
 * touched: facts are stamped at merge. Validated before writing; never overwrites; nothing partial.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Problem } from '../problems.ts';
import { hasErrors } from '../problems.ts';
import { versionFile } from '../registry/layout.ts';
import { CURRENT_SCHEMA_URL } from '../schema/server.ts';
import { validateManifestText } from '../validate/manifest.ts';
import { OCI_NAME_LABEL } from '../verify/packages.ts';
import { ruleProblem } from '../rule-codes.ts';
import type { ProjectFacts } from './detect.ts';

export interface ScaffoldAnswers {
  name?: string;
  description?: string;
  version?: string;
  title?: string;
  repositoryUrl?: string;
  /** npm/PyPI package name or OCI image (with tag). */
  identifier?: string;
  /** A remote endpoint instead of (or besides) a package. */
  remoteUrl?: string;
  /** Environment variables the package needs, from `--env NAME[:secret]`. */
  env?: { name: string; secret: boolean }[];
}

/** The flag that sets each answer, for messages when there is no terminal to ask on. */
export const ANSWER_FLAGS: Record<keyof Omit<ScaffoldAnswers, 'env'>, string> = {
  name: '--name',
  description: '--description',
  version: '--version',
  title: '--title',
  repositoryUrl: '--repository',
  identifier: '--identifier',
  remoteUrl: '--remote',
};

/** Which answer a manifest problem is about, from its JSON path (undefined: none of them). */
export function answerOf(problemPath: string): keyof typeof ANSWER_FLAGS | undefined {
  if (/^\$\.name\b/.test(problemPath)) return 'name';
  if (/^\$\.description\b/.test(problemPath)) return 'description';
  if (/^\$\.(version|packages\[0\]\.version)\b/.test(problemPath)) return 'version';
  if (/^\$\.title\b/.test(problemPath)) return 'title';
  if (/^\$\.repository\b/.test(problemPath)) return 'repositoryUrl';
  if (/^\$\.packages\[0\]\.identifier\b/.test(problemPath)) return 'identifier';
  if (/^\$\.remotes\[0\]/.test(problemPath)) return 'remoteUrl';
  return undefined;
}

/** `NAME` or `NAME:secret` (a name as the official registry allows: letters, digits, underscores). */
export function parseEnvFlag(value: string): { name: string; secret: boolean } {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?::(secret))?$/.exec(value);
  if (!match) throw new Error(`--env ${JSON.stringify(value)}: use NAME or NAME:secret, e.g. --env API_KEY:secret`);
  return { name: match[1]!, secret: match[2] === 'secret' };
}

/** Asks one question; returns '' to accept the default. Only used on a terminal. */
export type Ask = (question: string, fallback?: string) => Promise<string>;

export interface ScaffoldResult {
  /** Data-root-relative path of the written manifest (undefined when nothing was written). */
  file?: string;
  text?: string;
  problems: Problem[];
  nextSteps: string[];
}

const REQUIRED: (keyof ScaffoldAnswers)[] = ['name', 'description', 'version'];

/** Merges flags over detected facts; asks for what is still missing when `ask` is given. */
export async function resolveAnswers(flags: ScaffoldAnswers, facts: ProjectFacts, ask?: Ask): Promise<ScaffoldAnswers> {
  const answers: ScaffoldAnswers = {
    name: flags.name ?? facts.serverName,
    description: flags.description ?? facts.description,
    version: flags.version ?? facts.version,
    title: flags.title,
    repositoryUrl: flags.repositoryUrl ?? facts.repositoryUrl,
    identifier: flags.identifier ?? facts.identifier,
    remoteUrl: flags.remoteUrl,
    env: flags.env,
  };
  if (!ask) return answers;
  const questions: [keyof typeof ANSWER_FLAGS, string][] = [
    ['name', 'Server name (io.github.<your-login>/<name> or reverse DNS like com.example/<name>)'],
    ['description', 'One-line description (at most 100 characters)'],
    ['version', 'Version (exact, e.g. 1.0.0)'],
  ];
  if (facts.kind === 'oci') questions.push(['identifier', 'Image with tag (e.g. ghcr.io/owner/image:1.0.0)']);
  if (!facts.kind) questions.push(['remoteUrl', 'Remote endpoint URL (https://..., empty for none)']);
  for (const [key, question] of questions) {
    if (answers[key] !== undefined) continue;
    const reply = (await ask(question)).trim();
    if (reply) answers[key] = reply;
  }
  return answers;
}

export function missingAnswers(answers: ScaffoldAnswers, facts: ProjectFacts): string[] {
  const required = facts.kind === 'oci' ? [...REQUIRED, 'identifier' as const] : REQUIRED;
  return required.filter((key) => !answers[key]).map((key) => `--${key}`);
}

export function buildManifest(answers: ScaffoldAnswers, facts: ProjectFacts): Record<string, unknown> {
  const manifest: Record<string, unknown> = {
    $schema: CURRENT_SCHEMA_URL,
    name: answers.name,
    description: answers.description,
  };
  if (answers.title) manifest.title = answers.title;
  if (answers.repositoryUrl)
    manifest.repository = {
      url: answers.repositoryUrl,
      source: answers.repositoryUrl.includes('gitlab.com') ? 'gitlab' : 'github',
    };
  manifest.version = answers.version;
  if (facts.kind && answers.identifier) {
    const pkg: Record<string, unknown> = { registryType: facts.kind };
    if (facts.kind === 'npm') pkg.registryBaseUrl = 'https://registry.npmjs.org';
    if (facts.kind === 'pypi') pkg.registryBaseUrl = 'https://pypi.org';
    pkg.identifier = answers.identifier;
    if (facts.kind !== 'oci') pkg.version = answers.version;
    pkg.transport = { type: 'stdio' };
    if (answers.env?.length)
      pkg.environmentVariables = answers.env.map((variable) => ({
        name: variable.name,
        isRequired: true,
        ...(variable.secret ? { isSecret: true } : {}),
      }));
    manifest.packages = [pkg];
  }
  if (answers.remoteUrl) manifest.remotes = [{ type: 'streamable-http', url: answers.remoteUrl }];
  return manifest;
}

/** Where the manifest goes, and what validating it finds (before anything is written). */
export function checkAnswers(
  answers: ScaffoldAnswers,
  facts: ProjectFacts,
): { relative: string; text: string; problems: Problem[] } {
  const text = `${JSON.stringify(buildManifest(answers, facts), null, 2)}\n`;
  const name = String(answers.name);
  const relative = /^[^/]+\/[^/]+$/.test(name)
    ? versionFile(name, String(answers.version))
    : `servers/${name}/versions/${answers.version}.json`;
  return { relative, text, problems: validateManifestText(text, relative).problems };
}

/**
 * On a terminal: while an answer fails validation, says why and asks for that answer again (at most
 * `tries` times). Returns the answers as they end up; problems that remain are reported by writeManifest.
 */
export async function askUntilValid(
  answers: ScaffoldAnswers,
  facts: ProjectFacts,
  ask: Ask,
  tries = 3,
): Promise<ScaffoldAnswers> {
  const current = { ...answers };
  for (let round = 0; round < tries; round++) {
    const wrong = checkAnswers(current, facts).problems.filter((p) => p.severity === 'error');
    const keys = [...new Set(wrong.map((p) => answerOf(p.path)).filter((key) => key !== undefined))];
    if (keys.length === 0) break;
    for (const key of keys) {
      const why = wrong
        .filter((p) => answerOf(p.path) === key)
        .map((p) => p.message)
        .join('; ');
      const reply = (await ask(`${ANSWER_FLAGS[key].slice(2)} is not valid (${why}); enter it again`)).trim();
      if (reply) current[key] = reply;
    }
  }
  return current;
}

/** Validates, then writes with O_EXCL (never overwrites); returns the problems and next steps. */
export async function writeManifest(
  dataDir: string,
  answers: ScaffoldAnswers,
  facts: ProjectFacts,
  published?: PublishedVersion,
): Promise<ScaffoldResult> {
  const { relative, text, problems } = checkAnswers(answers, facts);
  const name = String(answers.name);
  const validation = { problems };
  if (hasErrors(validation.problems)) return { problems: validation.problems, nextSteps: [] };
  const target = path.join(dataDir, ...relative.split('/'));
  await mkdir(path.dirname(target), { recursive: true });
  try {
    await writeFile(target, text, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return {
        problems: [
          ruleProblem(
            'version-immutable',
            relative,
            '$',
            `${relative} already exists; a published version is never overwritten`,
            { hint: 'Bump the version (--version) to publish a new release.' },
          ),
        ],
        nextSteps: [],
      };
    }
    throw error;
  }
  return {
    file: relative,
    text,
    problems: validation.problems,
    nextSteps: nextSteps(
      name,
      String(answers.version),
      path.relative(process.cwd(), target) || target,
      facts,
      published,
    ),
  };
}

/** What the package registry already has at this version (npm only), when it could be asked. */
export interface PublishedVersion {
  /** The published package.json's mcpName, if any. */
  mcpName?: string;
}

function nextSteps(
  name: string,
  version: string,
  file: string,
  facts: ProjectFacts,
  published?: PublishedVersion,
): string[] {
  const steps: string[] = [];
  if (facts.kind === 'npm' && published && published.mcpName === name)
    steps.push(`${facts.identifier}@${version} is already on npm with "mcpName": "${name}": nothing to publish.`);
  else if (facts.kind === 'npm' && published)
    steps.push(
      `${facts.identifier}@${version} is already on npm ${published.mcpName ? `with "mcpName": "${published.mcpName}"` : 'without "mcpName"'}, and a published npm version cannot change: ` +
        `add "mcpName": "${name}" to package.json, bump the version (npm version patch), publish it, and run npm run new again for that version.`,
    );
  else if (facts.kind === 'npm' && !facts.declaresName)
    steps.push(
      `Add "mcpName": "${name}" to package.json and publish ${facts.identifier}@${version} to npm (ownership proof).`,
    );
  else if (facts.kind === 'npm')
    steps.push(`Make sure ${facts.identifier}@${version} is published to npm (its package.json has the mcpName).`);
  if (facts.kind === 'pypi')
    steps.push(
      `Put "mcp-name: ${name}" in the README of ${facts.identifier} ${version} and publish it to PyPI (ownership proof).`,
    );
  if (facts.kind === 'oci' && !facts.declaresName)
    steps.push(`Add LABEL ${OCI_NAME_LABEL}="${name}" to the Dockerfile and push the image (ownership proof).`);
  steps.push(
    'Check it as CI will: npm run check-pr -- --base origin/main --author <your-github-login>',
    `Commit and open a pull request: git checkout -b add-${name.replace(/[^A-Za-z0-9._-]+/g, '-')}-${version} && git add ${file} && git commit -m "Add ${name} ${version}" && git push`,
  );
  return steps;
}
