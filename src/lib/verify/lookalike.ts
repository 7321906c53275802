/**
 * Names that impersonate an existing server: same "skeleton" (case, accents, 0/o, 1/l/i, rn/m,
 * vv/w, Cyrillic and Greek homoglyphs, _/-), or a tiny edit away in another namespace.
 * Distance is measured on both the skeletons and the plain lower-case names, so a folding rule
 * (rn -> m) never hides a plain one-letter edit. The skeleton is a simplified form of Unicode TR39's confusable skeleton, restricted to the
 * characters a server name can contain after NFKD (plus the homoglyphs an attacker would try first).
 */
import { boundedEditDistance } from '../search/edit-distance.ts';
import { splitName } from '../registry/layout.ts';

const HOMOGLYPHS: Record<string, string> = {
  // Cyrillic
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  һ: 'h',
  ӏ: 'l',
  ɡ: 'g',
  // Greek
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ϲ: 'c',
  // Digits and marks that read as letters
  '0': 'o',
  '1': 'l',
  '|': 'l',
  '5': 's',
  _: '-',
  ı: 'l',
  ł: 'l',
};

/** The form two names share when a reader could not tell them apart. */
export function skeleton(name: string): string {
  const folded = [...name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()]
    .map((c) => HOMOGLYPHS[c] ?? c)
    .join('');
  return folded.replace(/i/g, 'l').replace(/rn/g, 'm').replace(/vv/g, 'w');
}

export type Resemblance = 'confusable' | 'lookalike';

/** Largest edit distance between skeletons, in different namespaces, still flagged as a look-alike. */
export const LOOKALIKE_DISTANCE = 1;

export interface NameIndexEntry {
  name: string;
  skeleton: string;
  namespace: string;
}

export function nameIndex(names: Iterable<string>): NameIndexEntry[] {
  return [...names].map((name) => ({ name, skeleton: skeleton(name), namespace: splitName(name)[0].toLowerCase() }));
}

/**
 * How `candidate` resembles existing names. A name differing only by case or homoglyphs is
 * `confusable` wherever it lives; within one namespace (one owner) other near names are normal.
 */
export function findResemblances(
  candidate: string,
  existing: readonly NameIndexEntry[],
): { name: string; kind: Resemblance }[] {
  const mine = nameIndex([candidate])[0]!;
  const [, short] = splitName(candidate);
  const found: { name: string; kind: Resemblance }[] = [];
  for (const entry of existing) {
    if (entry.name === candidate) continue;
    const sameOwner = entry.namespace === mine.namespace;
    if (entry.skeleton === mine.skeleton) {
      if (!sameOwner || splitName(entry.name)[1].toLowerCase() === short.toLowerCase())
        found.push({ name: entry.name, kind: 'confusable' });
    } else if (
      !sameOwner &&
      (boundedEditDistance(entry.skeleton, mine.skeleton, LOOKALIKE_DISTANCE) <= LOOKALIKE_DISTANCE ||
        boundedEditDistance(entry.name.toLowerCase(), candidate.toLowerCase(), LOOKALIKE_DISTANCE) <=
          LOOKALIKE_DISTANCE)
    ) {
      found.push({ name: entry.name, kind: 'lookalike' });
    }
  }
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
