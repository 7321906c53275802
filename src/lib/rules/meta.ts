/** Rules on `_meta`: only publisher-provided data is kept, and it is capped at 4 KB. */
import { PUBLISHER_META_KEY } from '../schema/server.ts';
import { quote, report, type Rule } from './context.ts';

export const MAX_PUBLISHER_META_BYTES = 4 * 1024;

export const metaUnknownKey: Rule = (context) => {
  const meta = context.raw._meta;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return [];
  return Object.keys(meta)
    .filter((key) => key !== PUBLISHER_META_KEY)
    .map((key) =>
      report(
        context,
        'meta-unknown-key',
        ['_meta', key],
        `_meta key ${quote(key)} is dropped; only ${quote(PUBLISHER_META_KEY)} is kept`,
      ),
    );
};

export const metaSize: Rule = (context) => {
  const provided = context.server._meta?.[PUBLISHER_META_KEY];
  if (provided === undefined) return [];
  const bytes = new TextEncoder().encode(JSON.stringify(provided)).length;
  if (bytes <= MAX_PUBLISHER_META_BYTES) return [];
  return [
    report(
      context,
      'meta-size',
      ['_meta', PUBLISHER_META_KEY],
      `publisher-provided _meta is ${bytes} bytes of JSON, over the ${MAX_PUBLISHER_META_BYTES}-byte limit`,
    ),
  ];
};
