/**
 * Decoders that read generated configs and links back the way each client does (modelled on their
 * source: VS Code's URI.parse + decodeURIComponent, Cursor's base64 query parameter, Goose's
 * URLSearchParams with a second decode of header values), plus a real bash for shell commands.
 */
import { execFileSync } from 'node:child_process';

/** VS Code's URI.parse percent-decodes runs of `%XX`, leaving malformed sequences as they are. */
function vscodeUriPercentDecode(text: string): string {
  const graceful = (run: string): string => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run.length > 3 ? run.slice(0, 3) + graceful(run.slice(3)) : run;
    }
  };
  return text.replace(/(%[0-9A-Za-z][0-9A-Za-z])+/g, graceful);
}

/** What VS Code's mcp/install URL handler receives: JSON.parse(decodeURIComponent(uri.query)). */
export function decodeVscodeLink(href: string, scheme = 'vscode'): unknown {
  const prefix = `${scheme}:mcp/install?`;
  if (!href.startsWith(prefix)) throw new Error(`not a ${scheme} install link: ${href}`);
  const query = vscodeUriPercentDecode(href.slice(prefix.length));
  return JSON.parse(decodeURIComponent(query));
}

export function decodeVscodeWebLink(href: string): {
  name: string;
  config: unknown;
  inputs: unknown;
  quality: string | null;
} {
  const params = new URL(href).searchParams;
  const inputs = params.get('inputs');
  return {
    name: params.get('name')!,
    config: JSON.parse(params.get('config')!),
    inputs: inputs === null ? undefined : JSON.parse(inputs),
    quality: params.get('quality'),
  };
}

export function decodeCursorLink(href: string): { name: string; config: unknown } {
  const params = new URL(href).searchParams;
  const bytes = Uint8Array.from(atob(params.get('config')!), (c) => c.charCodeAt(0));
  return { name: params.get('name')!, config: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) };
}

export function decodeGooseLink(href: string) {
  const url = new URL(href);
  const params = url.searchParams;
  return {
    protocol: url.protocol,
    cmd: params.get('cmd'),
    args: params.getAll('arg'),
    url: params.get('url'),
    type: params.get('type'),
    id: params.get('id'),
    name: params.get('name'),
    description: params.get('description'),
    envKeys: params.getAll('env').map((env) => env.split('=')[0]),
    headers: Object.fromEntries(
      params.getAll('header').map((header) => {
        const [key, ...rest] = header.split('=');
        return [key, decodeURIComponent(rest.join('='))];
      }),
    ),
  };
}

/** Splits a command line with bash itself: every word the shell would pass, NUL-separated. */
export function bashArgv(commandLine: string): string[] {
  const program = commandLine.split(' ', 1)[0]!;
  const out = execFileSync('bash', ['-c', `${program}() { printf '%s\\0' "$FUNCNAME" "$@"; }\n${commandLine}`], {
    encoding: 'utf8',
  });
  return out.split('\0').slice(0, -1);
}

/** Many command lines in one bash run (for whole-corpus tests), each split exactly as above. */
export function bashArgvMany(commandLines: readonly string[]): string[][] {
  if (commandLines.length === 0) return [];
  const programs = [...new Set(commandLines.map((line) => line.split(' ', 1)[0]!))];
  const functions = programs.map((p) => `${p}() { printf '%s\\0' "$FUNCNAME" "$@"; printf '\\1'; }`).join('\n');
  // The script goes through stdin: a whole corpus of commands exceeds the argument size limit.
  const out = execFileSync('bash', ['-s'], {
    input: `${functions}\n${commandLines.join('\n')}\n`,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  return out
    .split('\u0001')
    .slice(0, -1)
    .map((chunk) => chunk.split('\0').slice(0, -1));
}
