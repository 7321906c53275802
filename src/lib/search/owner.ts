/**
 * Who owns a namespace, as a brand a visitor might type. The namespace is the only part of a server's
 * name the registry verifies: `io.github.<login>` is granted to that GitHub account, a reverse-DNS
 * namespace to whoever proved control of the domain. So `stripe` in `com.stripe/mcp` is proven, while
 * `stripe` in `io.github.someone/stripe-mcp` is only claimed. Ranking uses the owner (see engine.ts).
 *
 * The owner is the label just below the public suffix (`com.figma.mcp` -> figma, `io.sanity.www` ->
 * sanity), and under a shared hosting suffix it is the tenant (`app.vercel.acme` -> acme, not vercel;
 * `com.trycloudflare.x` -> x): the Public Suffix List decides, at build time (`namespaceOwner` in
 * build.ts, so the list stays out of the page's script). The index carries the owner only where it
 * differs from the rule the page applies without the list (`defaultOwner`).
 */

const GITHUB_PREFIX = 'io.github.';

/** Without the Public Suffix List: the GitHub login, or the second label of a reverse-DNS namespace. */
export function defaultOwner(namespace: string): string {
  if (namespace.startsWith(GITHUB_PREFIX)) return namespace.slice(GITHUB_PREFIX.length);
  const labels = namespace.split('.');
  return labels[1] ?? labels[0];
}

/** The owner as the query side compares it: lower case, letters and digits only (`Snowflake-Labs` -> snowflakelabs). */
export function ownerKey(owner: string): string {
  return owner.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Fewest letters a brand key keeps when an affix is taken off (`getsentry` -> sentry, `miroapp` -> miro). */
const MIN_BRAND_LENGTH = 4;
/** Longest affix taken off an owner that glues a word to its brand (`get`, `app`, `ai`, `hq`, `js`). */
const MAX_AFFIX_LENGTH = 3;

/**
 * The keys under which a query may name this owner besides the owner itself: its first word when the
 * owner has several (`snowflake-labs` -> snowflake, `tavily-ai` -> tavily), and the owner without a short
 * glued affix (`getsentry` -> sentry, `perplexityai` -> perplexity, `railwayapp` -> railway). Data alone
 * decides: no list of brands or of affixes.
 */
export function ownerAffixKeys(owner: string): string[] {
  const key = ownerKey(owner);
  const keys = new Set<string>();
  const words = owner
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  if (words.length > 1 && words[0].length >= 3) keys.add(words[0]);
  for (let cut = 1; cut <= MAX_AFFIX_LENGTH && key.length - cut >= MIN_BRAND_LENGTH; cut++) {
    keys.add(key.slice(cut));
    keys.add(key.slice(0, key.length - cut));
  }
  keys.delete(key);
  return [...keys];
}
