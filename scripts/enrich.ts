/**
 * npm run enrich -- [--file .cache/github/repositories.json]
 * Refreshes the optional repository facts (stars, last push, archived, licence) for every listed
 * server's GitHub repository, with conditional requests. Needs GITHUB_TOKEN; without it nothing
 * changes and the build goes on without enrichment.
 */
import { EXIT_OK, parseCliArgs, runCli } from '../src/lib/cli/run.ts';
import { githubFromEnv } from '../src/lib/github/client.ts';
import { DEFAULT_ENRICHMENT_FILE, refreshEnrichment } from '../src/lib/github/enrich.ts';
import { dataRoot } from '../src/lib/registry/layout.ts';
import { loadRegistry } from '../src/lib/registry/load.ts';

await runCli('usage: npm run enrich -- [--file PATH]', async () => {
  const { values } = parseCliArgs(process.argv.slice(2), {
    file: { type: 'string', default: DEFAULT_ENRICHMENT_FILE },
  });
  if (!process.env.GITHUB_TOKEN) {
    process.stdout.write('enrich: GITHUB_TOKEN is not set; skipped (the build works without enrichment)\n');
    return EXIT_OK;
  }
  const { registry } = await loadRegistry(dataRoot());
  const urls = registry.servers.flatMap((server) =>
    server.latest?.server.repository?.url ? [server.latest.server.repository.url] : [],
  );
  const outcome = await refreshEnrichment(githubFromEnv(process.env), urls, values.file);
  process.stdout.write(
    `enrich: ${outcome.fetched} fetched, ${outcome.notModified} unchanged, ${outcome.missing} gone, ${outcome.failed.length} failed -> ${values.file}\n`,
  );
  for (const failure of outcome.failed.slice(0, 20)) process.stderr.write(`  ${failure}\n`);
  return EXIT_OK;
});
