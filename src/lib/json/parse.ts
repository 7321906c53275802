/**
 * JSON parsing for untrusted manifests: size and depth limits, syntax errors with line/column,
 * and mapping a JSON path back to the place in the text it came from. Never throws.
 *
 * The happy path uses the engine's JSON.parse (fast); the iterative scanner below only runs to
 * explain a syntax error or to locate a path for a Problem, so its speed matters little.
 */

/** Far above any real server.json (the largest official record is about 20 KB). */
export const MAX_MANIFEST_BYTES = 1024 * 1024;
/** Real manifests nest about 7 levels deep; 64 leaves room and keeps recursion in later stages safe. */
export const MAX_JSON_DEPTH = 64;

export type JsonPathSegment = string | number;

export interface TextPosition {
  /** 0-based UTF-16 offset into the text. */
  offset: number;
  /** 1-based line. */
  line: number;
  /** 1-based column, in UTF-16 code units. */
  column: number;
}

export type JsonErrorCode = 'json-syntax' | 'json-too-large' | 'json-too-deep';

export type JsonParseResult =
  { ok: true; value: unknown } | { ok: false; code: JsonErrorCode; message: string; position: TextPosition };

export interface JsonLimits {
  maxBytes?: number;
  maxDepth?: number;
}

export function parseJson(text: string, limits: JsonLimits = {}): JsonParseResult {
  const maxBytes = limits.maxBytes ?? MAX_MANIFEST_BYTES;
  const maxDepth = limits.maxDepth ?? MAX_JSON_DEPTH;
  const bytes = utf8Length(text, maxBytes);
  if (bytes > maxBytes) {
    return {
      ok: false,
      code: 'json-too-large',
      message: `file is larger than ${maxBytes} bytes`,
      position: positionAt(text, 0),
    };
  }
  if (text.charCodeAt(0) === 0xfeff) {
    return {
      ok: false,
      code: 'json-syntax',
      message: 'file starts with a byte order mark (BOM), which JSON does not allow',
      position: positionAt(text, 0),
    };
  }
  const tooDeepAt = depthExceededAt(text, maxDepth);
  if (tooDeepAt !== -1) {
    return {
      ok: false,
      code: 'json-too-deep',
      message: `nesting deeper than ${maxDepth} levels`,
      position: positionAt(text, tooDeepAt),
    };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    const error = scanJson(text, maxDepth);
    // The scanner accepts exactly what JSON.parse accepts; the fallback is for engine quirks only.
    const found = error ?? { offset: 0, message: 'not valid JSON' };
    return { ok: false, code: 'json-syntax', message: found.message, position: positionAt(text, found.offset) };
  }
}

/** 1-based line and column of a 0-based offset. */
export function positionAt(text: string, offset: number): TextPosition {
  const end = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { offset: end, line, column: end - lineStart + 1 };
}

/**
 * Position of the value at `segments` (e.g. ['remotes', 0, 'url']). When the path does not exist
 * (a missing required field) the deepest existing ancestor is returned, so a Problem still points
 * somewhere useful. Undefined only when the text is not JSON at all.
 */
export function locateJsonPath(text: string, segments: readonly JsonPathSegment[]): TextPosition | undefined {
  return locateJsonPaths(text, [segments])[0];
}

/** `locateJsonPath` for many paths in one pass over the text. */
export function locateJsonPaths(
  text: string,
  paths: readonly (readonly JsonPathSegment[])[],
): (TextPosition | undefined)[] {
  const keyOf = (segments: readonly JsonPathSegment[]) => JSON.stringify(segments);
  const offsets = new Map<string, number>();
  for (const segments of paths) {
    for (let length = 0; length <= segments.length; length++) offsets.set(keyOf(segments.slice(0, length)), -1);
  }
  let remaining = offsets.size;
  scanJson(text, MAX_JSON_DEPTH, (path, offset) => {
    const key = keyOf(path);
    if (offsets.get(key) === -1) {
      offsets.set(key, offset);
      remaining--;
    }
    return remaining === 0;
  });
  return paths.map((segments) => {
    for (let length = segments.length; length >= 0; length--) {
      const offset = offsets.get(keyOf(segments.slice(0, length)))!;
      if (offset !== -1) return positionAt(text, offset);
    }
    return undefined;
  });
}

/** Splits a path made by `jsonPath()` (`$.remotes[0].url`, `$._meta["a/b"]`) into segments. */
export function parseJsonPath(path: string): JsonPathSegment[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const segments: JsonPathSegment[] = [];
  const token = /\.([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  token.lastIndex = 1;
  while (token.lastIndex < path.length) {
    const match = token.exec(path);
    if (!match) return undefined;
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(JSON.parse(match[3]!) as string);
  }
  return segments;
}

/** UTF-8 byte length, counting no further than needed to know it exceeds `limit`. */
function utf8Length(text: string, limit: number): number {
  if (text.length > limit) return text.length;
  if (text.length * 3 <= limit) return text.length; // cannot exceed the limit; exact value unneeded
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Offset of the bracket that first nests deeper than `maxDepth`, or -1. Strings are skipped. */
function depthExceededAt(text: string, maxDepth: number): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) {
      // skip a string, honouring backslash escapes
      for (i++; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x5c) i++;
        else if (c === 0x22) break;
      }
    } else if (code === 0x5b || code === 0x7b) {
      if (++depth > maxDepth) return i;
    } else if (code === 0x5d || code === 0x7d) depth--;
  }
  return -1;
}

interface ScanError {
  offset: number;
  message: string;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * A strict, iterative (no recursion) JSON grammar check. Calls `onValue` with the path and offset
 * of every value; returning true stops the scan. Returns the first syntax error, if any.
 */
function scanJson(
  text: string,
  maxDepth: number,
  onValue?: (path: readonly JsonPathSegment[], offset: number) => boolean,
): ScanError | undefined {
  const n = text.length;
  const path: JsonPathSegment[] = [];
  const containers: ('array' | 'object')[] = [];
  let i = 0;

  const skipWhitespace = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      i++;
    }
  };
  const describe = (at: number) => (at >= n ? 'end of file' : `character ${JSON.stringify(text[at])}`);
  /** Reads a string starting at `i` (a quote); returns its decoded value or an error. */
  const readString = (): string | ScanError => {
    const start = i;
    let escaped = false;
    for (i++; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        const raw = text.slice(start, i);
        return escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
      }
      if (c < 0x20) return { offset: i, message: 'control character inside a string; escape it (e.g. \\n)' };
      if (c === 0x5c) {
        escaped = true;
        const next = text[i + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return { offset: i, message: 'invalid \\u escape' };
          i += 5;
        } else if (next !== undefined && '"\\/bfnrt'.includes(next)) i++;
        else return { offset: i, message: `invalid escape \\${next ?? ''} in a string` };
      }
    }
    return { offset: start, message: 'unterminated string' };
  };
  /** Reads `"key"` and `:` of an object member; `i` is at the key. */
  const readKey = (): string | ScanError => {
    if (text[i] !== '"') {
      if (text[i] === '}') return { offset: i, message: 'trailing comma before "}" is not allowed in JSON' };
      return { offset: i, message: `expected a property name in double quotes, found ${describe(i)}` };
    }
    const key = readString();
    if (typeof key !== 'string') return key;
    skipWhitespace();
    if (text[i] !== ':') return { offset: i, message: `expected ":" after property name, found ${describe(i)}` };
    i++;
    return key;
  };

  skipWhitespace();
  // Each turn of this loop reads one value at `i`, then climbs out of finished containers.
  for (;;) {
    skipWhitespace();
    if (onValue?.(path, i)) return undefined;
    const c = text[i];
    if (c === '{' || c === '[') {
      if (containers.length >= maxDepth) return { offset: i, message: `nesting deeper than ${maxDepth} levels` };
      i++;
      skipWhitespace();
      if (text[i] === (c === '{' ? '}' : ']')) {
        i++;
      } else if (c === '[') {
        containers.push('array');
        path.push(0);
        continue;
      } else {
        const key = readKey();
        if (typeof key !== 'string') return key;
        containers.push('object');
        path.push(key);
        continue;
      }
    } else if (c === '"') {
      const value = readString();
      if (typeof value !== 'string') return value;
    } else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      if (!NUMBER.test(text)) return { offset: i, message: 'invalid number' };
      i = NUMBER.lastIndex;
    } else if (text.startsWith('true', i)) i += 4;
    else if (text.startsWith('false', i)) i += 5;
    else if (text.startsWith('null', i)) i += 4;
    else if (c === ']' && containers.at(-1) === 'array')
      return { offset: i, message: 'trailing comma before "]" is not allowed in JSON' };
    else return { offset: i, message: `expected a value, found ${describe(i)}` };

    // After a complete value: a separator, a closing bracket, or the end of the document.
    for (;;) {
      skipWhitespace();
      const container = containers.at(-1);
      if (container === undefined) {
        return i < n ? { offset: i, message: `unexpected ${describe(i)} after the JSON value` } : undefined;
      }
      const close = container === 'array' ? ']' : '}';
      if (text[i] === close) {
        i++;
        containers.pop();
        path.pop();
        continue;
      }
      if (text[i] !== ',') return { offset: i, message: `expected "," or "${close}", found ${describe(i)}` };
      i++;
      skipWhitespace();
      if (container === 'array') {
        path[path.length - 1] = (path.at(-1) as number) + 1;
      } else {
        const key = readKey();
        if (typeof key !== 'string') return key;
        path[path.length - 1] = key;
      }
      break;
    }
  }
}
