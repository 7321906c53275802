/**
 * The ranking signals beyond word scores (engine.ts, owner.ts), each on a small registry built to show
 * it: the namespace's owner named by the query, collapsing one publisher's servers, a whole package
 * identifier, and the prior from repository facts. Measured at scale in bench/search/relevance.
 */
import { describe, expect, test } from 'vitest';
import { buildSearchIndex, namespaceOwner, type RepositoryFactsLookup } from '../../../src/lib/search/build.ts';
import { ALL_SIGNALS, documentPrior, SearchEngine } from '../../../src/lib/search/engine.ts';
import { decodeSearchIndex, type SearchDoc } from '../../../src/lib/search/index-file.ts';
import { defaultOwner, ownerAffixKeys } from '../../../src/lib/search/owner.ts';
import { EMPTY_STATE, type SearchState } from '../../../src/lib/search/types.ts';
import { registryOf, type RecordSpec } from './records.ts';

function engineOf(specs: RecordSpec[], facts?: RepositoryFactsLookup, signals = ALL_SIGNALS): SearchEngine {
  return new SearchEngine(decodeSearchIndex(buildSearchIndex(registryOf(specs), facts)), signals);
}

const names = (engine: SearchEngine, q: string, state: Partial<SearchState> = {}): string[] =>
  engine.search({ ...EMPTY_STATE, ...state, q }, 10).items.map((doc) => doc.name);

/** A brand's own server among wrappers that carry the brand in their names. */
const BRANDS: RecordSpec[] = [
  { name: 'com.stripe/mcp', description: 'Payments, customers and invoices.' },
  { name: 'io.github.someone/stripe', description: 'Stripe payments for agents.' },
  { name: 'ai.aggregator/aggregator-stripe', description: 'Stripe API wrapper.' },
  { name: 'io.github.getsentry/sentry-mcp', description: 'Error monitoring.' },
  { name: 'io.github.perceptdot/sentry', description: 'Sentry issues for agents.' },
  { name: 'io.github.Snowflake-Labs/mcp', description: 'Cortex and SQL for your warehouse.' },
  { name: 'io.github.nsphung/mcp-snowflake-server', description: 'Snowflake queries.' },
  { name: 'com.vercel/vercel-mcp', description: 'Deployments and logs.' },
  { name: 'app.vercel.agent-svg-registry/mcp', description: 'SVG exports, hosted on vercel.' },
  { name: 'io.github.helper/vercel-deploy', description: 'Deploy to Vercel.' },
  { name: 'io.github.brave/brave-search-mcp-server', description: 'Web results, images and news.' },
  { name: 'io.github.wrapper/brave-search', description: 'Brave search wrapper.' },
  { name: 'co.huggingface/hf-mcp-server', description: 'Hub models and spaces.' },
  { name: 'io.github.someone/face-tools', description: 'Hugging faces in photos.' },
  { name: 'io.github.someone/hugging-face', description: 'Hugging Face models.' },
];

describe('the namespace owner', () => {
  test('is the label under the public suffix, and a tenant of a hosting suffix is not its host', () => {
    expect(namespaceOwner('com.figma.mcp')).toBe('figma');
    expect(namespaceOwner('io.sanity.www')).toBe('sanity');
    expect(namespaceOwner('io.github.Snowflake-Labs')).toBe('Snowflake-Labs');
    expect(namespaceOwner('app.vercel.agent-svg-registry')).toBe('agent-svg-registry');
    expect(namespaceOwner('com.trycloudflare.some-tunnel')).toBe('some-tunnel');
    expect(namespaceOwner('uk.co.acme')).toBe('acme');
    expect(defaultOwner('app.vercel.agent-svg-registry')).toBe('vercel');
  });

  test('the index carries the owner only where the Public Suffix List decides otherwise than the page would', () => {
    const file = buildSearchIndex(registryOf(BRANDS));
    const at = (name: string) => file.owner[file.name.indexOf(name)];
    expect(at('app.vercel.agent-svg-registry/mcp')).toBe('agent-svg-registry');
    expect(at('com.vercel/vercel-mcp')).toBe('');
    expect(decodeSearchIndex(file).find((doc) => doc.name === 'com.vercel/vercel-mcp')?.owner).toBe('vercel');
  });

  test('affix keys: a first word, or the owner without a short glued affix; never shorter than four letters', () => {
    expect(ownerAffixKeys('getsentry')).toContain('sentry');
    expect(ownerAffixKeys('Snowflake-Labs')).toContain('snowflake');
    expect(ownerAffixKeys('miroapp')).toContain('miro');
    expect(ownerAffixKeys('quietnotion')).not.toContain('notion');
    expect(ownerAffixKeys('fastslack')).not.toContain('slack');
    expect(ownerAffixKeys('exa')).toEqual([]);
  });

  test('a brand named by the query puts its own server first, ahead of wrappers named after it', () => {
    const engine = engineOf(BRANDS);
    expect(names(engine, 'stripe')[0]).toBe('com.stripe/mcp');
    expect(names(engine, 'sentry')[0]).toBe('io.github.getsentry/sentry-mcp');
    expect(names(engine, 'snowflake')[0]).toBe('io.github.Snowflake-Labs/mcp');
    expect(names(engine, 'vercel')[0]).toBe('com.vercel/vercel-mcp');
    expect(names(engine, 'Hugging Face')[0]).toBe('co.huggingface/hf-mcp-server');
    expect(names(engine, 'brave search')[0]).toBe('io.github.brave/brave-search-mcp-server');
  });

  test('a misspelt brand and a brand being typed still find its own server first', () => {
    const engine = engineOf(BRANDS);
    expect(names(engine, 'stirpe')[0]).toBe('com.stripe/mcp');
    expect(names(engine, 'verce')[0]).toBe('com.vercel/vercel-mcp');
  });

  test('a common word never names an owner among other words; a rare one does', () => {
    const specs: RecordSpec[] = [
      { name: 'io.github.mcp/postgres-helper', description: 'Postgres helper.' },
      { name: 'io.github.brave/search-tools', description: 'Search the web.' },
      { name: 'io.github.alice/postgres', description: 'Postgres MCP server.' },
      { name: 'io.github.bob/web-search', description: 'Brave search results.' },
      ...Array.from({ length: 60 }, (_, i) => ({ name: `io.github.user${i}/mcp-${i}`, description: 'An MCP server.' })),
    ];
    const withOwner = engineOf(specs);
    const withoutOwner = engineOf(specs, undefined, { ...ALL_SIGNALS, owner: false });
    expect(names(withOwner, 'postgres mcp')).toEqual(names(withoutOwner, 'postgres mcp'));
    expect(names(withOwner, 'brave search')[0]).toBe('io.github.brave/search-tools');
  });

  test('without the signal, the wrapper named exactly like the brand wins (what the signal fixes)', () => {
    const engine = engineOf(BRANDS, undefined, { ...ALL_SIGNALS, owner: false });
    expect(names(engine, 'stripe')[0]).toBe('io.github.someone/stripe');
  });

  test('a hosting tenant gets no brand boost from its host', () => {
    const ranked = names(engineOf(BRANDS), 'vercel');
    expect(ranked.indexOf('app.vercel.agent-svg-registry/mcp')).toBeGreaterThan(
      ranked.indexOf('io.github.helper/vercel-deploy'),
    );
  });
});

describe('collapsing one publisher', () => {
  const crowd: RecordSpec[] = [
    ...Array.from({ length: 30 }, (_, i) => ({
      name: `io.github.aggregator/weather-${String(i).padStart(2, '0')}`,
      description: `Weather wrapper number ${i}.`,
    })),
    { name: 'io.github.alice/weather', description: 'Weather forecasts.' },
    { name: 'io.github.bob/forecasts', description: 'Weather for any city.' },
  ];

  test('a namespace takes one row with the number of its other matches, so others reach the first page', () => {
    const response = engineOf(crowd).search({ ...EMPTY_STATE, q: 'weather' }, 3);
    expect(response.items.map((doc) => doc.name)).toContain('io.github.alice/weather');
    expect(response.items.map((doc) => doc.name)).toContain('io.github.bob/forecasts');
    const row = response.items.findIndex((doc) => doc.name.startsWith('io.github.aggregator/'));
    expect(response.more[row]).toBe(29);
    expect(response.total).toBe(32);
  });

  test('the publisher filter shows all of one namespace, uncollapsed; other sorts never collapse', () => {
    const engine = engineOf(crowd);
    const all = engine.search({ ...EMPTY_STATE, q: 'weather', publisher: 'io.github.aggregator' }, 50);
    expect(all.items).toHaveLength(30);
    expect(all.more.every((count) => count === 0)).toBe(true);
    expect(engine.search({ ...EMPTY_STATE, q: 'weather', publisher: 'io.github.nobody' }, 50).total).toBe(0);
    const byName = engine.search({ ...EMPTY_STATE, q: 'weather', sort: 'name' }, 5);
    expect(byName.items.map((doc) => doc.name)).toEqual(crowd.slice(0, 5).map((spec) => spec.name));
  });
});

describe('a whole package identifier', () => {
  test('as typed, it finds its server first even when another server is named like it', () => {
    const engine = engineOf([
      {
        name: 'io.github.getsentry/sentry-mcp',
        description: 'Errors.',
        packages: [{ registryType: 'npm', identifier: '@sentry/mcp-server' }],
      },
      { name: 'io.github.someone/sentry-mcp-server', description: 'A Sentry MCP server.' },
    ]);
    expect(names(engine, '@sentry/mcp-server')[0]).toBe('io.github.getsentry/sentry-mcp');
  });
});

describe('the prior from repository facts', () => {
  const specs: RecordSpec[] = [
    { name: 'io.github.alice/notes', description: 'Notes for agents.', repository: 'https://github.com/alice/notes' },
    { name: 'io.github.bob/notes', description: 'Notes for agents.', repository: 'https://github.com/bob/notes' },
    { name: 'io.github.carol/notes', description: 'Notes for agents.', repository: 'https://github.com/alice/notes' },
  ];
  const facts: RepositoryFactsLookup = (url) =>
    url.includes('/alice/')
      ? { stars: 5000, archived: false, pushedAt: null, license: null }
      : { stars: 3, archived: true, pushedAt: null, license: null };

  test('stars count only for a repository of the namespace owner; a wrapper cannot borrow them', () => {
    const docs = decodeSearchIndex(buildSearchIndex(registryOf(specs), facts));
    const of = (name: string) => docs.find((doc) => doc.name === name)!;
    expect(of('io.github.alice/notes')).toMatchObject({ ownRepository: true, stars: 5000 });
    expect(of('io.github.carol/notes')).toMatchObject({ ownRepository: false, stars: 0 });
    expect(of('io.github.bob/notes')).toMatchObject({ archived: true });
    expect(names(engineOf(specs, facts), 'notes')).toEqual([
      'io.github.alice/notes',
      'io.github.carol/notes',
      'io.github.bob/notes',
    ]);
  });

  test('is a factor near 1: archived lowers it, stars raise it by at most a tenth', () => {
    const base = { archived: false, stars: 0 } as SearchDoc;
    expect(documentPrior(base)).toBe(1);
    expect(documentPrior({ ...base, archived: true })).toBeLessThan(1);
    expect(documentPrior({ ...base, stars: 1_000_000 })).toBeCloseTo(1.1);
    expect(documentPrior({ ...base, stars: 10 })).toBeGreaterThan(1);
  });

  test('without enrichment the index has no stars column', () => {
    expect(buildSearchIndex(registryOf(specs)).stars).toBeUndefined();
  });
});
