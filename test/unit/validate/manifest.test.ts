import { describe, expect, it } from 'vitest';
import { RULES } from '../../../src/lib/rule-codes.ts';
import { validateManifestText } from '../../../src/lib/validate/manifest.ts';
import { VALID_FULL_TEXT } from '../../fixtures/manifests/rule-cases.ts';

const base = JSON.parse(VALID_FULL_TEXT) as Record<string, any>;
const withChanges = (changes: Record<string, unknown>) => JSON.stringify({ ...base, ...changes }, null, 2);
const validate = (text: string) => validateManifestText(text, 'servers/x/server.json');
const codes = (text: string) => validate(text).problems.map((problem) => problem.code);

describe('validateManifestText on hostile input', () => {
  it('reports malformed JSON with line and column, never throwing', () => {
    const result = validate('{\n  "name": "io.github.a/b",\n  "version": 1.0.0\n}');
    expect(result.server).toBeUndefined();
    expect(result.problems).toEqual([
      expect.objectContaining({
        code: 'json-syntax',
        severity: 'error',
        file: 'servers/x/server.json',
        path: '$',
        line: 3,
        column: 17,
      }),
    ]);
    expect(result.problems[0]!.message).toContain('line 3, column 17');
    expect(result.problems[0]!.hint).toBe(RULES['json-syntax'].hint);
  });

  it.each([
    ['a top-level array', '[]', 'schema-type', '$'],
    ['a top-level string', '"server"', 'schema-type', '$'],
    ['null', 'null', 'schema-type', '$'],
    ['a number as name', withChanges({ name: 42 }), 'schema-type', '$.name'],
    ['remotes as an object', withChanges({ remotes: { url: 'https://a.example' } }), 'schema-type', '$.remotes'],
    ['a missing version', JSON.stringify({ ...base, version: undefined }), 'schema-required', '$.version'],
  ])('reports wrong types and shapes: %s', (_label, text, code, path) => {
    const result = validate(text);
    expect(result.server).toBeUndefined();
    expect(result.problems).toContainEqual(expect.objectContaining({ code, path, severity: 'error' }));
  });

  it('rejects a huge file up front', () => {
    const huge = withChanges({ description: 'x'.repeat(2 * 1024 * 1024) });
    expect(codes(huge)).toEqual(['json-too-large']);
  });

  it('rejects 100,000-deep nesting without a stack overflow', () => {
    expect(codes('['.repeat(100_000) + ']'.repeat(100_000))).toEqual(['json-too-deep']);
    expect(codes(`{"name": ${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`)).toEqual(['json-too-deep']);
  });

  it.each([
    ['websiteUrl', { websiteUrl: 'javascript:alert(document.cookie)' }, '$.websiteUrl'],
    ['websiteUrl data:', { websiteUrl: 'data:text/html,<script>alert(1)</script>' }, '$.websiteUrl'],
    ['icon', { icons: [{ src: 'data:image/svg+xml;base64,PHN2Zz4=' }] }, '$.icons[0].src'],
    ['remote', { remotes: [{ type: 'sse', url: 'javascript:alert(1)' }] }, '$.remotes[0].url'],
    ['repository', { repository: { url: 'file:///etc/passwd', source: 'github' } }, '$.repository.url'],
  ])('rejects dangerous URL schemes: %s', (_label, changes, path) => {
    const result = validate(withChanges(changes));
    expect(result.server).toBeUndefined();
    expect(result.problems).toContainEqual(expect.objectContaining({ code: 'url-scheme', path }));
  });

  it('requires https for remotes, websites and icons', () => {
    expect(codes(withChanges({ remotes: [{ type: 'sse', url: 'http://weather.example.com/sse' }] }))).toContain(
      'remote-https',
    );
    expect(codes(withChanges({ websiteUrl: 'http://weather.example.com' }))).toContain('website-https');
    expect(codes(withChanges({ icons: [{ src: 'http://weather.example.com/i.png' }] }))).toContain('icon-https');
  });

  it.each([
    'https://localhost/mcp',
    'https://127.0.0.1:8443/mcp',
    'https://mcp.localhost/sse',
    'https://[::1]/mcp',
    'https://localhost:{port}/mcp',
  ])('rejects the localhost remote %s', (url) => {
    const problems = codes(withChanges({ remotes: [{ type: 'streamable-http', url, variables: { port: {} } }] }));
    expect(problems).toContain('remote-localhost');
  });

  it('names every undeclared template variable once', () => {
    const result = validate(
      withChanges({
        remotes: [{ type: 'sse', url: 'https://{tenant}.example.com/{tenant}/{region}', variables: { region: {} } }],
      }),
    );
    const problem = result.problems.find((p) => p.code === 'remote-template-undeclared');
    expect(problem?.message).toContain('{tenant}');
    expect(problem?.message).not.toContain('{region}');
  });

  it.each([
    '../../etc/passwd',
    'io.github.a/../b',
    'io.github.a/b/c',
    '/etc/passwd',
    'io.github.a\\b',
    'io.github.a/.hidden',
  ])('rejects path traversal in the name %j', (name) => {
    expect(codes(withChanges({ name }))).toContain('name-format');
  });

  it.each([
    ['../../x', '"/"'],
    ['1.0/../../x', '"/"'],
    ['..', 'starts with "."'],
    ['.', 'starts with "."'],
    ['.1.0', 'starts with "."'],
    ['1.0.', 'ends with a dot'],
    ['1.0 ', 'ends with a dot or a space'],
    ['1.0\\2', '"\\\\"'],
    ['1.0\u0000', '"\\u0000"'],
    ['1:0', '":"'],
    ['1|0', '"|"'],
    ['1?0', '"?"'],
    ['<1>', '"<"'],
    ['', 'empty'],
  ])('rejects the unsafe version %j', (version, reason) => {
    const problem = validate(withChanges({ version })).problems.find((p) => p.code === 'version-unsafe-filename');
    expect(problem?.message).toContain(reason);
  });

  it.each(['{{VERSION}}', '1.0.1º', '2025.11.26+pr150-394827a', 'v17.1.7-3', 'mcp', '3.3.0.1'])(
    'accepts the real version %j',
    (version) => {
      expect(validate(withChanges({ version })).problems).toEqual([]);
    },
  );

  it.each(['^1.2.3', '~1.2', '>=1.0', '1.x', '1.2.*', '1.2.3 - 2.0.0', '1 || 2', '< 2', 'x.x.x'])(
    'rejects the version range %j',
    (version) => {
      expect(codes(withChanges({ version }))).toContain('version-range');
    },
  );

  it('escapes untrusted text in messages', () => {
    const result = validate(
      withChanges({ repository: { url: 'https://evil.example/\u001b[31m<b>', source: 'github' } }),
    );
    const problem = result.problems.find((p) => p.code === 'repository-host');
    expect(problem?.message).toContain('\\u001b');
    expect(problem?.message).not.toContain('\u001b');
  });

  it('reports many problems at once, each with a precise path and position', () => {
    const text = withChanges({
      version: 'latest',
      websiteUrl: 'http://x.example',
      remotes: [{ type: 'sse', url: 'http://localhost/sse' }],
    });
    const result = validate(text);
    expect(result.problems.map((p) => `${p.code} ${p.path}`)).toEqual([
      'version-reserved $.version',
      'website-https $.websiteUrl',
      'remote-https $.remotes[0].url',
      'remote-localhost $.remotes[0].url',
    ]);
    const lines = text.split('\n');
    for (const problem of result.problems) {
      const line = lines[problem.line! - 1]!;
      expect(line.slice(problem.column! - 1)).toMatch(/^"(latest|http:\/\/)/);
    }
  });

  it('keeps warnings non-blocking', () => {
    const { $schema: _, ...rest } = base;
    const result = validate(JSON.stringify({ ...rest, _meta: { ...base._meta, 'com.example/x': {} } }));
    expect(result.problems.map((p) => p.severity)).toEqual(['warning', 'warning']);
    expect(result.server?.name).toBe(base.name);
    expect(result.server?._meta).not.toHaveProperty('com.example/x');
  });

  it('is deterministic', () => {
    const text = withChanges({ version: '^1', title: ' ', websiteUrl: 'ftp://x.example' });
    expect(JSON.stringify(validate(text))).toBe(JSON.stringify(validate(text)));
  });
});

describe('messages about huge values', () => {
  it('cut long untrusted values short', () => {
    const url = `https://evil.example/${'a'.repeat(500_000)}`;
    for (const text of [
      withChanges({ repository: { url, source: 'github' } }),
      withChanges({ version: 'v'.repeat(300) }),
    ]) {
      const result = validate(text);
      expect(result.problems.length).toBeGreaterThan(0);
      for (const problem of result.problems) expect(problem.message.length).toBeLessThan(300);
    }
  });
});

describe('prototype-named values', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'handle %j as an ordinary string everywhere',
    (word) => {
      const pkg = {
        registryType: word,
        registryBaseUrl: 'https://registry.example',
        identifier: word,
        transport: { type: 'stdio' },
      };
      const current = validate(
        withChanges({ packages: [pkg], repository: { url: 'https://github.com/a/b', source: word } }),
      );
      expect(current.problems.map((p) => p.code)).toEqual(
        expect.arrayContaining(['registry-type', 'repository-source-mismatch']),
      );
      const legacy = JSON.stringify({
        ...base,
        $schema: 'https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json',
        packages: [{ ...base.packages[0], environmentVariables: [{ name: 'X', format: word }] }],
        remotes: [{ type: 'sse', url: 'https://a.example/{x}', variables: { [word]: { format: word } } }],
      });
      const result = validate(legacy);
      expect(result.problems.filter((p) => p.code === 'legacy-value-normalised').map((p) => p.path)).toContain(
        '$.packages[0].environmentVariables[0].format',
      );
    },
  );
});
