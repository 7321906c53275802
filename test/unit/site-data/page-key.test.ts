import { describe, expect, test } from 'vitest';
import { propsCacheKey } from '../../../src/lib/site-data/page-key.ts';

describe('propsCacheKey', () => {
  const props = {
    record: { name: 'io.github.acme/weather', versions: [{ version: '1.0.0' }] },
    linkable: ['io.github.acme/py-tools'],
    namespaceUrl: undefined,
  };

  test('is the same for the same props, and a URL-safe digest', () => {
    expect(propsCacheKey(structuredClone(props))).toBe(propsCacheKey(props));
    expect(propsCacheKey(props)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  test('changes with any prop, however deep', () => {
    const keys = new Set([
      propsCacheKey(props),
      propsCacheKey({ ...props, record: { ...props.record, versions: [{ version: '1.0.1' }] } }),
      propsCacheKey({ ...props, linkable: [] }),
      propsCacheKey({ ...props, namespaceUrl: '/namespaces/io.github.acme/' }),
    ]);
    expect(keys.size).toBe(4);
  });
});
