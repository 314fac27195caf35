import MarkdownIt from "markdown-it";

/**
 * Markdown for note cells, safe by construction: raw HTML in the source is escaped, not passed
 * through (`html: false`), and markdown-it's link validation refuses `javascript:`, `vbscript:`,
 * `file:` and non-image `data:` URLs. Links open in a new tab without a referrer or opener.
 */
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: true });

const defaultLinkOpen = markdown.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx].attrSet("rel", "noopener noreferrer nofollow");
  tokens[idx].attrSet("target", "_blank");
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/** HTML for a note; every character of user text arrives escaped or as markdown structure. */
export function renderMarkdown(source: string): string {
  return markdown.render(source);
}
