/**
 * Package ownership against the REAL npm registry: @upstash/context7-mcp 1.0.31 (listed in the
 * official registry as io.github.upstash/context7) publishes "mcpName": "io.github.upstash/context7".
 * Skips, saying why, when registry.npmjs.org cannot be reached from this machine.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_REGISTRIES, npmPackageUrl, verifyPackage } from '../../src/lib/verify/packages.ts';
import type { Package } from '../../src/lib/schema/server.ts';

const pkg: Package = {
  registryType: 'npm',
  identifier: '@upstash/context7-mcp',
  version: '1.0.31',
  transport: { type: 'stdio' },
};

async function reachable(): Promise<string | undefined> {
  try {
    const response = await fetch(npmPackageUrl(DEFAULT_REGISTRIES.npm, pkg.identifier, pkg.version), {
      signal: AbortSignal.timeout(10_000),
    });
    return response.ok ? undefined : `registry.npmjs.org answered HTTP ${response.status}`;
  } catch (error) {
    return `registry.npmjs.org is unreachable (${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message})`;
  }
}

const unreachable = await reachable();
if (unreachable) console.warn(`SKIPPED npm-ownership integration test: ${unreachable}`);

describe.skipIf(unreachable !== undefined)('npm package ownership on the real registry', () => {
  it('accepts the server name the package declares in mcpName', async () => {
    expect(
      await verifyPackage('io.github.upstash/context7', pkg, DEFAULT_REGISTRIES, 'f.json', '$.packages[0]'),
    ).toEqual([]);
  });

  it('refuses another server name claiming that package', async () => {
    const problems = await verifyPackage(
      'io.github.mallory/context7',
      pkg,
      DEFAULT_REGISTRIES,
      'f.json',
      '$.packages[0]',
    );
    expect(problems.map((p) => [p.code, p.message])).toEqual([
      [
        'package-ownership',
        'npm package @upstash/context7-mcp@1.0.31 has "mcpName": "io.github.upstash/context7", not "io.github.mallory/context7"',
      ],
    ]);
  });

  it('reports a version that does not exist', async () => {
    const problems = await verifyPackage(
      'io.github.upstash/context7',
      { ...pkg, version: '0.0.0-never-published' },
      DEFAULT_REGISTRIES,
      'f.json',
      '$.packages[0]',
    );
    expect(problems.map((p) => p.code)).toEqual(['package-not-found']);
  });
});
