import { describe, expect, it } from 'vitest';
import { jsonPath } from '../../../src/lib/problems.ts';
import {
  MAX_JSON_DEPTH,
  MAX_MANIFEST_BYTES,
  locateJsonPath,
  locateJsonPaths,
  parseJson,
  parseJsonPath,
  positionAt,
} from '../../../src/lib/json/parse.ts';

const failure = (text: string) => {
  const result = parseJson(text);
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to fail`);
  return result;
};

describe('parseJson', () => {
  it('parses valid JSON like JSON.parse', () => {
    const text = '{"a": [1, 2.5e3, -0, true, false, null, "\\u00e9\\n"], "b": {}}';
    expect(parseJson(text)).toEqual({ ok: true, value: JSON.parse(text) });
  });

  it.each([
    ['{\n  "a": 1,\n}', 3, 1, 'trailing comma before "}"'],
    ['[1,\n 2,\n]', 3, 1, 'trailing comma before "]"'],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, 'expected "," or "}"'],
    ["{'a': 1}", 1, 2, 'expected a property name in double quotes'],
    ['{"a": tru}', 1, 7, 'expected a value'],
    ['{"a": "line\nbreak"}', 1, 12, 'control character inside a string'],
    ['{"a": "\\x"}', 1, 8, 'invalid escape'],
    ['{"a": 01}', 1, 8, 'expected "," or "}"'],
    ['{"a": 1} x', 1, 10, 'after the JSON value'],
    ['{"a": "open', 1, 7, 'unterminated string'],
    ['', 1, 1, 'expected a value, found end of file'],
    ['// comment\n{}', 1, 1, 'expected a value'],
  ])('reports %j at line %i column %i', (text, line, column, message) => {
    const result = failure(text);
    expect(result.code).toBe('json-syntax');
    expect(result.position).toMatchObject({ line, column });
    expect(result.message).toContain(message);
  });

  it('rejects a byte order mark with a clear message', () => {
    expect(failure('\ufeff{}').message).toContain('byte order mark');
  });

  it('rejects files over the size limit without parsing them', () => {
    const result = failure(`"${'a'.repeat(MAX_MANIFEST_BYTES)}"`);
    expect(result.code).toBe('json-too-large');
  });

  it('counts bytes, not characters, against the size limit', () => {
    const text = `"${'é'.repeat(600)}"`; // 602 characters, 1,202 bytes
    expect(parseJson(text, { maxBytes: 1000 }).ok).toBe(false);
    expect(parseJson(text, { maxBytes: 1300 }).ok).toBe(true);
  });

  it('rejects 100,000 nested arrays without overflowing the stack', () => {
    const text = '['.repeat(100_000) + ']'.repeat(100_000);
    const result = failure(text);
    expect(result.code).toBe('json-too-deep');
    expect(result.position).toMatchObject({ line: 1, column: MAX_JSON_DEPTH + 1 });
  });

  it('ignores brackets inside strings when measuring depth', () => {
    expect(parseJson(`{"a": "${'['.repeat(1000)}"}`).ok).toBe(true);
  });

  it('reports depth errors in unterminated deep input too', () => {
    expect(failure('{"a":'.repeat(100_000)).code).toBe('json-too-deep');
  });
});

describe('positions', () => {
  const text =
    '{\n  "name": "x",\n  "remotes": [\n    {"type": "sse", "url": "http://a"},\n    {"type": "sse"}\n  ],\n  "_meta": {"a/b": {"k": 1}}\n}';

  it('converts offsets to 1-based line and column', () => {
    expect(positionAt('ab\ncd', 4)).toEqual({ offset: 4, line: 2, column: 2 });
    expect(positionAt('ab', 0)).toEqual({ offset: 0, line: 1, column: 1 });
  });

  it('locates values by JSON path', () => {
    expect(locateJsonPath(text, ['name'])).toMatchObject({ line: 2, column: 11 });
    expect(locateJsonPath(text, ['remotes', 0, 'url'])).toMatchObject({ line: 4, column: 28 });
    expect(locateJsonPath(text, ['_meta', 'a/b', 'k'])).toMatchObject({ line: 7, column: 26 });
    expect(locateJsonPath(text, [])).toMatchObject({ line: 1, column: 1 });
  });

  it('falls back to the deepest existing ancestor for a missing field', () => {
    expect(locateJsonPath(text, ['remotes', 1, 'url'])).toMatchObject({ line: 5, column: 5 });
  });

  it('locates many paths in one pass', () => {
    const found = locateJsonPaths(text, [['name'], ['remotes', 0, 'type'], ['nope']]);
    expect(found.map((position) => position && [position.line, position.column])).toEqual([
      [2, 11],
      [4, 14],
      [1, 1],
    ]);
  });

  it('round-trips paths made by jsonPath()', () => {
    for (const segments of [
      ['remotes', 0, 'url'],
      ['_meta', 'io.modelcontextprotocol.registry/publisher-provided'],
      ['a b', 3, 'c"d'],
    ]) {
      expect(parseJsonPath(jsonPath(segments))).toEqual(segments);
    }
    expect(parseJsonPath('$')).toEqual([]);
    expect(parseJsonPath('remotes')).toBeUndefined();
  });
});
