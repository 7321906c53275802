/**
 * Property tests over real manifests: the fixture registry, the imported registry-data/ when present, and
 * the official registry dump in ../shared when present. For every package and remote of every manifest:
 * no exception, every snippet parses back to its value, every link decodes back to its config, and the
 * configs agree with the manifest (package reference present, secrets only as placeholders or inputs).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { ServerJson } from '../../../src/lib/schema/server.ts';
import { loadRegistry } from '../../../src/lib/registry/load.ts';
import { validateManifestText } from '../../../src/lib/validate/manifest.ts';
import { installGuides, serverNames } from '../../../src/lib/install/guide.ts';
import { cursorEntry, vscodeEntry } from '../../../src/lib/install/clients.ts';
import { isAllowedInstallHref } from '../../../src/lib/install/encode.ts';
import { bashArgvMany, decodeCursorLink, decodeGooseLink, decodeVscodeLink, decodeVscodeWebLink } from './decode.ts';

const FIXTURE_REGISTRY = path.resolve('test/fixtures/registry');
const IMPORTED_REGISTRY = path.resolve('registry-data');
const OFFICIAL_DUMP = path.resolve('../shared/data/official-registry-2025-12-18.json');

async function registryManifests(root: string): Promise<ServerJson[]> {
  const { registry } = await loadRegistry(root);
  return registry.servers.flatMap((server) => server.versions.map((version) => version.server));
}

/** Checks every guide of every manifest; returns the number of targets checked. */
function checkCorpus(servers: readonly ServerJson[]): number {
  const shellChecks: { text: string; argv: unknown }[] = [];
  let targets = 0;
  for (const server of servers) {
    const names = serverNames(server);
    const guides = installGuides(server);
    expect(guides).toHaveLength((server.packages?.length ?? 0) + (server.remotes?.length ?? 0));
    for (const guide of guides) {
      targets++;
      const { spec } = guide.target;
      const context = `${server.name} ${server.version} ${guide.target.id}`;
      if (guide.start) shellChecks.push({ text: guide.start.text, argv: guide.start.value });
      for (const client of guide.clients) {
        for (const snippet of client.snippets) {
          if (snippet.language === 'json') expect(JSON.parse(snippet.text), context).toEqual(snippet.value);
          else if (snippet.language === 'yaml') expect(parseYaml(snippet.text), context).toEqual(snippet.value);
          else shellChecks.push({ text: snippet.text, argv: snippet.value });
          // Secrets never appear as anything but a placeholder or a VS Code input reference.
          for (const input of spec.inputs)
            if (input.isSecret) expect(snippet.text, context).not.toContain(`"${input.default}"`);
        }
        for (const link of client.links) expect(isAllowedInstallHref(link.href), `${context} ${link.href}`).toBe(true);
      }

      const vscodeBuilt = vscodeEntry(spec);
      const cursorBuilt = cursorEntry(spec);
      const byClient = Object.fromEntries(guide.clients.map((c) => [c.client, c]));
      if (vscodeBuilt) {
        const { entry, inputs } = vscodeBuilt;
        const links = byClient.vscode!.links;
        const payload = { name: names.key, ...entry, ...(inputs.length ? { inputs } : {}) };
        expect(decodeVscodeLink(links[0]!.href), context).toEqual(payload);
        expect(decodeVscodeLink(links[1]!.href, 'vscode-insiders'), context).toEqual(payload);
        expect(decodeVscodeWebLink(links[2]!.href).config, context).toEqual(entry);
        for (const input of inputs)
          if (spec.inputs.find((i) => i.id === input.id)?.isSecret) expect(input.password, context).toBe(true);
      }
      if (cursorBuilt) {
        for (const link of byClient.cursor!.links)
          expect(decodeCursorLink(link.href), context).toEqual({ name: names.key, config: cursorBuilt });
      }
      const gooseLink = byClient.goose!.links[0];
      if (gooseLink && spec.kind === 'stdio') {
        const yaml = byClient.goose!.snippets[0]!.value as {
          extensions: Record<string, { cmd: string; args?: string[] }>;
        };
        const extension = yaml.extensions[names.key]!;
        expect(decodeGooseLink(gooseLink.href), context).toMatchObject({
          cmd: extension.cmd,
          args: extension.args ?? [],
          name: names.title,
        });
      }

      // Agreement with the manifest itself.
      if (spec.kind === 'stdio' && guide.target.id.startsWith('package-')) {
        const pkg = server.packages![Number(guide.target.id.slice('package-'.length))]!;
        const args = (cursorBuilt as { args: string[] }).args;
        expect(
          args.some((arg) => arg.startsWith(pkg.identifier)),
          context,
        ).toBe(true);
        for (const variable of pkg.environmentVariables ?? []) {
          if (variable.isRequired || variable.isSecret || variable.value !== undefined)
            expect(
              spec.env.map((s) => s.name),
              context,
            ).toContain(variable.name);
        }
      }
      if ((spec.kind === 'http' || spec.kind === 'sse') && guide.target.id.startsWith('remote-')) {
        const remote = server.remotes![Number(guide.target.id.slice('remote-'.length))]!;
        const url = (cursorBuilt as { url: string }).url;
        if (!remote.url.includes('{')) expect(url, context).toBe(remote.url);
      }
      if (spec.kind === 'bundle' && spec.url.startsWith('https://'))
        expect(byClient['claude-desktop']!.links[0]?.href, context).toBe(spec.url);
    }
  }
  const argvs = bashArgvMany(shellChecks.map((check) => check.text));
  expect(argvs).toEqual(shellChecks.map((check) => check.argv));
  return targets;
}

describe('install guides over real manifests', () => {
  it('the fixture registry', async () => {
    const servers = await registryManifests(FIXTURE_REGISTRY);
    expect(servers.length).toBeGreaterThan(0);
    expect(checkCorpus(servers)).toBeGreaterThan(0);
  });

  it.skipIf(!fs.existsSync(IMPORTED_REGISTRY))(
    'the imported registry-data/ (when present)',
    async () => {
      const servers = await registryManifests(IMPORTED_REGISTRY);
      expect(servers.length).toBeGreaterThan(1000);
      checkCorpus(servers);
    },
    300_000,
  );

  it.skipIf(!fs.existsSync(OFFICIAL_DUMP))(
    'the official registry dump in ../shared (when present)',
    () => {
      const records = JSON.parse(fs.readFileSync(OFFICIAL_DUMP, 'utf8')) as { server: unknown }[];
      const servers = records.flatMap(
        (record, index) => validateManifestText(JSON.stringify(record.server), `record ${index}`).server ?? [],
      );
      // Most records validate today; the migration of older schema versions raises this further.
      expect(servers.length).toBeGreaterThan(2000);
      checkCorpus(servers);
    },
    300_000,
  );
});
