/** Project-wide names shared by pages, API outputs and CLIs. */
export const SITE_NAME = 'MCP Index';
/** Our own key in API response `_meta` (reverse DNS, as the official registry asks of sub-registries). */
export const REGISTRY_META_KEY = 'org.mcpindex/registry';
/** The official registry's key in API response `_meta`. */
export const OFFICIAL_META_KEY = 'io.modelcontextprotocol.registry/official';
