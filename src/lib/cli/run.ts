/**
 * The shared frame of every CLI: argument parsing with clear usage errors, and a top level that turns
 * anything unexpected into one line on stderr and exit code 2 — never a stack trace.
 * Exit codes: 0 success, 1 invalid data (problems found), 2 usage or I/O error.
 */
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { OUTPUT_FORMATS } from './format.ts';
import type { OutputFormat } from './format.ts';

export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

/** A mistake in how the command was called: printed with the usage text, exit code 2. */
export class UsageError extends Error {}

export type OptionsSpec = NonNullable<ParseArgsConfig['options']>;

export function parseCliArgs<T extends OptionsSpec>(argv: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function parseFormat(value: string | undefined): OutputFormat {
  if (value === undefined) return 'text';
  if ((OUTPUT_FORMATS as readonly string[]).includes(value)) return value as OutputFormat;
  throw new UsageError(`unknown --format ${JSON.stringify(value)}; use one of: ${OUTPUT_FORMATS.join(', ')}`);
}

/**
 * Runs a CLI's main function and exits with its code. `--help` or `-h` prints the usage and exits 0
 * without running it. Usage errors print the message and usage; any other failure prints one line
 * (no stack trace) and exits 2.
 */
export async function runCli(usage: string, main: () => Promise<number>): Promise<never> {
  let code: number;
  try {
    if (wantsHelp(process.argv.slice(2))) {
      process.stdout.write(`${usage}\n`);
      code = EXIT_OK;
    } else code = await main();
  } catch (error) {
    if (error instanceof UsageError) process.stderr.write(`error: ${error.message}\n\n${usage}\n`);
    else process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    code = EXIT_USAGE;
  }
  // Let stdout drain before exiting, so large outputs piped to another process are not cut off.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.exit(code);
}

/** `--help` or `-h` anywhere before a `--` that ends the options. */
function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}
