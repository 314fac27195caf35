import { createReadStream } from "node:fs";
import { parse, type CsvError } from "csv-parse";
import { AppError } from "../../api/errors";
import type { ImportFormat, ImportRow, ReadOptions } from "../types";

/**
 * CSV and TSV through csv-parse: a header row names the columns; quoted fields may hold the
 * delimiter, quotes ("") and line breaks; rows end in CRLF, LF or CR, even mixed in one file;
 * UTF-8 with or without a byte-order mark. Every value is a
 * string (the mapping gives columns their types). Chosen over papaparse, which is faster but does
 * not report malformed rows when streamed, so a file of 1M rows would fail without saying where.
 */
function delimitedFormat(id: "csv" | "tsv", delimiter: string, label: string, extensions: string[], mediaTypes: string[]): ImportFormat {
  return {
    id,
    label,
    extensions,
    mediaTypes,
    async *rows(path: string, { batchSize, fromRow = 1, signal }: ReadOptions): AsyncIterable<ImportRow[]> {
      const parser = createReadStream(path).pipe(
        parse({ bom: true, delimiter, record_delimiter: ["\r\n", "\n", "\r"], columns: headerColumns, skip_empty_lines: true }),
      );
      let row = 0;
      let batch: ImportRow[] = [];
      try {
        for await (const values of parser as AsyncIterable<Record<string, string>>) {
          if (signal?.aborted) break;
          row += 1;
          if (row < fromRow) continue;
          batch.push({ row, values });
          if (batch.length === batchSize) {
            yield batch;
            batch = [];
          }
        }
      } catch (error) {
        if (error instanceof AppError) throw error;
        throw malformed(label, parser.info.records + 1, error as CsvError);
      } finally {
        parser.destroy();
      }
      if (batch.length > 0) yield batch;
    },
  };
}

/** The header row: names trimmed, each non-empty and once, so a mapping can name them. */
function headerColumns(header: string[]): string[] {
  const names = header.map((name) => name.trim());
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (name === "") throw new AppError("bad_request:file", `The header row's column ${i + 1} has no name; every column needs one.`);
    if (seen.has(name)) throw new AppError("bad_request:file", `The header row names column "${name}" twice; each name must be once.`);
    seen.add(name);
  });
  return names;
}

function malformed(label: string, row: number, error: CsvError): AppError {
  const reason =
    error.code === "CSV_RECORD_INCONSISTENT_COLUMNS"
      ? `it has ${(error.record as unknown[] | undefined)?.length ?? "another number of"} fields, and the header has ${(error.columns as unknown[] | undefined)?.length ?? "another number"}`
      : error.code === "CSV_INVALID_CLOSING_QUOTE" || error.code === "CSV_QUOTE_NOT_CLOSED"
        ? "a quoted field is not closed where it should be (a quote inside a quoted field is written twice: \"\")"
        : error.message.replace(/ on line \d+| at line \d+/, "");
  return new AppError("bad_request:file", `This ${label} file is malformed at row ${row.toLocaleString("en")}: ${reason}.`, { details: { row } });
}

export const csvFormat = delimitedFormat("csv", ",", "CSV", ["csv"], ["text/csv"]);
export const tsvFormat = delimitedFormat("tsv", "\t", "TSV", ["tsv", "tab"], ["text/tab-separated-values"]);
