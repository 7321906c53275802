/**
 * Astro integration: once the site is built, writes the static JSON API (official v0.1 and our own
 * /api/v1) and the static-host support files into the build output, from the same model the pages use.
 * The API is only produced by builds (`npm run build`; `npm start` serves it); `astro dev` has none.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { apiFiles, apiPathProblems, writeApiFiles } from '../lib/api/emit.ts';
import { formatProblemsText } from '../lib/cli/format.ts';
import { getRegistry } from '../lib/registry/cache.ts';

const HOST_FILES = ['_headers', '_redirects'];

export function registryApi(): AstroIntegration {
  let siteUrl = 'http://localhost:4321';
  return {
    name: 'mcp-index-api',
    hooks: {
      'astro:config:done': ({ config }) => {
        if (config.site !== undefined) siteUrl = config.site;
      },
      'astro:build:done': async ({ dir, logger }) => {
        const registry = await getRegistry();
        const problems = apiPathProblems(registry);
        if (problems.length > 0) {
          throw new Error(`the API cannot be written:\n${formatProblemsText(problems)}`);
        }
        const outDir = fileURLToPath(dir);
        const clash = HOST_FILES.find((file) => existsSync(path.join(outDir, file)));
        if (clash !== undefined) {
          throw new Error(`public/${clash} would be overwritten: add its rules to src/lib/api/host.ts, which writes ${clash}`);
        }
        const written = await writeApiFiles(outDir, apiFiles(registry, siteUrl));
        logger.info(`API: ${written.files} files, ${(written.bytes / 1_048_576).toFixed(1)} MiB`);
      },
    },
  };
}
