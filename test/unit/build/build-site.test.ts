/**
 * buildSite with real Astro builds: the fixture registry builds; bad data or a failing page never
 * touches the previous output, and no temporary folder is left behind; a rebuild links unchanged
 * server pages from the last build's output and gives the same output as a fresh build.
 */
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
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
  mkdirSync(path.resolve('.tmp'), { recursive: true });
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
  // Inside the working directory: builds outside it share Astro's pages bundle, once per process (see buildSite).
  mkdirSync(path.resolve('.tmp'), { recursive: true });
  dir = mkdtempSync(path.join(path.resolve('.tmp'), 'build-site-'));
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
    expect(siblings()).toEqual(['dist', 'dist.cache']);
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
    expect(siblings()).toEqual(['dist', 'dist.cache']);
  }, 60_000);

  it('keeps the previous output when the Astro build itself fails', async () => {
    placeOldSite();
    // A throwaway Astro project whose only page throws: a real build failure, not a simulated one.
    await withProject(THROWING_HOME, async (project) => {
      const result = await buildSite({ dataDir: FIXTURE, outDir, projectRoot: project, logLevel: 'silent' });
      expect(result.ok).toBe(false);
      expect(result.problems).toEqual([
        expect.objectContaining({ code: 'build-failed', message: expect.stringContaining('page exploded') }),
      ]);
      expect(readdirSync(outDir)).toEqual(['old.html']);
      expect(siblings()).toEqual(['dist', 'dist.cache']);
    });
  }, 300_000);

  it('stops the API writer and removes everything when a page fails while the API is being written', async () => {
    placeOldSite();
    // The project's own API integration (it starts writing before pages render) next to a page that throws.
    await withProject(
      { ...configWith('registryApi', 'src/integrations/registry-api.ts'), ...THROWING_HOME },
      async (project) => {
        const result = await buildSite({ dataDir: FIXTURE, outDir, projectRoot: project, logLevel: 'silent' });
        expect(result.problems).toEqual([
          expect.objectContaining({ code: 'build-failed', message: expect.stringContaining('page exploded') }),
        ]);
        expect(readdirSync(outDir)).toEqual(['old.html']);
        expect(siblings()).toEqual(['dist', 'dist.cache']);
      },
    );
  }, 300_000);
});

/** Every file under `root` (relative path -> bytes). */
function filesOf(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile())
      files.set(
        path.relative(root, path.join(entry.parentPath, entry.name)),
        readFileSync(path.join(entry.parentPath, entry.name)),
      );
  }
  return files;
}

describe('rebuilds with the page cache', () => {
  const inode = (file: string) => statSync(file).ino;
  const serverPage = (out: string, server: string) => path.join(out, 'servers', server, 'index.html');

  it('links unchanged server pages from the last build, renders the changed one, and gives what a fresh build gives', async () => {
    const data = path.join(dir, 'rebuild-data');
    cpSync(FIXTURE, data, { recursive: true });
    const cacheDir = path.join(dir, 'rebuild.cache');
    const first = await buildSite({ dataDir: data, outDir: path.join(dir, 'rebuild-1'), cacheDir, logLevel: 'error' });
    expect(first).toMatchObject({ ok: true, pages: { rendered: 12, reused: 0 } });
    // A pull request changes one server's description.
    const manifest = path.join(data, 'servers/io.github.acme/py-tools/versions/0.3.1.json');
    writeFileSync(
      manifest,
      readFileSync(manifest, 'utf8').replace('Python helpers: run tests', 'Python helpers, rewritten: run tests'),
    );

    const rebuilt = path.join(dir, 'rebuild-2');
    expect(await buildSite({ dataDir: data, outDir: rebuilt, cacheDir, logLevel: 'error' })).toMatchObject({
      ok: true,
      pages: { rendered: 1, reused: 11 },
    });
    expect(inode(serverPage(rebuilt, 'io.github.acme/weather'))).toBe(
      inode(serverPage(path.join(dir, 'rebuild-1'), 'io.github.acme/weather')),
    );
    expect(inode(serverPage(rebuilt, 'io.github.acme/py-tools'))).not.toBe(
      inode(serverPage(path.join(dir, 'rebuild-1'), 'io.github.acme/py-tools')),
    );
    expect(readFileSync(serverPage(rebuilt, 'io.github.acme/py-tools'), 'utf8')).toContain(
      'Python helpers, rewritten: run tests',
    );

    const fresh = path.join(dir, 'rebuild-fresh');
    expect(
      (await buildSite({ dataDir: data, outDir: fresh, cacheDir: path.join(dir, 'fresh.cache'), logLevel: 'error' }))
        .ok,
    ).toBe(true);
    const expected = filesOf(fresh);
    const actual = filesOf(rebuilt);
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [file, bytes] of expected) expect(actual.get(file)!.equals(bytes), file).toBe(true);
  }, 300_000);

  it('renders every page again when the site origin changes, which every page shows', async () => {
    const cacheDir = path.join(dir, 'origin.cache');
    expect(
      (await buildSite({ dataDir: FIXTURE, outDir: path.join(dir, 'origin-1'), cacheDir, logLevel: 'error' })).ok,
    ).toBe(true);
    process.env.SITE_URL = 'https://mcp.example.org';
    try {
      const second = await buildSite({
        dataDir: FIXTURE,
        outDir: path.join(dir, 'origin-2'),
        cacheDir,
        logLevel: 'error',
      });
      expect(second).toMatchObject({ ok: true, pages: { rendered: 12, reused: 0 } });
      expect(readFileSync(serverPage(path.join(dir, 'origin-2'), 'io.github.acme/weather'), 'utf8')).toContain(
        'https://mcp.example.org/servers/io.github.acme/weather/',
      );
    } finally {
      delete process.env.SITE_URL;
    }
  }, 300_000);

  it('still reuses the last finished build after a refused one, which never touched it', async () => {
    const data = path.join(dir, 'refused-data');
    cpSync(FIXTURE, data, { recursive: true });
    const cacheDir = path.join(dir, 'refused.cache');
    const out = path.join(dir, 'refused');
    expect((await buildSite({ dataDir: data, outDir: out, cacheDir, logLevel: 'error' })).ok).toBe(true);
    const weather = inode(serverPage(out, 'io.github.acme/weather'));
    const broken = path.join(data, 'servers/io.github.acme/weather/versions/1.1.0.json');
    const good = readFileSync(broken, 'utf8');
    writeFileSync(broken, '{ not json');
    expect((await buildSite({ dataDir: data, outDir: out, cacheDir, logLevel: 'error' })).ok).toBe(false);
    writeFileSync(broken, good);
    expect(await buildSite({ dataDir: data, outDir: out, cacheDir, logLevel: 'error' })).toMatchObject({
      ok: true,
      pages: { rendered: 0, reused: 12 },
    });
    expect(inode(serverPage(out, 'io.github.acme/weather'))).toBe(weather);
  }, 300_000);
});

describe('builds outside the working directory', () => {
  it("refuses a second one in the same process, which Astro would give the first one's pages", async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'build-outside-'));
    try {
      const first = await buildSite({ dataDir: FIXTURE, outDir: path.join(outside, 'one'), logLevel: 'error' });
      expect(first.ok).toBe(true);
      const second = await buildSite({ dataDir: FIXTURE, outDir: path.join(outside, 'two'), logLevel: 'error' });
      expect(second.ok).toBe(false);
      expect(second.problems).toEqual([
        expect.objectContaining({
          code: 'build-failed',
          message: expect.stringContaining('already built a site outside the working directory'),
        }),
      ]);
      expect(readdirSync(outside).sort()).toEqual(['one', 'one.cache']);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
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
      await expect.poll(() => readdirSync(parent), { timeout: 20_000, interval: 200 }).toEqual(['dist', 'dist.cache']);
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
