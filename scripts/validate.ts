/**
 * npm run validate                  validate the whole data folder (REGISTRY_DATA or registry-data/)
 * npm run validate -- FILE...       validate standalone server.json files (before opening a PR)
 * Options: --format text|github|json, --verbose (text: list every warning).
 * Exit codes: 0 valid (warnings allowed), 1 invalid, 2 usage or I/O error.
 */
import { lstat, readFile } from 'node:fs/promises';
import { formatProblems, formatProblemsJson, formatProblemsSummary, summarise } from '../src/lib/cli/format.ts';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, parseCliArgs, parseFormat, runCli } from '../src/lib/cli/run.ts';
import { MAX_MANIFEST_BYTES } from '../src/lib/json/parse.ts';
import type { Problem } from '../src/lib/problems.ts';
import { hasErrors } from '../src/lib/problems.ts';
import { ruleProblem } from '../src/lib/rule-codes.ts';
import { dataRoot } from '../src/lib/registry/layout.ts';
import { compareProblems, loadRegistry } from '../src/lib/registry/load.ts';
import { validateManifestText } from '../src/lib/validate/manifest.ts';

const USAGE = `usage: npm run validate [-- FILE_OR_DIR...] [--format text|github|json] [--verbose]
  no arguments  validate the data folder ($REGISTRY_DATA or registry-data/)
  FILE          a server.json to check on its own; DIR a data folder
  --format      text (default), github (Actions annotations) or json
  --verbose     text format: list every warning instead of counting them`;

await runCli(USAGE, async () => {
  const { values, positionals } = parseCliArgs(process.argv.slice(2), {
    format: { type: 'string' },
    verbose: { type: 'boolean' },
  });
  const format = parseFormat(values.format);
  const targets = positionals.length > 0 ? positionals : [dataRoot()];
  const problems: Problem[] = [];
  let checked = 0;
  for (const target of targets) {
    const found = await validateTarget(target);
    problems.push(...found.problems);
    checked += found.checked;
  }
  problems.sort(compareProblems);

  if (format === 'json') process.stdout.write(`${formatProblemsJson(problems, { checked })}\n`);
  else if (format === 'github') {
    if (problems.length > 0) process.stdout.write(`${formatProblems(problems, 'github')}\n`);
    process.stdout.write(`checked ${checked} files: ${summarise(problems)}\n`);
  } else process.stdout.write(textReport(problems, checked, values.verbose === true));

  if (problems.some((problem) => problem.code === 'io-error')) return EXIT_USAGE;
  return hasErrors(problems) ? EXIT_INVALID : EXIT_OK;
});

/** A data folder is loaded as a registry; anything else is read as one server.json. */
async function validateTarget(target: string): Promise<{ problems: Problem[]; checked: number }> {
  let stat;
  try {
    stat = await lstat(target);
  } catch (error) {
    return { problems: [ruleProblem('io-error', target, '$', `cannot read: ${(error as Error).message}`)], checked: 0 };
  }
  if (stat.isDirectory()) {
    const { registry, problems } = await loadRegistry(target);
    const files = registry.servers.reduce((sum, server) => sum + server.versions.length + 1, 0);
    return { problems, checked: files };
  }
  if (stat.size > MAX_MANIFEST_BYTES)
    return {
      problems: [
        ruleProblem(
          'json-too-large',
          target,
          '$',
          `file is ${stat.size} bytes; the limit is ${MAX_MANIFEST_BYTES}, so it was not read`,
        ),
      ],
      checked: 1,
    };
  let text: string;
  try {
    text = await readFile(target, 'utf8');
  } catch (error) {
    return { problems: [ruleProblem('io-error', target, '$', `cannot read: ${(error as Error).message}`)], checked: 0 };
  }
  return { problems: validateManifestText(text, target).problems, checked: 1 };
}

function textReport(problems: readonly Problem[], checked: number, verbose: boolean): string {
  const listed = formatProblemsSummary(problems, verbose);
  return `${listed === '' ? '' : `${listed}\n`}checked ${checked} files: ${summarise(problems)}\n`;
}
