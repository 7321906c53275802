/**
 * npm run new -- [PROJECT_DIR] [--name NAME] [--description TEXT] [--version X] [--title TEXT]
 *                [--identifier PKG_OR_IMAGE] [--repository URL] [--remote URL] [--data DIR] [--non-interactive]
 * Scaffolds servers/<namespace>/<name>/versions/<version>.json in registry-data from the project's
 * package.json, pyproject.toml or Dockerfile; asks for missing values only on a terminal.
 */
import { createInterface } from 'node:readline/promises';
import path from 'node:path';
import { formatProblems } from '../src/lib/cli/format.ts';
import { EXIT_INVALID, EXIT_OK, parseCliArgs, runCli, UsageError } from '../src/lib/cli/run.ts';
import { dataRoot } from '../src/lib/registry/layout.ts';
import { detectProject } from '../src/lib/scaffold/detect.ts';
import { missingAnswers, resolveAnswers, writeManifest } from '../src/lib/scaffold/scaffold.ts';
import type { Ask } from '../src/lib/scaffold/scaffold.ts';

const USAGE = `usage: npm run new -- [PROJECT_DIR] [--name NAME] [--description TEXT] [--version X] [--title TEXT]
                   [--identifier PACKAGE_OR_IMAGE] [--repository URL] [--remote URL] [--data DIR] [--non-interactive]
  Reads PROJECT_DIR (default .) and writes its server.json into the registry data folder.`;

await runCli(USAGE, async () => {
  const { values, positionals } = parseCliArgs(process.argv.slice(2), {
    name: { type: 'string' },
    description: { type: 'string' },
    version: { type: 'string' },
    title: { type: 'string' },
    identifier: { type: 'string' },
    repository: { type: 'string' },
    remote: { type: 'string' },
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
  const facts = await detectProject(projectDir);
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
      },
      facts,
      ask,
    );
  } finally {
    terminal?.close();
  }
  const missing = missingAnswers(answers, facts);
  if (missing.length > 0)
    throw new UsageError(
      `missing ${missing.join(', ')} (not found in ${facts.source ?? 'the project folder'}${interactive ? '' : ', and not asked: no terminal or --non-interactive'})`,
    );

  const result = await writeManifest(values.data ? path.resolve(values.data) : dataRoot(), answers, facts);
  if (result.problems.length > 0) process.stderr.write(`${formatProblems(result.problems, 'text')}\n`);
  if (!result.file) {
    process.stderr.write('new: nothing was written\n');
    return EXIT_INVALID;
  }
  process.stdout.write(
    `wrote ${result.file}\n\n${result.text}\nNext steps:\n${result.nextSteps.map((step, i) => `  ${i + 1}. ${step}`).join('\n')}\n`,
  );
  return EXIT_OK;
});
