/**
 * The structure of a manual page rendered to plain text (groff -Tutf8, as `man` shows it): a
 * header line, section headings at the left margin (NAME, DESCRIPTION; 名称, 描述 in Chinese), the
 * sections' text indented below them, a footer line. Pure: text in, offsets out.
 */

export interface ManSection {
  /** The heading, e.g. "DESCRIPTION". */
  title: string;
  /** The section's body (after the heading line), as offsets in the page text. */
  start: number;
  end: number;
}

export interface ManPage {
  sections: ManSection[];
  /** The names the NAME line gives ("tcp", or "utf-8, UTF-8"), lower-cased; [] when it has none. */
  names: string[];
  /** The NAME line's one-line description ("overview of signals"), whitespace collapsed; null when absent. */
  description: string | null;
}

const nameHeadings = new Set(["NAME", "名称", "名字"]);

export function parseManPage(text: string): ManPage {
  const lines: { start: number; end: number }[] = [];
  for (let start = 0; start <= text.length; ) {
    const newline = text.indexOf("\n", start);
    const end = newline < 0 ? text.length : newline;
    lines.push({ start, end });
    start = end + 1;
  }
  const filled = lines.filter((line) => text.slice(line.start, line.end).trim() !== "");
  // The first and last filled lines are the header ("tcp(7) … tcp(7)") and footer.
  const headings = filled.slice(1, -1).filter((line) => /^\S/.test(text.slice(line.start, line.end)));
  const sections = headings.map((line, i) => ({
    title: text.slice(line.start, line.end).trim(),
    start: Math.min(line.end + 1, text.length),
    end: i + 1 < headings.length ? headings[i + 1].start : (filled.at(-1)?.start ?? text.length),
  }));
  const name = sections.find((section) => nameHeadings.has(section.title.split(/\s/)[0]));
  const line = name ? text.slice(name.start, name.end).replace(/\s+/g, " ").trim() : "";
  const match = /^(.+?)\s+[-\u2010-\u2015\u2212]+\s*(.+)$/u.exec(line);
  return {
    sections,
    names: match ? match[1].split(/,\s*/).map((part) => part.trim().toLowerCase()).filter(Boolean) : [],
    description: match ? match[2].trim() : null,
  };
}
