/**
 * npm run new -- [PROJECT_DIR] [--name NAME] [--description TEXT] [--version X] [--title TEXT]
 *                [--identifier PKG_OR_IMAGE] [--repository URL] [--remote URL] [--env NAME[:secret]]...
 *                [--data DIR] [--non-interactive]
 * Scaffolds servers/<namespace>/<name>/versions/<version>.json in registry-data from the project's
 * package.json, pyproject.toml or Dockerfile; asks for missing values only on a terminal, and asks
 * again for an answer that is not valid (without a terminal, names the flag that fixes it). For an
 * npm package it asks the registry (NPM_REGISTRY_URL) whether that version is already published.
 */
import { createInterface } from 'node:readline/promises';
import path from 'node:path';
import { formatProblems } from '../src/lib/cli/format.ts';
import { EXIT_INVALID, EXIT_OK, parseCliArgs, runCli, UsageError } from '../src/lib/cli/run.ts';
import { dataRoot } from '../src/lib/registry/layout.ts';
import { detectProject } from '../src/lib/scaffold/detect.ts';
import {
  ANSWER_FLAGS,
  answerOf,
  askUntilValid,
  missingAnswers,
  parseEnvFlag,
  resolveAnswers,
  writeManifest,
} from '../src/lib/scaffold/scaffold.ts';
import type { Ask, PublishedVersion } from '../src/lib/scaffold/scaffold.ts';
import { getJson } from '../src/lib/verify/http.ts';
import { DEFAULT_REGISTRIES, npmPackageUrl } from '../src/lib/verify/packages.ts';

const USAGE = `usage: npm run new -- [PROJECT_DIR] [--name NAME] [--description TEXT] [--version X] [--title TEXT]
                   [--identifier PACKAGE_OR_IMAGE] [--repository URL] [--remote URL] [--env NAME[:secret]]...
                   [--data DIR] [--non-interactive]
  Reads PROJECT_DIR (default .) and writes its server.json into the registry data folder.
  --env API_KEY:secret  an environment variable the package needs (repeat for more; :secret hides its value)`;

await runCli(USAGE, async () => {
  const { values, positionals } = parseCliArgs(process.argv.slice(2), {
    name: { type: 'string' },
    description: { type: 'string' },
    version: { type: 'string' },
    title: { type: 'string' },
    identifier: { type: 'string' },
    repository: { type: 'string' },
    remote: { type: 'string' },
    env: { type: 'string', multiple: true },
    data: { type: 'string' },
    'non-interactive': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length > 1) throw new UsageError('give at most one project folder');
  const projectDir = path.resolve(positionals[0] ?? '.');
  let env;
  try {
    env = values.env?.map(parseEnvFlag);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const facts = await detectProject(projectDir);
  if (values.name && facts.declaresName && facts.kind === 'npm' && facts.serverName !== values.name)
    facts.warnings.push(
      `--name ${values.name} differs from package.json's "mcpName": "${facts.serverName}"; the npm ownership check needs them equal`,
    );
  for (const warning of facts.warnings) process.stderr.write(`warning: ${warning}\n`);
  if (facts.source) process.stderr.write(`read ${path.join(projectDir, facts.source)}\n`);

  const interactive = !values['non-interactive'] && process.stdin.isTTY === true;
  const terminal = interactive ? createInterface({ input: process.stdin, output: process.stderr }) : undefined;
  const ask: Ask | undefined = terminal ? (question) => terminal.question(`${question}: `) : undefined;
  let answers;
  try {
    answers = await resolveAnswers(
      {
        name: values.name,
        description: values.description,
        version: values.version,
        title: values.title,
        identifier: values.identifier,
        repositoryUrl: values.repository,
        remoteUrl: values.remote,
        env,
      },
      facts,
      ask,
    );
    if (ask) answers = await askUntilValid(answers, facts, ask);
  } finally {
    terminal?.close();
  }
  const missing = missingAnswers(answers, facts);
  if (missing.length > 0)
    throw new UsageError(
      `missing ${missing.join(', ')} (not found in ${facts.source ?? 'the project folder'}${interactive ? '' : ', and not asked: no terminal or --non-interactive'})`,
    );

  const published = await publishedVersion(facts.kind, answers.identifier, answers.version);
  const result = await writeManifest(values.data ? path.resolve(values.data) : dataRoot(), answers, facts, published);
  if (result.problems.length > 0) process.stderr.write(`${formatProblems(result.problems, 'text')}\n`);
  if (!result.file) {
    const flags = [
      ...new Set(
        result.problems.flatMap((p) => {
          const key = p.severity === 'error' ? answerOf(p.path) : undefined;
          return key ? [ANSWER_FLAGS[key]] : [];
        }),
      ),
    ];
    process.stderr.write(
      `new: nothing was written${flags.length ? `; fix it with ${flags.join(', ')} and run it again` : ''}\n`,
    );
    return EXIT_INVALID;
  }
  process.stdout.write(
    `wrote ${result.file}\n\n${result.text}\nNext steps:\n${result.nextSteps.map((step, i) => `  ${i + 1}. ${step}`).join('\n')}\n`,
  );
  return EXIT_OK;
});

/** What npm has at this version (undefined when not published, not npm, or npm could not be asked). */
async function publishedVersion(
  kind: string | undefined,
  identifier: string | undefined,
  version: string | undefined,
): Promise<PublishedVersion | undefined> {
  if (kind !== 'npm' || !identifier || !version) return undefined;
  const base = process.env.NPM_REGISTRY_URL || DEFAULT_REGISTRIES.npm;
  try {
    const found = (await getJson(npmPackageUrl(base, identifier, version), {}, 10_000)) as
      { mcpName?: unknown } | undefined;
    if (found === undefined) return undefined;
    return typeof found.mcpName === 'string' ? { mcpName: found.mcpName } : {};
  } catch (error) {
    process.stderr.write(
      `warning: could not ask npm whether ${identifier}@${version} is published: ${(error as Error).message}\n`,
    );
    return undefined;
  }
}
