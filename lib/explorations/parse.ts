import type { ExplorationItemInput } from "./schemas";

/**
 * The notebook's editor format: one word or snippet per line; a line `## name` starts a group that
 * lasts until the next group line (a bare `##` ends it). Blank lines are ignored.
 */

export interface ParsedItems {
  items: ExplorationItemInput[];
  /** Lines that were skipped, in words, e.g. `line 7: "cat" is already on line 2`. */
  skipped: string[];
}

const groupLine = /^##(?:\s+(.*))?$/;

export function parseItems(source: string): ParsedItems {
  const items: ExplorationItemInput[] = [];
  const skipped: string[] = [];
  const firstLine = new Map<string, number>();
  let group: string | undefined;
  source.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.normalize("NFC").trim();
    const lineNumber = index + 1;
    if (line === "") return;
    const header = groupLine.exec(line);
    if (header) {
      group = header[1]?.trim() || undefined;
      return;
    }
    const seen = firstLine.get(line);
    if (seen !== undefined) {
      skipped.push(`line ${lineNumber}: "${line.slice(0, 40)}" is already on line ${seen}`);
      return;
    }
    firstLine.set(line, lineNumber);
    items.push(group === undefined ? { text: line } : { text: line, group });
  });
  return { items, skipped };
}

/** The editor text for a list of items; `parseItems(formatItems(items)).items` equals `items`. */
export function formatItems(items: ExplorationItemInput[]): string {
  const lines: string[] = [];
  let group: string | undefined;
  for (const item of items) {
    if (item.group !== group) {
      if (lines.length > 0) lines.push("");
      lines.push(item.group === undefined ? "##" : `## ${item.group}`);
      group = item.group;
    }
    lines.push(item.text);
  }
  return lines.join("\n");
}
