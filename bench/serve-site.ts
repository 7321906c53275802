/** Serves a built site on a loopback port (the project's preview server) for the duration of `use`. */
import type { AddressInfo } from 'node:net';
import { createPreviewServer } from '../src/lib/api/preview-server.ts';

export async function withPreviewServer<T>(site: string, use: (siteUrl: string) => Promise<T>): Promise<T> {
  const server = createPreviewServer({ root: site, log: () => {} });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
