import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATEGORY_RULES, suggestCuration, TAG_RULES } from '../../../src/lib/import/curate.ts';
import { VocabularySchema } from '../../../src/lib/registry/facts.ts';
import type { ServerJson } from '../../../src/lib/schema/server.ts';

const vocabulary = VocabularySchema.parse(JSON.parse(readFileSync('registry-data/vocabulary.json', 'utf8')));
const manifest = (name: string, description: string, extra: Partial<ServerJson> = {}): ServerJson => ({
  name,
  description,
  version: '1.0.0',
  ...extra,
});

describe('suggestCuration', () => {
  it('only uses ids that registry-data/vocabulary.json defines, and covers all of them', () => {
    expect(CATEGORY_RULES.map((rule) => rule.id).sort()).toEqual(vocabulary.categories.map((term) => term.id).sort());
    expect(TAG_RULES.map((rule) => rule.id).sort()).toEqual(vocabulary.tags.map((term) => term.id).sort());
  });

  it('reads the name, the prose and package identifiers, with categories in vocabulary order', () => {
    const curation = suggestCuration(
      manifest('io.github.someone/postgres-mcp', 'Run SQL queries and inspect schemas', {
        packages: [
          { registryType: 'oci', identifier: 'docker.io/someone/postgres-mcp:1.0', transport: { type: 'stdio' } },
        ],
      }),
      vocabulary,
    );
    expect(curation).toEqual({ categories: ['databases'], tags: ['docker', 'postgres'] });
    expect(
      suggestCuration(manifest('com.example/forecast', 'Weather forecasts and maps for travel planning'), vocabulary),
    ).toEqual({
      categories: ['location'],
      tags: ['weather'],
    });
  });

  it('ignores words inside other words and the github.com of a repository URL', () => {
    const curation = suggestCuration(
      manifest('io.github.someone/calc', 'A calculator; nothing about mapping or gitops', {
        repository: { url: 'https://github.com/someone/calc', source: 'github' },
      }),
      vocabulary,
    );
    expect(curation).toEqual({ categories: [], tags: [] });
  });

  it('keeps at most three categories and drops ids missing from the given vocabulary', () => {
    const busy = manifest(
      'io.github.x/all',
      'Search the web, query databases, send email, trade stocks, monitor logs, browse with playwright',
    );
    expect(suggestCuration(busy, vocabulary).categories.length).toBe(3);
    expect(suggestCuration(busy, { categories: [{ id: 'finance', label: 'Finance' }], tags: [] })).toEqual({
      categories: ['finance'],
      tags: [],
    });
  });
});
