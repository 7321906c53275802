/**
 * buildSite with real Astro builds: the fixture registry builds; bad data or a failing page never
 * touches the previous output, and no temporary folder is left behind.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../../src/lib/build/build-site.ts';

const FIXTURE = path.resolve('test/fixtures/registry');
let dir: string;
let outDir: string;
const siblings = () => readdirSync(dir).sort();
/** Runs `check` on a throwaway Astro project made of `files` (path -> text), inside the repository so it finds node_modules. */
async function withProject(files: Record<string, string>, check: (project: string) => Promise<void>): Promise<void> {
  const project = mkdtempSync(path.join(path.resolve('.tmp'), 'throwaway-site-'));
  try {
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
      writeFileSync(path.join(project, file), text);
    }
    await check(project);
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}
const THROWING_HOME = { 'src/pages/index.astro': '---\nthrow new Error("page exploded");\n---\n<p>never</p>\n' };
/** An astro.config.mjs that uses one of the project's own integrations. */
const configWith = (exportName: string, file: string) => ({
  'astro.config.mjs': `import { ${exportName} } from ${JSON.stringify(path.resolve(file))};\nexport default { integrations: [${exportName}()] };\n`,
});
const placeOldSite = () => {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'old.html'), 'the previous site');
};

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'build-site-'));
  outDir = path.join(dir, 'dist');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('buildSite', () => {
  it('builds the fixture registry with Astro and swaps the new output in whole', async () => {
    placeOldSite();
    // Left by a killed build: pid 4194304 cannot be running (Linux pids stay below 2^22).
    mkdirSync(path.join(dir, 'dist.building-4194304-0badf00d'));
    const result = await buildSite({ dataDir: FIXTURE, outDir, logLevel: 'error' });
    expect(result).toMatchObject({ ok: true, problems: [], servers: 12, versions: 23 });
    expect(existsSync(path.join(outDir, 'old.html'))).toBe(false);
    expect(readFileSync(path.join(outDir, 'index.html'), 'utf8')).toMatch(/<html/i);
    expect(siblings()).toEqual(['dist']);
    expect(process.env.REGISTRY_DATA).toBeUndefined();
  }, 300_000);

  it('refuses data with errors, returns the problems and leaves the previous output intact', async () => {
    rmSync(outDir, { recursive: true, force: true });
    placeOldSite();
    const data = path.join(dir, 'bad-data');
    cpSync(FIXTURE, data, { recursive: true });
    writeFileSync(path.join(data, 'servers/io.github.acme/weather/versions/1.1.0.json'), '{ not json');
    const result = await buildSite({ dataDir: data, outDir, logLevel: 'error' });
    rmSync(data, { recursive: true });
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.code)).toEqual(['json-syntax']);
    expect(readdirSync(outDir)).toEqual(['old.html']);
    expect(siblings()).toEqual(['dist']);
  }, 60_000);

  it('keeps the previous output when the Astro build itself fails', async () => {
    placeOldSite();
    // A throwaway Astro project whose only page throws: a real build failure, not a simulated one.
    await withProject(THROWING_HOME, async (project) => {
      const result = await buildSite({ dataDir: FIXTURE, outDir, projectRoot: project, logLevel: 'silent' });
      expect(result.ok).toBe(false);
      expect(result.problems).toEqual([expect.objectContaining({ code: 'build-failed', message: expect.stringContaining('page exploded') })]);
      expect(readdirSync(outDir)).toEqual(['old.html']);
      expect(siblings()).toEqual(['dist']);
    });
  }, 300_000);

  it('stops the API writer and removes everything when a page fails while the API is being written', async () => {
    placeOldSite();
    // The project's own API integration (it starts writing before pages render) next to a page that throws.
    await withProject({ ...configWith('registryApi', 'src/integrations/registry-api.ts'), ...THROWING_HOME }, async (project) => {
      const result = await buildSite({ dataDir: FIXTURE, outDir, projectRoot: project, logLevel: 'silent' });
      expect(result.problems).toEqual([expect.objectContaining({ code: 'build-failed', message: expect.stringContaining('page exploded') })]);
      expect(readdirSync(outDir)).toEqual(['old.html']);
      expect(siblings()).toEqual(['dist']);
    });
  }, 300_000);

});

describe('npm run build', () => {
  it('replaces an existing output at once and deletes the old one from a detached process', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'build-cli-'));
    try {
      const out = path.join(parent, 'dist');
      mkdirSync(out);
      writeFileSync(path.join(out, 'old.html'), 'the previous site');
      const { stdout } = await promisify(execFile)('node_modules/.bin/node', ['scripts/build.ts', '--out', out], {
        env: { ...process.env, REGISTRY_DATA: FIXTURE },
      });
      expect(stdout).toMatch(
        /built 12 servers, 23 versions into .* \(0 errors, 0 warnings\)\n {2}data validated after [\d.]+s while Astro bundled, pages and API done [\d.]+s later; API \d+ files, [\d.]+ MiB\n/,
      );
      // Astro's page-by-page log stays off: only warnings and errors would show.
      expect(stdout).not.toMatch(/├─/);
      expect(existsSync(path.join(out, 'old.html'))).toBe(false);
      expect(existsSync(path.join(out, 'index.html'))).toBe(true);
      await expect.poll(() => readdirSync(parent), { timeout: 20_000, interval: 200 }).toEqual(['dist']);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  }, 120_000);

  it('refuses bad REGISTRY_DATA with the problems on stderr and exit code 1', async () => {
    const data = path.join(dir, 'bad-cli-data');
    cpSync(FIXTURE, data, { recursive: true });
    rmSync(path.join(data, 'servers/io.github.acme/weather/registry.json'));
    const run = promisify(execFile)('node_modules/.bin/node', ['scripts/build.ts', '--out', outDir], {
      env: { ...process.env, REGISTRY_DATA: data },
    });
    const failure = (await run.then(
      () => undefined,
      (error: unknown) => error,
    )) as { code: number; stdout: string; stderr: string };
    expect(failure.code).toBe(1);
    expect(failure.stderr).toMatch(/versions\/1\.0\.0\.json:\d+:\d+ {2}error {2}facts-missing/);
    expect(failure.stderr).toMatch(/build refused: 4 errors, 0 warnings; .*dist left unchanged/);
    expect(failure.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(outDir)).toEqual(['old.html']);
  }, 60_000);
});
