/**
 * npm run preview [-- --port N] [-- --dir PATH]: serves a build (default dist/) on http://localhost:4321,
 * with the official v0.1 API's query parameters answered and `%2F` in paths decoded (see
 * src/lib/api/preview-server.ts). Listens on 127.0.0.1 only. Ctrl+C stops it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createPreviewServer } from '../src/lib/api/preview-server.ts';
import { EXIT_OK, parseCliArgs, runCli, UsageError } from '../src/lib/cli/run.ts';

const USAGE = `usage: npm run preview [-- --port N] [-- --dir PATH]
  --port N    port to listen on (default 4321)
  --dir PATH  build folder to serve (default dist)`;

await runCli(USAGE, async () => {
  const { values, positionals } = parseCliArgs(process.argv.slice(2), {
    port: { type: 'string', default: '4321' },
    dir: { type: 'string', default: 'dist' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const port = /^[0-9]{1,5}$/.test(values.port) ? Number(values.port) : NaN;
  if (!(port >= 1 && port <= 65_535))
    throw new UsageError(`--port must be a number from 1 to 65535, not ${JSON.stringify(values.port)}`);
  const root = path.resolve(values.dir);
  if (!existsSync(path.join(root, 'index.html')) && !existsSync(path.join(root, 'v0.1'))) {
    throw new Error(`${values.dir}/ does not exist or holds no build: run npm run build first`);
  }
  const server = createPreviewServer({ root });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE' ? `port ${port} is in use: pass another with -- --port N` : error.message,
        ),
      ),
    );
    server.listen(port, '127.0.0.1', resolve);
  });
  process.stdout.write(
    `Serving ${path.relative(process.cwd(), root) || '.'}/ on http://localhost:${port}/\n` +
      `  official API: http://localhost:${port}/v0.1/servers   our API: http://localhost:${port}/api/v1/index.json\n` +
      '  Ctrl+C stops.\n',
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return EXIT_OK;
});
