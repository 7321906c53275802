/** `npm run validate` as a real subprocess: exit codes, formats, and no stack trace for any input. */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const FIXTURE = path.resolve('test/fixtures/registry');
const GOOD = path.join(FIXTURE, 'servers/io.github.acme/weather/versions/1.0.0.json');

const validate = async (args: string[], env: Record<string, string> = {}) => {
  try {
    const { stdout, stderr } = await promisify(execFile)('node_modules/.bin/node', ['scripts/validate.ts', ...args], {
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};
const noStackTrace = (output: string) => expect(output).not.toMatch(/\n\s+at .+:\d+:\d+\)?$/m);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'validate-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run validate (the data folder)', () => {
  it('exits 0 for the fixture registry named by REGISTRY_DATA', async () => {
    const result = await validate([], { REGISTRY_DATA: FIXTURE });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^checked \d+ files: 0 errors, 0 warnings\n$/);
  }, 60_000);

  it('reports a malformed file among good ones and still checks the others (exit 1)', async () => {
    const data = path.join(dir, 'data');
    cpSync(FIXTURE, data, { recursive: true });
    writeFileSync(
      path.join(data, 'servers/io.github.acme/weather/versions/1.1.0.json'),
      '{"name": "io.github.acme/weather",\n  "version": }',
    );
    writeFileSync(
      path.join(data, 'servers/com.example/mcpb-bundle/registry.json'),
      '{"versions": {"1.0.0": {"status": "gone"}}}',
    );
    const result = await validate(['--format', 'json', data]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      errors: number;
      problems: { code: string; file: string; line?: number }[];
    };
    const codes = report.problems.map(
      (p) => `${p.code} ${path.basename(path.dirname(p.file))}/${path.basename(p.file)}`,
    );
    expect(codes).toContain('json-syntax versions/1.1.0.json');
    expect(codes).toContain('facts-invalid mcpb-bundle/registry.json');
    expect(report.problems.every((p) => p.line !== undefined)).toBe(true);
    expect(report.errors).toBeGreaterThanOrEqual(3);
  }, 60_000);
});

describe('npm run validate -- FILE...', () => {
  it('prints the usage for --help and exits 0 without validating', async () => {
    const result = await validate(['/nonexistent.json', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^usage: npm run validate/);
  }, 60_000);

  it('exits 0 for a valid server.json', async () => {
    const result = await validate([GOOD]);
    expect(result).toMatchObject({ code: 0, stdout: 'checked 1 files: 0 errors, 0 warnings\n' });
  }, 60_000);

  it('prints GitHub annotations with file, line, column and code (exit 1)', async () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify(
        {
          $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
          name: 'io.github.someone/tool',
          description: 'd',
          version: '^1.2.3',
        },
        null,
        2,
      ),
    );
    const result = await validate(['--format', 'github', GOOD, bad]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      new RegExp(
        `^::error file=${bad.replace(/[.]/g, '\\.')},line=5,col=\\d+,title=version-range::\\$\\.version: `,
        'm',
      ),
    );
    expect(result.stdout).toMatch(/^checked 2 files: 1 error, 0 warnings$/m);
  }, 60_000);

  it('never fails on warnings', async () => {
    const old = path.join(dir, 'old.json');
    writeFileSync(old, JSON.stringify({ name: 'io.github.someone/tool', description: 'd', version: '1.0.0' }));
    const result = await validate([old]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('warning  schema-missing');
  }, 60_000);

  it('answers hostile and broken inputs with problems or a usage error, never a stack trace', async () => {
    const inputs: Record<string, string | Buffer> = {
      'empty.json': '',
      'null.json': 'null',
      'array.json': '[]',
      'binary.json': Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80]),
      'deep.json': '['.repeat(5000) + ']'.repeat(5000),
      'huge.json': `{"description": "${'x'.repeat(1024 * 1024)}"}`,
      'bom.json': `\ufeff${JSON.stringify({ name: 'a.b/c', description: 'd', version: '1' })}`,
      'proto.json': '{"__proto__": {"polluted": true}, "name": "a.b/c", "description": "d", "version": "1.0.0"}',
    };
    const files = Object.entries(inputs).map(([name, content]) => {
      writeFileSync(path.join(dir, name), content);
      return path.join(dir, name);
    });
    mkdirSync(path.join(dir, 'empty-dir'), { recursive: true });
    for (const file of files) {
      const result = await validate([file]);
      expect([0, 1], file).toContain(result.code);
      expect(result.stderr, file).toBe('');
      noStackTrace(result.stdout);
    }
    expect((await validate([path.join(dir, 'huge.json')])).stdout).toContain('json-too-large');
    for (const args of [['/nonexistent/server.json'], ['--format', 'xml'], ['--nope']]) {
      const result = await validate(args);
      expect(result.code, args.join(' ')).toBe(2);
      noStackTrace(result.stdout + result.stderr);
    }
  }, 120_000);
});
