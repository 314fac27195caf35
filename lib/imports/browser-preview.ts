import { parse, type CsvError } from "csv-parse/browser/esm/sync";
import { parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer, type FileMetaData, type SchemaTree } from "hyparquet";
import { compressors } from "hyparquet-compressors";
import { describeColumn, previewRows } from "./preview";
import { importFileEndings, importFormatOf, type ImportFormatId } from "./file-types";
import type { ColumnInfo, ColumnKind, ImportPreview, ImportRow } from "./types";

export { importFileAccept, importFileEndings, importFormatOf, type ImportFormatId } from "./file-types";

/**
 * A file's preview in the browser (issue 16: "preview and mapping appear within 2 s of choosing a
 * file"), read from its head only, so a 2 GB file costs what its first 256 KB cost: CSV and TSV
 * through csv-parse's browser build, JSON Lines line by line, Parquet through hyparquet over
 * `Blob.slice` (its footer, then the first rows). Browser-safe: no node: imports. Column kinds come
 * from describeColumn, as the server's preview has them.
 */

export const browserPreviewDefaults = {
  /** Bytes read first from a CSV, TSV or JSON Lines file. */
  headBytes: 256 * 1024,
  /** The most read when the first rows are longer than the head (it grows ×4 up to this). */
  maxHeadBytes: 16 * 1024 * 1024,
  /** Rows read to tell what each column holds (shown: the first `previewRows`, 20). */
  inferenceRows: 200,
  /** A Parquet file's first row group is read for its rows only when its column chunks take at most this many bytes. */
  maxParquetGroupBytes: 64 * 1024 * 1024,
} as const;

export interface FilePreview extends ImportPreview {
  format: ImportFormatId;
  /** Rows read to tell the columns' kinds (up to `inferenceRows`). */
  rowsRead: number;
  /** Bytes of the file read for this preview. */
  bytesRead: number;
  /** Why no rows are shown though the file has some (a Parquet row group too large to read here). */
  note?: string;
}

export interface PreviewOptions {
  /** The format; else from `name` (or the File's own name). */
  format?: ImportFormatId;
  name?: string;
  headBytes?: number;
  maxHeadBytes?: number;
  inferenceRows?: number;
  maxParquetGroupBytes?: number;
}

/**
 * The file's columns (with their kinds), its first 20 rows, and for Parquet its row count. Throws
 * an Error saying what is wrong (unknown format, malformed row N, not a Parquet file).
 */
export async function previewImportFile(file: Blob, options: PreviewOptions = {}): Promise<FilePreview> {
  const settings = { ...browserPreviewDefaults, ...options };
  const name = options.name ?? (file as Partial<File>).name ?? "";
  const format = options.format ?? importFormatOf(name);
  if (!format) {
    const endings = Object.values(importFileEndings).flat().map((ending) => `.${ending}`);
    throw new Error(`${name ? `"${name}"` : "This file"} is not a file this app imports: choose one ending in ${endings.join(", ")}.`);
  }
  if (file.size === 0) throw new Error("The file is empty.");
  if (format === "parquet") return previewParquet(file, settings);
  for (let headBytes = settings.headBytes; ; headBytes = Math.min(headBytes * 4, settings.maxHeadBytes)) {
    const head = await readHead(file, headBytes);
    const rows = format === "jsonl" ? jsonlRows(head.text, settings.inferenceRows) : delimitedRows(format, head, settings.inferenceRows);
    if (rows.length > 0 || head.complete || headBytes >= settings.maxHeadBytes) {
      if (rows.length === 0 && !head.complete) throw new Error(`The file's first row is longer than ${settings.maxHeadBytes / 1024 ** 2} MB; a row that long is not one this app imports.`);
      return summarize(format, rows, head.bytes);
    }
  }
}

interface Head {
  text: string;
  bytes: number;
  /** The head is the whole file. */
  complete: boolean;
}

/** The file's first bytes, cut after their last line break (a line cut in two would be a wrong row), as UTF-8 text. */
async function readHead(file: Blob, headBytes: number): Promise<Head> {
  const bytes = new Uint8Array(await file.slice(0, headBytes).arrayBuffer());
  const complete = headBytes >= file.size;
  let end = bytes.length;
  if (!complete) {
    end = bytes.findLastIndex((byte) => byte === 0x0a || byte === 0x0d) + 1;
  }
  return { text: new TextDecoder("utf-8").decode(bytes.subarray(0, end)), bytes: bytes.length, complete };
}

function summarize(format: ImportFormatId, rows: ImportRow[], bytesRead: number, extra: Partial<FilePreview> = {}): FilePreview {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const { values } of rows) {
    for (const name of Object.keys(values)) if (!seen.has(name) && seen.add(name)) names.push(name);
  }
  const columns = extra.columns ?? names.map((name) => describeColumn(name, rows.map(({ values }) => values[name])));
  return { format, columns, rows: rows.slice(0, previewRows), rowsRead: rows.length, bytesRead, ...extra };
}

const delimiters = { csv: ",", tsv: "\t" } as const;
const formatLabels: Record<ImportFormatId, string> = { csv: "CSV", tsv: "TSV", jsonl: "JSON Lines", parquet: "Parquet" };

/**
 * Up to `limit` rows of a CSV or TSV head, with the server's options. A quoted field still open at
 * the head's end is where the head was cut (inside a field with line breaks): the rows before it count.
 */
function delimitedRows(format: "csv" | "tsv", head: Head, limit: number): ImportRow[] {
  const read = (to: number) =>
    parse(head.text, { bom: true, delimiter: delimiters[format], record_delimiter: ["\r\n", "\n", "\r"], columns: headerColumns, skip_empty_lines: true, to }) as Record<string, string>[];
  let records: Record<string, string>[];
  try {
    records = read(limit);
  } catch (error) {
    if (!(error instanceof Error) || !("code" in error)) throw error;
    const failure = error as CsvError & { records?: number };
    const before = failure.records ?? 0;
    if (failure.code === "CSV_QUOTE_NOT_CLOSED" && !head.complete) records = before > 0 ? read(before) : [];
    else throw new Error(`This ${formatLabels[format]} file is malformed at row ${(before + 1).toLocaleString("en")}: ${csvReason(failure)}.`);
  }
  return records.map((values, i) => ({ row: i + 1, values }));
}

/** The header row, as the server checks it: names trimmed, each non-empty and once. */
function headerColumns(header: string[]): string[] {
  const names = header.map((name) => name.trim());
  names.forEach((name, i) => {
    if (name === "") throw new Error(`The header row's column ${i + 1} has no name; every column needs one.`);
    if (names.indexOf(name) !== i) throw new Error(`The header row names column "${name}" twice; each name must be once.`);
  });
  return names;
}

function csvReason(error: CsvError): string {
  if (error.code === "CSV_RECORD_INCONSISTENT_COLUMNS") {
    return `it has ${(error.record as unknown[] | undefined)?.length ?? "another number of"} fields, and the header has ${(error.columns as unknown[] | undefined)?.length ?? "another number"}`;
  }
  if (error.code === "CSV_INVALID_CLOSING_QUOTE" || error.code === "CSV_QUOTE_NOT_CLOSED") return 'a quoted field is not closed where it should be (a quote inside a quoted field is written twice: "")';
  return error.message.replace(/ on line \d+| at line \d+/, "");
}

/** Up to `limit` objects of a JSON Lines head; blank lines skipped, a BOM dropped. */
function jsonlRows(text: string, limit: number): ImportRow[] {
  const rows: ImportRow[] = [];
  for (const line of text.replace(/^\uFEFF/, "").split(/\r?\n|\r/)) {
    if (rows.length === limit) break;
    if (line.trim() === "") continue;
    const row = rows.length + 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new Error(`This JSON Lines file is malformed at row ${row.toLocaleString("en")}: ${(error as Error).message}.`);
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new Error(`This JSON Lines file is malformed at row ${row.toLocaleString("en")}: each line must be a JSON object ({"text": …}), not ${Array.isArray(value) ? "an array" : JSON.stringify(value)}.`);
    }
    rows.push({ row, values: value as Record<string, unknown> });
  }
  return rows;
}

/** A Blob as hyparquet reads files: by byte ranges, counted in `read`. */
function blobBuffer(file: Blob): AsyncBuffer & { read: number } {
  const buffer = {
    byteLength: file.size,
    read: 0,
    slice: async (start: number, end?: number) => {
      const bytes = await file.slice(start, end).arrayBuffer();
      buffer.read += bytes.byteLength;
      return bytes;
    },
  };
  return buffer;
}

/**
 * The footer (schema, row count), then the first rows of the first row group, unless its column
 * chunks are over `maxParquetGroupBytes` and have no page index to read a part of them: then the
 * columns' kinds come from the schema and no rows are shown.
 */
async function previewParquet(file: Blob, settings: { inferenceRows: number; maxParquetGroupBytes: number }): Promise<FilePreview> {
  const buffer = blobBuffer(file);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(buffer);
  } catch (error) {
    throw new Error(`This is not a Parquet file that can be read: ${(error as Error).message}.`);
  }
  const totalRows = Number(metadata.num_rows);
  const first = metadata.row_groups[0];
  const groupBytes = first ? first.columns.reduce((sum, chunk) => sum + Number(chunk.meta_data?.total_compressed_size ?? 0), 0) : 0;
  const indexed = first?.columns.every((chunk) => chunk.offset_index_offset !== undefined && chunk.offset_index_length !== undefined) ?? false;
  if (totalRows > 0 && groupBytes > settings.maxParquetGroupBytes && !indexed) {
    const columns = parquetSchema(metadata).children.map(schemaColumn);
    const note = `Its first row group takes ${Math.round(groupBytes / 1024 ** 2)} MB, more than this page reads for a preview: the columns are as its schema says, the rows are read on the server.`;
    return summarize("parquet", [], buffer.read, { columns, totalRows, note });
  }
  let objects: Record<string, unknown>[];
  try {
    objects = await parquetReadObjects({ file: buffer, metadata, compressors, rowStart: 0, rowEnd: Math.min(totalRows, settings.inferenceRows), useOffsetIndex: true });
  } catch (error) {
    throw new Error(`This Parquet file could not be read at its first rows: ${(error as Error).message}.`);
  }
  const rows = objects.map((values, i) => ({ row: i + 1, values: Object.fromEntries(Object.entries(values).map(([key, value]) => [key, plainValue(value)])) }));
  return summarize("parquet", rows, buffer.read, { totalRows });
}

/** Typed arrays become number arrays and bigints numbers (when exact), as the server's Parquet reader gives them. */
function plainValue(value: unknown): unknown {
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>, (item) => plainValue(item));
  if (Array.isArray(value)) return value.map(plainValue);
  return value;
}

/** A column's kind from its Parquet type alone (no rows read). */
function schemaColumn(node: SchemaTree): ColumnInfo {
  const { element } = node;
  const name = element.name;
  const listItem = element.converted_type === "LIST" || element.logical_type?.type === "LIST" ? node.children[0]?.children[0] : undefined;
  if (listItem) return { name, kind: ["FLOAT", "DOUBLE"].includes(listItem.element.type ?? "") ? "vector" : "other" };
  if (node.children.length > 0) return { name, kind: "other" };
  const logical = element.logical_type?.type;
  const converted = element.converted_type;
  let kind: ColumnKind = "other";
  if (logical === "STRING" || converted === "UTF8" || converted === "ENUM" || logical === "UUID") kind = "string";
  else if (logical === "DATE" || logical === "TIMESTAMP" || converted === "DATE" || converted === "TIMESTAMP_MILLIS" || converted === "TIMESTAMP_MICROS") kind = "date";
  else if (element.type === "BOOLEAN") kind = "boolean";
  else if (["INT32", "INT64", "FLOAT", "DOUBLE"].includes(element.type ?? "")) kind = "number";
  else if (element.type === "BYTE_ARRAY") kind = "string";
  return { name, kind };
}
