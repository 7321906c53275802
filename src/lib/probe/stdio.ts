/**
 * `npm run probe -- --stdio`: runs a server's npm package in a bubblewrap sandbox and lists its tools
 * over stdio. The sandbox (docs/probe.md, "The stdio sandbox"):
 *  - install: `npm install --ignore-scripts` into a fresh folder, itself inside bubblewrap with the
 *    network (the package registry) but no home, no runner files and no environment; no package code
 *    runs at this stage;
 *  - run: the package's own entry point with the project's Node, in new user, PID, IPC, UTS, cgroup
 *    and network namespaces (no network at all, not even loopback to the host), as an unprivileged
 *    user with every capability dropped, no environment but PATH and HOME, a read-only empty home,
 *    a small private /tmp, read-only /usr and the package, nothing else of the host's files;
 *  - limits: the server's time budget (then the process group is killed), 1 GiB of data segment,
 *    CPU seconds, 16 MiB per written file, 256 open files.
 * Never falls back to running without the sandbox: if bubblewrap cannot start, --stdio refuses.
 */
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Package } from '../schema/server.ts';
import type { Template } from '../install/launch.ts';
import { packageSpec } from '../install/launch.ts';
import type { ProbeLimits } from './limits.ts';
import { newSession } from './net.ts';
import type { Observed, RemoteObservation } from './remote.ts';
import { listConnected, ObservedTransport, PROBE_CLIENT } from './remote.ts';

export interface SandboxOptions {
  /** The bubblewrap binary. */
  bwrap: string;
  /** The Node binary that runs the package (the project's own). */
  node: string;
  /** The npm CLI script (npm-cli.js) that installs it. */
  npmCli: string;
  /** The npm registry to install from. */
  registry: string;
}

const SANDBOX_HOME = '/home/sandbox';
const PACKAGE_DIR = '/sandbox/pkg';
const NODE_PATH = '/sandbox/bin/node';
const NPM_PATH = '/sandbox/npm/bin/npm-cli.js';
const MEMORY_BYTES = 1024 * 1024 * 1024;
const FILE_BYTES = 16 * 1024 * 1024;
const TMP_BYTES = 64 * 1024 * 1024;

/** `npm:@scope/name@1.2.3`: how probe.json names a probed package. */
export const packageLabel = (pkg: Package) =>
  `${pkg.registryType}:${pkg.identifier}${pkg.version ? `@${pkg.version}` : ''}`;

/** Why this package cannot be probed in the sandbox, or its argv after the entry point. */
export function stdioPlan(
  pkg: Package,
): { args: string[]; env: [string, string][] } | { reason: string; outcome: 'needs-config' | 'error' } {
  if (pkg.registryType !== 'npm')
    return { outcome: 'error', reason: `the stdio sandbox runs npm packages only; ${pkg.registryType} is not probed` };
  if (pkg.transport.type !== 'stdio')
    return { outcome: 'error', reason: `the package serves ${pkg.transport.type}, not stdio` };
  if (!pkg.version) return { outcome: 'needs-config', reason: 'the package has no version to install' };
  const spec = packageSpec(pkg);
  if (spec.kind !== 'stdio') return { outcome: 'error', reason: 'no stdio launch command for this package' };
  const literal = (template: Template) =>
    template.every((part) => typeof part === 'string') ? (template as string[]).join('') : undefined;
  const reference = spec.args.findIndex((arg) => literal(arg) === `${pkg.identifier}@${pkg.version}`);
  const args = spec.args.slice(reference + 1).map(literal);
  const env = spec.env.map((setting) => [setting.name, literal(setting.value)] as const);
  const missing = [
    ...spec.args
      .slice(reference + 1)
      .filter((_, i) => args[i] === undefined)
      .map(() => 'an argument'),
    ...env.filter(([, value]) => value === undefined).map(([name]) => name),
  ];
  if (missing.length)
    return { outcome: 'needs-config', reason: `needs ${missing.join(', ')}, which only a user can fill` };
  return { args: args as string[], env: env as [string, string][] };
}

/** The root-level paths of the host a sandbox sees, read-only: the system, never home or work folders. */
function systemBinds(): string[] {
  const out: string[] = [];
  for (const dir of ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']) {
    if (!existsSync(dir)) continue;
    if (lstatSync(dir).isSymbolicLink()) out.push('--symlink', readlinkSync(dir), dir);
    else out.push('--ro-bind', dir, dir);
  }
  // Name resolution and TLS roots for the installer; no secrets live in these.
  for (const file of ['/etc/resolv.conf', '/etc/hosts', '/etc/nsswitch.conf', '/etc/ssl', '/etc/ca-certificates'])
    if (existsSync(file)) out.push('--ro-bind', realpathSync(file), file);
  return out;
}

/** bubblewrap arguments for one sandboxed command. */
export function bwrapArgs(options: SandboxOptions, installDir: string, network: boolean, command: string[]): string[] {
  return [
    '--unshare-all',
    '--unshare-user',
    ...(network ? ['--share-net'] : []),
    '--disable-userns',
    '--die-with-parent',
    '--new-session',
    '--cap-drop',
    'ALL',
    '--uid',
    '65534',
    '--gid',
    '65534',
    '--clearenv',
    '--setenv',
    'PATH',
    '/sandbox/bin:/usr/bin:/bin',
    '--setenv',
    'HOME',
    SANDBOX_HOME,
    ...systemBinds(),
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--size',
    String(TMP_BYTES),
    '--tmpfs',
    '/tmp',
    '--tmpfs',
    SANDBOX_HOME,
    '--remount-ro',
    SANDBOX_HOME,
    '--ro-bind',
    options.node,
    NODE_PATH,
    ...(network
      ? [
          '--ro-bind',
          path.dirname(path.dirname(options.npmCli)),
          path.dirname(path.dirname(NPM_PATH)),
          '--bind',
          installDir,
          PACKAGE_DIR,
        ]
      : ['--ro-bind', installDir, PACKAGE_DIR]),
    '--chdir',
    PACKAGE_DIR,
    '--',
    ...command,
  ];
}

/** Resource limits for the sandboxed process tree, through util-linux prlimit. */
function prlimitArgs(cpuSeconds: number): string[] {
  return [
    `--data=${MEMORY_BYTES}`,
    `--cpu=${Math.max(1, cpuSeconds)}`,
    `--fsize=${FILE_BYTES}`,
    '--nofile=256',
    '--core=0',
  ];
}

/** Checks that bubblewrap can build the sandbox here; a message saying why not, or undefined. */
export async function sandboxProblem(options: SandboxOptions): Promise<string | undefined> {
  const dir = mkdtempSync(path.join(tmpdir(), 'probe-sandbox-check-'));
  try {
    const result = await run(
      'prlimit',
      [...prlimitArgs(10), '--', options.bwrap, ...bwrapArgs(options, dir, false, [NODE_PATH, '-e', '0'])],
      20_000,
    );
    if (result.code === 0) return undefined;
    return `bubblewrap could not build the sandbox (${result.stderr.trim().split('\n')[0] || `exit ${result.code}`}). Install bubblewrap (apt-get install bubblewrap); on Ubuntu 24.04 also allow it user namespaces (docs/probe.md, "The stdio sandbox").`;
  } catch (error) {
    return `bubblewrap could not be started: ${(error as Error).message}. Install bubblewrap (apt-get install bubblewrap).`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Probes one npm package over stdio in the sandbox. Never throws. */
export async function probeStdio(
  pkg: Package,
  options: SandboxOptions,
  limits: ProbeLimits,
  signal: AbortSignal,
): Promise<RemoteObservation> {
  const base: Observed = { type: 'stdio', package: packageLabel(pkg).slice(0, 500), outcome: 'error' };
  const plan = stdioPlan(pkg);
  if ('reason' in plan) return { remote: { ...base, outcome: plan.outcome, reason: plan.reason } };
  const installDir = mkdtempSync(path.join(tmpdir(), 'probe-stdio-'));
  const started = Date.now();
  const left = () => limits.serverBudgetMs - (Date.now() - started);
  try {
    const install = await run(
      'prlimit',
      [
        ...prlimitArgs(Math.ceil(limits.serverBudgetMs / 1000)),
        '--',
        options.bwrap,
        ...bwrapArgs(options, installDir, true, [
          NODE_PATH,
          NPM_PATH,
          'install',
          '--ignore-scripts',
          '--no-audit',
          '--no-fund',
          '--no-package-lock',
          '--omit=dev',
          '--cache=/tmp/npm-cache',
          `--registry=${options.registry}`,
          '--prefix',
          PACKAGE_DIR,
          `${pkg.identifier}@${pkg.version}`,
        ]),
      ],
      left(),
      signal,
    );
    if (install.code !== 0)
      return {
        remote: {
          ...base,
          outcome: install.timedOut ? 'timeout' : 'error',
          reason: install.timedOut
            ? 'installing the package took longer than the budget'
            : `npm could not install the package: ${firstLine(install.stderr)}`,
        },
      };
    const entry = entryPoint(installDir, pkg.identifier);
    if (!entry)
      return { remote: { ...base, outcome: 'error', reason: 'the package declares no command (package.json "bin")' } };

    const command = [
      NODE_PATH,
      `--max-old-space-size=${MEMORY_BYTES / 1024 / 1024 / 2}`,
      path.posix.join(PACKAGE_DIR, entry),
      ...plan.args,
    ];
    const envArgs = plan.env.flatMap(([name, value]) => ['--setenv', name, value]);
    const args = [
      ...prlimitArgs(Math.ceil(left() / 1000)),
      '--',
      options.bwrap,
      ...envArgs,
      ...bwrapArgs(options, installDir, false, command),
    ];
    const inner = new StdioClientTransport({
      command: 'prlimit',
      args,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      stderr: 'ignore',
    });
    const transport = new ObservedTransport(inner);
    const client = new Client(PROBE_CLIENT, { capabilities: {} });
    client.onerror = () => {};
    const budget = AbortSignal.any([signal, AbortSignal.timeout(Math.max(1, left()))]);
    const session = newSession(budget);
    try {
      try {
        await client.connect(transport, { signal: budget, timeout: limits.requestTimeoutMs });
      } catch (error) {
        const timedOut = budget.aborted || /timed out|timeout/i.test((error as Error).message);
        return {
          remote: {
            ...base,
            outcome: timedOut ? 'timeout' : 'error',
            reason: timedOut
              ? 'no answer within the request timeout'
              : 'the server exited or did not answer the handshake',
          },
        };
      }
      return await listConnected(client, transport, base, limits, budget, session);
    } finally {
      await client.close().catch(() => {});
      const pid = inner.pid;
      if (pid) killGroup(pid);
    }
  } finally {
    rmSync(installDir, { recursive: true, force: true });
  }
}

/** The script `bin` names for the package (its own name's entry, or the only one). */
function entryPoint(installDir: string, identifier: string): string | undefined {
  try {
    const dir = path.join(installDir, 'node_modules', ...identifier.split('/'));
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { bin?: unknown };
    const bin = manifest.bin;
    const unscoped = identifier.split('/').pop()!;
    const file =
      typeof bin === 'string'
        ? bin
        : bin && typeof bin === 'object'
          ? ((bin as Record<string, unknown>)[unscoped] ??
            (Object.values(bin).length === 1 ? Object.values(bin)[0] : undefined))
          : undefined;
    if (typeof file !== 'string') return undefined;
    const relative = path.posix.normalize(path.posix.join('node_modules', identifier, file));
    return relative.startsWith('node_modules/') && !relative.includes('..') ? relative : undefined;
  } catch {
    return undefined;
  }
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

const firstLine = (text: string) =>
  text
    .trim()
    .split('\n')
    .find((line) => /err/i.test(line))
    ?.slice(0, 200) ?? text.trim().slice(0, 200);

interface RunResult {
  code: number | null;
  stderr: string;
  timedOut: boolean;
}

/** Runs a command with a deadline, killing its whole process group when it passes. */
function run(command: string, args: string[], timeoutMs: number, signal?: AbortSignal): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
    let stderr = '';
    let timedOut = false;
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 64 * 1024) stderr += chunk.toString('utf8');
    });
    const stop = () => {
      timedOut = true;
      if (child.pid) killGroup(child.pid);
    };
    const timer = setTimeout(stop, Math.max(1, timeoutMs));
    signal?.addEventListener('abort', stop, { once: true });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', stop);
      resolve({ code, stderr, timedOut });
    });
  });
}
