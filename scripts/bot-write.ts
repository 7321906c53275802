/**
 * npm run bot-write -- --save-patch DIR --paths ID,... [--data registry-data]
 * node scripts/bot-write.ts --patch DIR --paths ID,... --message TEXT [--to main]
 *                           [--pull-request BRANCH --title TEXT [--body-file FILE] [--auto-merge]]
 *
 * THE bot write path (src/lib/bot/write.ts, docs/operating.md#the-bot). A read-only job writes data
 * under the data folder, then `--save-patch DIR` hands it over as DIR/changes.patch (a pull request's
 * body may go in DIR/body.md). The write job (.github/workflows/bot-write.yml) runs `--patch DIR` on a
 * clean checkout: it commits the patch as the bot, only if every path is data of the kinds --paths
 * names (ids of bot-writable entries in src/lib/trust/managed-paths.ts: what this writer writes), and
 * pushes it to --to (default main), or opens or updates one pull request from --pull-request BRANCH.
 *
 * Imports node: built-ins and dependency-free modules only: the write job runs it with plain Node.
 * Environment: BOT_TOKEN (the App's installation token, or GITHUB_TOKEN), BOT_APP_SLUG (empty: the
 * GITHUB_TOKEN identity), GITHUB_REPOSITORY, GITHUB_SERVER_URL, GITHUB_API_URL, GITHUB_GRAPHQL_URL,
 * GITHUB_RUN_ID (named in the commit), GITHUB_OUTPUT (receives sha, pushed, pull-request,
 * starts-workflows).
 * Exit status: 0 written (or nothing to write), 1 refused or rejected, 2 usage or I/O error.
 */
import { appendFile, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { escapeData } from '../src/lib/cli/format.ts';
import { EXIT_INVALID, EXIT_OK, parseCliArgs, runCli, UsageError } from '../src/lib/cli/run.ts';
import {
  ACTIONS_IDENTITY,
  appIdentity,
  BODY_FILE,
  dataKinds,
  PATCH_FILE,
  savePatch,
  writeAsBot,
} from '../src/lib/bot/write.ts';
import type { Refusal, WriteOutcome } from '../src/lib/bot/write.ts';

const USAGE = `usage: npm run bot-write -- --save-patch DIR --paths ID,... [--data registry-data]
       node scripts/bot-write.ts --patch DIR --paths ID,... --message TEXT [--to main] [--data registry-data]
                                 [--pull-request BRANCH --title TEXT [--body-file FILE] [--auto-merge]]
  --paths       the kinds of data this writer writes: ids of src/lib/trust/managed-paths.ts, e.g.
                probe-results,probe-run; any other path refuses the whole change
  --save-patch  (read-only job) stage the data folder and write DIR/${PATCH_FILE}
  --patch       (write job) the folder --save-patch wrote; commits it as the bot
  --to          the branch to push to (default main)
  --pull-request  open or update one pull request from this branch of the bot's instead of pushing`;

await runCli(USAGE, async () => {
  const { values, positionals } = parseCliArgs(process.argv.slice(2), {
    'save-patch': { type: 'string' },
    patch: { type: 'string' },
    paths: { type: 'string' },
    data: { type: 'string', default: 'registry-data' },
    message: { type: 'string' },
    to: { type: 'string', default: 'main' },
    'pull-request': { type: 'string' },
    title: { type: 'string' },
    'body-file': { type: 'string' },
    'auto-merge': { type: 'boolean', default: false },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const dataDir = values.data!.replace(/\/+$/, '');
  if (path.isAbsolute(dataDir) || dataDir.split('/').includes('..'))
    throw new UsageError('--data must be a folder inside the repository, such as registry-data');
  const repoDir = process.cwd();
  let kinds: ReadonlySet<string>;
  try {
    kinds = dataKinds((values.paths ?? '').split(',').filter(Boolean));
  } catch (error) {
    throw new UsageError(`--paths: ${(error as Error).message}`);
  }

  if (values['save-patch'] !== undefined) {
    if (values.patch !== undefined) throw new UsageError('give --save-patch or --patch, not both');
    const { changes, refused } = await savePatch(repoDir, dataDir, kinds, path.resolve(values['save-patch']));
    if (refused.length > 0) return refuse(refused);
    process.stdout.write(
      `bot-write: ${changes.length} changed file(s) saved to ${values['save-patch']}/${PATCH_FILE}\n`,
    );
    return EXIT_OK;
  }

  if (values.patch === undefined) throw new UsageError('give --save-patch DIR or --patch DIR');
  if (!values.message) throw new UsageError('--message is required');
  const pullBranch = values['pull-request'];
  if (pullBranch !== undefined && !values.title) throw new UsageError('--pull-request needs --title');
  const env = process.env;
  const token = env.BOT_TOKEN;
  if (!token) throw new Error('BOT_TOKEN is not set: the workflow passes the bot App token (or GITHUB_TOKEN) here');
  const [owner, repo, extra] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo || extra !== undefined) throw new Error('GITHUB_REPOSITORY must be OWNER/REPO');
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const api = env.GITHUB_API_URL || 'https://api.github.com';
  const github = { api, graphql: env.GITHUB_GRAPHQL_URL || `${api.replace(/\/+$/, '')}/graphql`, token };
  const identity = env.BOT_APP_SLUG ? await appIdentity(github, env.BOT_APP_SLUG) : ACTIONS_IDENTITY;

  const folder = path.resolve(values.patch);
  const isFolder = await stat(folder).then(
    (s) => s.isDirectory(),
    () => false,
  );
  const patchFile = isFolder ? path.join(folder, PATCH_FILE) : folder;
  const bodyFile = values['body-file'] ?? (isFolder ? path.join(folder, BODY_FILE) : undefined);
  const body = bodyFile ? await readFile(bodyFile, 'utf8').catch(() => '') : '';
  const run =
    env.GITHUB_RUN_ID && /^\d+$/.test(env.GITHUB_RUN_ID)
      ? `${server}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}`
      : '';

  const outcome = await writeAsBot({
    repoDir,
    patchFile,
    dataDir,
    kinds,
    message: run ? `${values.message}\n\nWritten by ${run}` : values.message,
    identity,
    remote: { url: `${server}/${owner}/${repo}.git`, token },
    owner,
    repo,
    target: values.to!,
    github,
    pullRequest: pullBranch
      ? { branch: pullBranch, title: values.title!, body, autoMerge: values['auto-merge']! }
      : undefined,
  });
  await report(outcome, identity.login);
  return outcome.action === 'refused' || outcome.action === 'rejected' ? EXIT_INVALID : EXIT_OK;
});

async function report(outcome: WriteOutcome, login: string): Promise<void> {
  const outputs: Record<string, string> = { pushed: 'false', sha: '', 'pull-request': '', 'starts-workflows': 'false' };
  const say = (line: string) => process.stdout.write(`bot-write: ${line}\n`);
  switch (outcome.action) {
    case 'nothing':
      say(
        outcome.closedPullRequest
          ? `nothing to write; closed pull request #${outcome.closedPullRequest}`
          : 'nothing to write',
      );
      break;
    case 'refused':
      refuse(outcome.refused);
      break;
    case 'rejected':
      process.stderr.write(`bot-write: not written: ${outcome.reason}\n  fix: ${outcome.hint}\n`);
      if (process.env.GITHUB_ACTIONS === 'true')
        process.stdout.write(`::error title=bot-write::${escapeData(`${outcome.reason}. ${outcome.hint}`)}\n`);
      break;
    case 'pushed':
      outputs.pushed = 'true';
      outputs.sha = outcome.sha;
      outputs['starts-workflows'] = String(outcome.startsWorkflows);
      say(`pushed ${outcome.files} file(s) as ${login} in ${outcome.sha} (attempt ${outcome.attempts})`);
      if (!outcome.startsWorkflows)
        say('this push was made with GITHUB_TOKEN, so it starts no workflow (docs/operating.md#the-bot)');
      break;
    case 'pull-request':
      outputs.sha = outcome.sha;
      outputs['pull-request'] = String(outcome.number);
      outputs['starts-workflows'] = String(outcome.startsWorkflows);
      say(
        `${outcome.created ? 'opened' : 'updated'} pull request #${outcome.number} (${outcome.url}) with ${outcome.files} file(s)` +
          (outcome.autoMerge === 'enabled' ? '; auto-merge on' : ''),
      );
      if (outcome.autoMerge === 'unavailable')
        say('auto-merge could not be turned on: allow it in Settings > General > Pull Requests > Allow auto-merge');
      if (!outcome.startsWorkflows)
        say('this pull request was opened with GITHUB_TOKEN, so its checks never start (docs/operating.md#the-bot)');
      break;
  }
  if (process.env.GITHUB_OUTPUT)
    await appendFile(
      process.env.GITHUB_OUTPUT,
      Object.entries(outputs)
        .map(([key, value]) => `${key}=${value}\n`)
        .join(''),
    );
}

function refuse(refused: readonly Refusal[]): number {
  process.stderr.write(
    `bot-write: refused, nothing written:\n${refused.map((r) => `  ${r.file}: ${r.reason}`).join('\n')}\n`,
  );
  return EXIT_INVALID;
}
