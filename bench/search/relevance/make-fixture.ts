/**
 * Derives the relevance corpus from the official registry's summary of 2026-06-12 (11,978 servers), so
 * the relevance test and the bench run where `../shared` is absent (CI, a newcomer's clone):
 *   node bench/search/relevance/make-fixture.ts ../shared/data/official-registry-latest-summary-2026-06-12.json
 * The summary has no titles and no packages; where a server is also in registry-data/ (the official
 * registry of 2025-12-18, bundled), its latest title and package identifiers are taken from there.
 * Output: columnar JSON compressed with Brotli (see corpus.ts for the reader), byte-identical per input.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { loadRegistry } from '../../../src/lib/registry/load.ts';
import { searchableIdentifier } from '../../../src/lib/search/build.ts';
import { CORPUS_FILE, type CorpusFile } from './corpus.ts';

interface SummaryRow {
  entry_name: string;
  description: string;
  status: string;
  server_type: string;
  updated_at: string;
  repo_url: string | null;
}

const ROOT = path.resolve(import.meta.dirname, '../../..');
const summaryFile = process.argv[2];
if (!summaryFile) {
  process.stderr.write(
    'usage: node bench/search/relevance/make-fixture.ts <official-registry-latest-summary-*.json>\n',
  );
  process.exit(2);
}

const rows = (JSON.parse(readFileSync(summaryFile, 'utf8')) as SummaryRow[])
  .filter((row) => row.status !== 'deleted')
  .sort((a, b) => (a.entry_name < b.entry_name ? -1 : a.entry_name > b.entry_name ? 1 : 0));
const { registry } = await loadRegistry(path.join(ROOT, 'registry-data'));
const bundled = new Map(registry.servers.map((record) => [record.name, record.latest?.server]));

const corpus: CorpusFile = {
  source: path.basename(summaryFile),
  name: [],
  description: [],
  title: [],
  packages: [],
  status: [],
  type: [],
  updated: [],
  repository: [],
};
for (const row of rows) {
  const server = bundled.get(row.entry_name);
  corpus.name.push(row.entry_name);
  corpus.description.push(row.description);
  corpus.title.push(server?.title ?? '');
  corpus.packages.push(
    (server?.packages ?? []).map((pkg) => `${pkg.registryType}:${searchableIdentifier(pkg)}`).join(' '),
  );
  corpus.status.push(row.status === 'deprecated' ? 'deprecated' : 'active');
  corpus.type.push(row.server_type);
  corpus.updated.push(row.updated_at.slice(0, 10));
  corpus.repository.push(row.repo_url ?? '');
}
const json = `${JSON.stringify(corpus)}\n`;
const compressed = brotliCompressSync(json, {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: json.length },
});
writeFileSync(CORPUS_FILE, compressed);
process.stdout.write(
  `${rows.length} servers (${corpus.title.filter(Boolean).length} titles and ${corpus.packages.filter(Boolean).length} package lists from registry-data/) -> ${path.relative(ROOT, CORPUS_FILE)}, ${(json.length / 1e6).toFixed(2)} MB JSON, ${(compressed.length / 1e3).toFixed(0)} KB Brotli\n`,
);
