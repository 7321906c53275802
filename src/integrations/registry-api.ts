/**
 * Astro integration: writes the static JSON API (official v0.1 and our own /api/v1) and the
 * static-host support files into the build output, from the same data the pages use.
 *
 * The API does not depend on the pages, so it never waits for them: the build's data worker (see
 * src/lib/build/build-data.ts), which validated the data, writes it from `astro:build:setup` (after
 * Astro has emptied the output folder) while Astro bundles and renders on the main thread, and
 * `astro:build:done` waits for it. The API is only produced by builds (`npm run build`; `npm start`
 * serves it).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import type { WriteSummary } from '../lib/api/emit.ts';
import { HOST_FILE_NAMES } from '../lib/api/host.ts';
import { buildDataFor } from '../lib/build/build-data.ts';
import { dataRoot } from '../lib/registry/layout.ts';

export function registryApi(): AstroIntegration {
  let siteUrl = 'http://localhost:4321';
  let outDir = '';
  let publicDir = '';
  let writing: Promise<WriteSummary | undefined | Error> | undefined;
  return {
    name: 'mcp-index-api',
    hooks: {
      'astro:config:done': ({ config }) => {
        if (config.site !== undefined) siteUrl = config.site;
        outDir = fileURLToPath(config.outDir);
        publicDir = fileURLToPath(config.publicDir);
      },
      'astro:build:setup': () => {
        const clash = HOST_FILE_NAMES.find((file) => existsSync(path.join(publicDir, file)));
        if (clash !== undefined) {
          throw new Error(
            `public/${clash} would be overwritten: add its rules to src/lib/api/host.ts, which writes ${clash}`,
          );
        }
        // Not awaited: Astro bundles while the data is still being validated. Kept as a value, not
        // a pending rejection, until build:done looks at it.
        writing = buildDataFor(dataRoot())
          .writeApi({ outDir, siteUrl })
          .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
      },
      'astro:build:done': async ({ logger }) => {
        if (writing === undefined) throw new Error('the API writer never started (astro:build:setup did not run)');
        const written = await writing;
        writing = undefined;
        if (written instanceof Error) throw new Error(`the API could not be written: ${written.message}`);
        // Undefined: the data was refused, so whoever built with it is discarding this output.
        if (written) logger.info(`API: ${written.files} files, ${(written.bytes / 1_048_576).toFixed(1)} MiB`);
      },
    },
  };
}
