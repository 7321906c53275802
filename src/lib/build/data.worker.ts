/**
 * The worker thread of a build (see build-data.ts): loads and validates the data folder and reports
 * the result; then, if the data can be published and the build asks for it, writes the static API
 * from the registry it already holds, so the registry is never copied to a second thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { apiFiles, writeApiFiles } from '../api/emit.ts';
import { hasErrors } from '../problems.ts';
import { loadRegistry } from '../registry/load.ts';
import type { DataWorkerInput, DataWorkerMessage, WriteApiRequest } from './build-data.ts';

const port = parentPort!;
const post = (message: DataWorkerMessage): void => port.postMessage(message);

const { dataDir } = workerData as DataWorkerInput;
const { registry, problems } = await loadRegistry(dataDir);
const counts = {
  servers: registry.servers.length,
  versions: registry.servers.reduce((sum, server) => sum + server.versions.length, 0),
};
if (hasErrors(problems)) {
  post({ type: 'validated', problems, counts });
  port.close();
} else {
  // Listening before posting, so a request sent the moment the registry arrives is not missed.
  port.once('message', async ({ outDir, siteUrl }: WriteApiRequest) => {
    try {
      post({ type: 'written', ...(await writeApiFiles(outDir, apiFiles(registry, siteUrl))) });
    } catch (error) {
      post({ type: 'write-failed', message: error instanceof Error ? error.message : String(error) });
    }
    port.close();
  });
  post({ type: 'validated', problems, counts, registry });
}
