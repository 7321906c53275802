/** What pages hand to the search island (src/components/search/SearchApp.tsx). */
import type { Catalogue } from './catalogue.ts';

export { SEARCH_INDEX_PATH } from '../search/types.ts';
/** Results the island renders on the server, before it loads the index. */
export const SEARCH_PAGE_SIZE = 20;

export function searchCategories(catalogue: Catalogue): { id: string; label: string }[] {
  return catalogue.categories.map(({ id, label }) => ({ id, label }));
}
