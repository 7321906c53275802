import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { schemaDocument } from '../../../src/lib/api/ours.ts';
import type { Policy } from '../../../src/lib/registry/policy.ts';
import { DEFAULT_POLICY, PolicySchema, policyRefusal, policySubject } from '../../../src/lib/registry/policy.ts';

const npm = { registryType: 'npm', identifier: 'x', transport: { type: 'stdio' } };
const oci = { registryType: 'OCI', identifier: 'docker.io/x/y:1', transport: { type: 'stdio' } };
const remote = { type: 'streamable-http', url: 'https://x.example.com/mcp' };
const judge = (policy: Partial<Policy>, server: Record<string, unknown>) =>
  policyRefusal(PolicySchema.parse(policy), policySubject(server));

describe('policy.json', () => {
  it('takes everything by default, publishing by pull request', () => {
    expect(DEFAULT_POLICY).toEqual({ distribution: 'any', publish: 'pull-request' });
    expect(judge({}, { name: 'io.github.a/b', packages: [npm] })).toBeUndefined();
  });

  it('matches namespaces and their sub-namespaces, without regard to case', () => {
    const policy = { namespaces: ['com.example', 'io.github.Acme'] };
    expect(judge(policy, { name: 'com.example/x' })).toBeUndefined();
    expect(judge(policy, { name: 'com.example.team/x' })).toBeUndefined();
    expect(judge(policy, { name: 'io.github.acme/x' })).toBeUndefined();
    expect(judge(policy, { name: 'com.examples/x' })).toBe('its namespace is not taken');
    expect(judge(policy, { name: 'io.github.acme2/x' })).toBe('its namespace is not taken');
  });

  it('matches name patterns with * and nothing else special', () => {
    const policy = { names: ['*/postgres*', 'io.github.a/exact'] };
    expect(judge(policy, { name: 'com.x/postgres-mcp' })).toBeUndefined();
    expect(judge(policy, { name: 'io.github.a/exact' })).toBeUndefined();
    expect(judge(policy, { name: 'io.github.a/exactly' })).toBe('its name is not taken');
    // A dot in a pattern is a dot, not any character.
    expect(judge({ names: ['io.github.a/b.c'] }, { name: 'io.github.a/bxc' })).toBe('its name is not taken');
  });

  it('lets deny win over allow, and allow over the filters', () => {
    const policy = { namespaces: [], allow: ['io.github.a/bb', 'io.github.a/evil'], deny: ['io.github.a/ev*'] };
    expect(judge(policy, { name: 'io.github.a/bb' })).toBeUndefined();
    expect(judge(policy, { name: 'IO.GITHUB.A/EVIL' })).toBe('it is denied');
    expect(judge(policy, { name: 'io.github.a/c' })).toBe('its namespace is not taken');
  });

  it('takes a version only when every package has an allowed type; remote-only versions pass', () => {
    const policy = { packageTypes: ['npm', 'oci'] };
    expect(judge(policy, { name: 'a.b/c', packages: [npm, oci] })).toBeUndefined();
    expect(judge(policy, { name: 'a.b/c', packages: [npm, { registryType: 'mcpb' }] })).toBe(
      'it has a package type that is not taken',
    );
    expect(judge(policy, { name: 'a.b/c', remotes: [remote] })).toBeUndefined();
  });

  it('remote-only and local-only', () => {
    expect(judge({ distribution: 'remote-only' }, { name: 'a.b/c', remotes: [remote] })).toBeUndefined();
    expect(judge({ distribution: 'remote-only' }, { name: 'a.b/c', remotes: [remote], packages: [npm] })).toBe(
      'it is not remote-only',
    );
    expect(judge({ distribution: 'local-only' }, { name: 'a.b/c', packages: [npm] })).toBeUndefined();
    expect(judge({ distribution: 'local-only' }, { name: 'a.b/c' })).toBe('it is not local-only');
  });

  it('reads hostile upstream records defensively', () => {
    expect(judge({ namespaces: ['a.b'] }, { name: 42 })).toBe('it has no name');
    expect(judge({ packageTypes: ['npm'] }, { name: 'a.b/c', packages: [null, 'x', { registryType: 7 }] })).toBe(
      'it has a package type that is not taken',
    );
    expect(judge({ names: ['__proto__/*'] }, { name: '__proto__/x' })).toBeUndefined();
  });

  it('rejects unknown fields and bad patterns with a JSON path', () => {
    const result = PolicySchema.safeParse({ namespace: ['x'], names: ['no-slash'] });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['', 'names.0']);
  });
});

describe('the published JSON Schema of policy.json', () => {
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(
    schemaDocument('policy.json', 'https://mcp.example'),
  );
  it('accepts the example in docs/sync.md and the empty policy, and refuses unknown fields', () => {
    const doc = readFileSync('docs/sync.md', 'utf8');
    const example = JSON.parse(/## policy\.json[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)![1]!);
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    expect(PolicySchema.safeParse(example).success).toBe(true);
    expect(validate({})).toBe(true);
    expect(validate({ namespace: ['x'] })).toBe(false);
    expect(validate({ publish: 'sometimes' })).toBe(false);
  });
});
