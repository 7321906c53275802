/**
 * Cache keys for the page cache (src/lib/build/page-cache.ts): a page is rendered again only when its
 * key or the code changed, and otherwise reused from the previous build. A page that
 * reads nothing but its props (no registry lookups of its own) takes a digest of those props as its
 * key, so whatever it shows, from its own manifests to a neighbour's name it links, is in the key.
 * The props must be plain data: JSON writes a Map or a Set as {}, which would leave its contents out.
 */
import { createHash } from 'node:crypto';

export function propsCacheKey(props: unknown): string {
  return createHash('sha256').update(JSON.stringify(props)).digest('base64url');
}
