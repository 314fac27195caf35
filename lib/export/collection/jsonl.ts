import type { ExportWriter } from "./formats";

/**
 * JSON Lines: one object per chunk, its keys the columns in order; a missing value is null, a
 * vector an array of numbers (pgvector's text form is JSON already, so it is copied, not parsed).
 * Each line is built as text, never as an object, so a metadata key such as `__proto__` is
 * written like any other. One piece per page.
 */
export const writeJsonl: ExportWriter = async function* (pages, { columns }) {
  const encoder = new TextEncoder();
  const names = columns.map((column) => `${JSON.stringify(column.name)}:`);
  for await (const page of pages) {
    let text = "";
    for (const row of page) {
      const fields = columns.map((column, i) => {
        const value = column.value(row);
        return names[i] + (column.kind === "vector" && typeof value === "string" ? value : JSON.stringify(value));
      });
      text += `{${fields.join(",")}}\n`;
    }
    yield encoder.encode(text);
  }
};
