import { formatCsvField } from "../csvFormat";
import { valueAsText } from "./columns";
import type { ExportWriter } from "./formats";

/**
 * CSV (RFC 4180): UTF-8 without a byte-order mark, a header row of the column names, CRLF after
 * every record, a field quoted when it holds a comma, a double quote, CR or LF (quotes doubled).
 * Every value is text: numbers as JSON writes them, a missing value empty, a vector as its JSON
 * text (`[0.1,-0.2,…]`), which the app's import reads back as a vector. One piece per page.
 */
export const writeCsv: ExportWriter = async function* (pages, { columns }) {
  const encoder = new TextEncoder();
  yield encoder.encode(csvRecord(columns.map((column) => column.name)));
  for await (const page of pages) {
    let text = "";
    for (const row of page) text += csvRecord(columns.map((column) => valueAsText(column.value(row))));
    yield encoder.encode(text);
  }
};

function csvRecord(fields: string[]): string {
  return `${fields.map(formatCsvField).join(",")}\r\n`;
}
