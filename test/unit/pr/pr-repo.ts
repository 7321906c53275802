/**
 * Real git repositories in temp folders for PR-check tests: a `main` branch with a small registry,
 * then PR branches a test builds on top. No fake git: every operation is the git binary.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
export const NODE = path.join(ROOT, 'node_modules/.bin/node');
const SCHEMA = 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';
export const T0 = '2025-10-01T12:00:00Z';

export function manifest(name: string, version: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { $schema: SCHEMA, name, description: `The ${name.split('/')[1]} server`, version, ...extra };
}

export function facts(versions: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    versions: Object.fromEntries(versions.map((v) => [v, { status: 'active', publishedAt: T0, updatedAt: T0 }])),
    curation: { categories: [], tags: [] },
    ...extra,
  };
}

export class PrRepo {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'pr-check-'));

  constructor() {
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'user.email', 'test@example.com');
    this.git('config', 'user.name', 'Test');
    this.git('config', 'commit.gpgsign', 'false');
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, encoding: 'utf8' });
  }

  write(file: string, content: unknown): void {
    const absolute = path.join(this.dir, file);
    mkdirSync(path.dirname(absolute), { recursive: true });
    writeFileSync(absolute, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
  }

  addServer(name: string, version: string, extra: Record<string, unknown> = {}): string {
    const file = `registry-data/servers/${name}/versions/${version}.json`;
    this.write(file, manifest(name, version, extra));
    this.write(`registry-data/servers/${name}/registry.json`, facts([version]));
    return file;
  }

  commitAll(message: string): void {
    this.git('add', '-A');
    this.git('commit', '-q', '-m', message);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs one of our CLIs as a subprocess, as CI does. */
export function runScript(script: string, args: string[], env: Record<string, string>, cwd = ROOT): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(NODE, [path.join(ROOT, 'scripts', script), ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}
