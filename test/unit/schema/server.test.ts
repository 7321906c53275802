import { describe, expect, it } from 'vitest';
import { ServerJsonSchema } from '../../../src/lib/schema/server.ts';

const minimal = {
  $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
  name: 'io.github.example/weather',
  description: 'Weather forecasts',
  version: '1.0.0',
};

describe('ServerJsonSchema', () => {
  it('accepts a minimal manifest', () => {
    expect(ServerJsonSchema.safeParse(minimal).success).toBe(true);
  });

  it('rejects a positional argument with neither value nor valueHint', () => {
    const result = ServerJsonSchema.safeParse({
      ...minimal,
      packages: [
        {
          registryType: 'npm',
          identifier: 'weather-mcp',
          transport: { type: 'stdio' },
          packageArguments: [{ type: 'positional' }],
        },
      ],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['packages', 0, 'packageArguments', 0]);
  });

  it('rejects a remote of an unknown transport', () => {
    const result = ServerJsonSchema.safeParse({
      ...minimal,
      remotes: [{ type: 'websocket', url: 'https://x.example/mcp' }],
    });
    expect(result.success).toBe(false);
  });
});
