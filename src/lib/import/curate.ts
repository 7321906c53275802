/**
 * The first-guess curation of imported servers: categories and tags from keywords in what the
 * publisher wrote. Deterministic (same manifest -> same ids, in vocabulary order) and only ever a
 * starting point: it runs when a server's registry.json has no `curation` yet, so a curator's
 * choice (even an empty one) is never overwritten. Documented in registry-data/README.md.
 *
 * Scoring: each rule's pattern is matched, as whole words, against the server name (weight 3),
 * title and description (weight 2) and package identifiers and remote URLs (weight 1).
 * A category needs a score of 2 (one mention in the prose, or in the name); at most 3 categories,
 * highest score first, ties in vocabulary order. Tags need any mention; at most 5.
 */
import type { Curation, Vocabulary } from '../registry/facts.ts';
import type { ServerJson } from '../schema/server.ts';

interface KeywordRule {
  id: string;
  /** Alternatives of whole words or phrases, lower case; `\w*` allows suffixes. */
  words: string;
}

export const CATEGORY_RULES: readonly KeywordRule[] = [
  {
    id: 'ai-ml',
    words:
      'llms?|openai|anthropic|gemini|hugging ?face|machine learning|ml models?|embeddings?|image generation|text[ -]to[ -](?:speech|image|video)|speech[ -]to[ -]text|ollama|rag|inference|diffusion',
  },
  { id: 'automation', words: 'automat\\w*|workflows?|zapier|n8n|make\\.com|ifttt|rpa|scheduler|cron' },
  { id: 'browser-automation', words: 'browsers?|playwright|puppeteer|selenium|headless|chrom(?:e|ium)|web automation' },
  {
    id: 'cloud',
    words:
      'aws|amazon web services|azure|gcp|google cloud|cloudflare|kubernetes|k8s|terraform|vercel|netlify|heroku|serverless|infrastructure|devops|helm|cloud',
  },
  {
    id: 'communication',
    words:
      'slack|discord|e-?mails?|gmail|outlook|telegram|whatsapp|sms|twilio|microsoft teams|messaging|messages|phone calls?|voice calls?',
  },
  {
    id: 'data-analytics',
    words:
      'analytics|dashboards?|business intelligence|metabase|tableau|power bi|csv|excel|spreadsheets?|data analysis|pandas|jupyter|datasets?|visuali[sz]ation',
  },
  {
    id: 'databases',
    words:
      'databases?|sql|postgres\\w*|mysql|sqlite|mongo\\w*|redis|supabase|neo4j|qdrant|pinecone|weaviate|chroma|milvus|elasticsearch|opensearch|clickhouse|snowflake|bigquery|dynamodb|firestore|vector stores?|graph database',
  },
  { id: 'design', words: 'figma|designs?|canva|ui components?|design systems?|svg|icons?|illustrations?' },
  {
    id: 'developer-tools',
    words:
      'github|gitlab|git|bitbucket|code review|code quality|source code|code generation|codebases?|coding|developers?|debug\\w*|lint\\w*|ci/cd|pull requests?|compilers?|sdks?|openapi|swagger|postman|ides?|vs ?code|terminal|shell|cli|npm|pypi|api testing|unit tests?',
  },
  { id: 'documentation', words: 'documentation|docs|knowledge base|wiki|confluence|readme|manuals?|api reference' },
  { id: 'ecommerce', words: 'shopify|e-?commerce|woocommerce|online stores?|product catalog\\w*|shopping|marketplace' },
  {
    id: 'education',
    words: 'education\\w*|e-?learning|online learning|courses?|tutor\\w*|students?|quiz\\w*|teach\\w*|flashcards?',
  },
  {
    id: 'entertainment',
    words: 'music|spotify|movies?|films?|games?|gaming|podcasts?|anime|sports?|youtube|video|tv shows?',
  },
  {
    id: 'file-systems',
    words:
      'files?|file ?system|storage|s3|google drive|dropbox|onedrive|box\\.com|pdfs?|documents? conversion|folders?',
  },
  {
    id: 'finance',
    words:
      'financ\\w*|stocks?|trading|crypto\\w*|blockchain|bitcoin|ethereum|solana|wallets?|payments?|stripe|invoic\\w*|accounting|bank\\w*|defi|market data|tax|taxes|budget\\w*',
  },
  { id: 'health', words: 'health\\w*|medical|fhir|clinical|patients?|fitness|nutrition|medicine|drugs?|hospital' },
  {
    id: 'location',
    words: 'maps?|geocod\\w*|weather|forecasts?|travel|flights?|hotels?|locations?|gps|transit|places|navigation',
  },
  {
    id: 'marketing',
    words: 'seo|marketing|ads|advertising|campaigns?|crm|hubspot|salesforce|lead generation|newsletters?',
  },
  {
    id: 'monitoring',
    words:
      'monitor\\w*|observability|logs|logging|metrics|tracing|sentry|datadog|grafana|prometheus|alerts?|incidents?|uptime',
  },
  {
    id: 'productivity',
    words:
      'calendars?|todos?|tasks?|notes|notion|obsidian|trello|asana|jira|linear|project management|google workspace|productivity|meetings?',
  },
  { id: 'search', words: 'search\\w*|crawl\\w*|scrap\\w*|brave|tavily|exa|perplexity|serp|web data|research' },
  {
    id: 'security',
    words:
      'secur\\w*|vulnerabilit\\w*|pentest\\w*|cves?|threats?|malware|compliance|secrets?|1password|vault|audit\\w*|scann\\w*',
  },
  {
    id: 'social-media',
    words: 'twitter|x\\.com|reddit|linkedin|instagram|facebook|tiktok|bluesky|mastodon|social media',
  },
];

export const TAG_RULES: readonly KeywordRule[] = [
  { id: 'aws', words: 'aws|amazon web services|lambda|s3|dynamodb' },
  { id: 'azure', words: 'azure|microsoft entra' },
  { id: 'cloudflare', words: 'cloudflare' },
  { id: 'crypto', words: 'crypto\\w*|blockchain|bitcoin|ethereum|solana|web3|defi' },
  { id: 'docker', words: 'docker' },
  { id: 'dotnet', words: '\\.net|dotnet|c#|nuget' },
  { id: 'email', words: 'e-?mails?|gmail|outlook|smtp|imap' },
  { id: 'figma', words: 'figma' },
  { id: 'github', words: 'github' },
  { id: 'gitlab', words: 'gitlab' },
  { id: 'google', words: 'google' },
  { id: 'jira', words: 'jira' },
  { id: 'kubernetes', words: 'kubernetes|k8s|helm' },
  { id: 'mongodb', words: 'mongo\\w*' },
  { id: 'mysql', words: 'mysql|mariadb' },
  { id: 'notion', words: 'notion' },
  { id: 'openai', words: 'openai|chatgpt|gpt-?\\d\\w*' },
  { id: 'postgres', words: 'postgres\\w*|supabase' },
  { id: 'python', words: 'python|pypi|pip' },
  { id: 'redis', words: 'redis' },
  { id: 'slack', words: 'slack' },
  { id: 'sqlite', words: 'sqlite' },
  { id: 'stripe', words: 'stripe' },
  { id: 'weather', words: 'weather|forecasts?' },
  { id: 'web-search', words: 'web search|search the web|search engines?|google search|brave search|serp' },
];

const MAX_CATEGORIES = 3;
const MAX_TAGS = 5;
const CATEGORY_THRESHOLD = 2;

interface WeightedText {
  text: string;
  weight: number;
}

/** Curation for one manifest, limited to ids that exist in `vocabulary`. */
export function suggestCuration(server: ServerJson, vocabulary: Vocabulary): Curation {
  const texts = weightedTexts(server);
  return {
    categories: pick(CATEGORY_RULES, vocabulary.categories, texts, CATEGORY_THRESHOLD, MAX_CATEGORIES),
    tags: pick(TAG_RULES, vocabulary.tags, texts, 1, MAX_TAGS),
  };
}

function weightedTexts(server: ServerJson): WeightedText[] {
  // Word boundaries inside names: `io.github.user/postgres-mcp` -> `io github user postgres mcp`.
  const spaced = (text: string) => text.toLowerCase().replace(/[._/-]+/g, ' ');
  // Not the repository URL: nearly every one is on github.com, which says nothing about the server.
  const urls = [
    ...(server.packages ?? []).map((pkg) => pkg.identifier),
    ...(server.remotes ?? []).map((remote) => remote.url),
  ];
  return [
    { text: spaced(server.name.slice(server.name.indexOf('/') + 1)), weight: 3 },
    { text: `${server.title ?? ''}\n${server.description}`.toLowerCase(), weight: 2 },
    { text: urls.map(spaced).join('\n'), weight: 1 },
  ];
}

const compiled = new Map<string, RegExp>();
function patternOf(rule: KeywordRule): RegExp {
  let pattern = compiled.get(rule.words);
  if (!pattern) compiled.set(rule.words, (pattern = new RegExp(`(?<![\\w])(?:${rule.words})(?![\\w])`, 'u')));
  return pattern;
}

function pick(
  rules: readonly KeywordRule[],
  terms: readonly { id: string }[],
  texts: readonly WeightedText[],
  threshold: number,
  max: number,
): string[] {
  const order = new Map(terms.map((term, index) => [term.id, index]));
  return rules
    .filter((rule) => order.has(rule.id))
    .map((rule) => ({
      id: rule.id,
      score: texts.reduce((sum, t) => sum + (patternOf(rule).test(t.text) ? t.weight : 0), 0),
    }))
    .filter((scored) => scored.score >= threshold)
    .sort((a, b) => b.score - a.score || order.get(a.id)! - order.get(b.id)!)
    .slice(0, max)
    .map((scored) => scored.id)
    .sort((a, b) => order.get(a)! - order.get(b)!);
}
