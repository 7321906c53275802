/**
 * Serves a built site on a loopback port (the project's preview server) for the duration of `use`,
 * which starts once the server has finished its start-up work: it reads every server document of the
 * build (2.7 s of CPU at 25k servers), and keystrokes timed meanwhile shared two cores with it.
 */
import type { AddressInfo } from 'node:net';
import { createPreviewServer } from '../src/lib/api/preview-server.ts';

export async function withPreviewServer<T>(site: string, use: (siteUrl: string) => Promise<T>): Promise<T> {
  const server = createPreviewServer({ root: site, log: () => {} });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await server.ready;
  try {
    return await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
