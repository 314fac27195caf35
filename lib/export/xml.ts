/** Text and attribute escaping for hand-written XML/SVG, and deterministic number formatting. */

const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * Escapes `& < > " '`, so any user text is safe both as element content and inside a quoted
 * attribute. Also drops characters XML 1.0 forbids (control characters other than tab, LF, CR),
 * which would otherwise make the whole file unreadable.
 */
export function escapeXml(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "").replace(/[&<>"']/g, (char) => entities[char]);
}

/** A number with at most `digits` decimals (default 2), no trailing zeros, never "-0". */
export function formatNumber(value: number, digits = 2): string {
  const rounded = Number(value.toFixed(digits));
  return Object.is(rounded, -0) ? "0" : String(rounded);
}
