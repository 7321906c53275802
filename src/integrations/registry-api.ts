/**
 * Astro integration: writes the static JSON API (official v0.1 and our own /api/v1) and the
 * static-host support files into the build output, from the same model the pages use.
 *
 * The API does not depend on the pages, so it never waits for them: a worker thread writes it from
 * `astro:build:setup` (after Astro has emptied the output folder) while Astro bundles and renders on
 * the main thread, and `astro:build:done` waits for it. Paths that cannot be served fail the build
 * before any page is rendered. The API is only produced by builds (`npm run build`; `npm start` serves it).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { apiPathProblems, type WriteSummary } from '../lib/api/emit.ts';
import { HOST_FILE_NAMES } from '../lib/api/host.ts';
import { writeApiInBackground } from '../lib/api/write-in-background.ts';
import { formatProblemsText } from '../lib/cli/format.ts';
import { getRegistry } from '../lib/registry/cache.ts';

export function registryApi(): AstroIntegration {
  let siteUrl = 'http://localhost:4321';
  let outDir = '';
  let publicDir = '';
  let writing: Promise<WriteSummary | Error> | undefined;
  return {
    name: 'mcp-index-api',
    hooks: {
      'astro:config:done': ({ config }) => {
        if (config.site !== undefined) siteUrl = config.site;
        outDir = fileURLToPath(config.outDir);
        publicDir = fileURLToPath(config.publicDir);
      },
      'astro:build:setup': async () => {
        const registry = await getRegistry();
        const problems = apiPathProblems(registry);
        if (problems.length > 0) throw new Error(`the API cannot be written:\n${formatProblemsText(problems)}`);
        const clash = HOST_FILE_NAMES.find((file) => existsSync(path.join(publicDir, file)));
        if (clash !== undefined) {
          throw new Error(`public/${clash} would be overwritten: add its rules to src/lib/api/host.ts, which writes ${clash}`);
        }
        // Kept as a value, not a pending rejection, until build:done looks at it.
        writing = writeApiInBackground({ registry, siteUrl, outDir }).catch((error: unknown) =>
          error instanceof Error ? error : new Error(String(error)),
        );
      },
      'astro:build:done': async ({ logger }) => {
        if (writing === undefined) throw new Error('the API writer never started (astro:build:setup did not run)');
        const written = await writing;
        writing = undefined;
        if (written instanceof Error) throw new Error(`the API could not be written: ${written.message}`);
        logger.info(`API: ${written.files} files, ${(written.bytes / 1_048_576).toFixed(1)} MiB`);
      },
    },
  };
}
