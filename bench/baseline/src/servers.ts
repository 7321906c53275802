/** Each server's newest manifest file (by file name), read straight from the data folder. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface BaselineServer {
  namespace: string;
  name: string;
  manifest: { name: string; description: string; version: string };
}

let cached: BaselineServer[] | undefined;

export function baselineServers(): BaselineServer[] {
  if (cached) return cached;
  const root = path.resolve(process.env.REGISTRY_DATA ?? 'registry-data', 'servers');
  cached = [];
  for (const namespace of readdirSync(root).sort()) {
    for (const name of readdirSync(path.join(root, namespace)).sort()) {
      const versions = path.join(root, namespace, name, 'versions');
      const newest = readdirSync(versions).sort().at(-1)!;
      cached.push({ namespace, name, manifest: JSON.parse(readFileSync(path.join(versions, newest), 'utf8')) });
    }
  }
  return cached;
}
