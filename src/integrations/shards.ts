/**
 * Astro integration: in a sharded build (SITE_SHARD set by buildSite, see src/lib/build/shards.ts)
 * this process prerenders only its shard's paths. It wraps Astro's own prerenderer and changes
 * nothing but the list of paths, so every page renders exactly as in an unsharded build.
 */
import type { AstroIntegration } from 'astro';
import { currentShard, formatShard, pathsOfShard } from '../lib/build/shards.ts';

export function shards(): AstroIntegration {
  return {
    name: 'mcp-index-shards',
    hooks: {
      'astro:build:start': ({ setPrerenderer, logger }) => {
        const shard = currentShard();
        if (shard.count === 1) return;
        logger.info(`rendering shard ${formatShard(shard)}`);
        setPrerenderer((astroPrerenderer) => ({
          ...astroPrerenderer,
          name: 'mcp-index-shard',
          getStaticPaths: async () => pathsOfShard(await astroPrerenderer.getStaticPaths(), shard),
        }));
      },
    },
  };
}
