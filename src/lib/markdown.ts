/**
 * Markdown that GitHub renders from untrusted text (manifest values, server names, messages quoting
 * them): the bot comment on a PR and the health issues. Nothing passed through here can inject
 * markdown, HTML, links or @mentions, or break out of a table cell or a code span.
 */

/** Escapes text for a markdown table cell or paragraph. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+!|~])/g, '\\$1')
    .replace(/@/g, '@\u200b')
    .replace(/\r?\n/g, ' ');
}

/** Inline code that cannot be broken out of: backticks are removed, pipes escaped for tables. */
export function inlineCode(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')}\``;
}
