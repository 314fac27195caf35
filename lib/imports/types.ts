/**
 * A table to import into a collection (issue 16): rows of named columns, read from a file on this
 * server's disk in batches, never all of it in memory.
 */

/** One row as the file has it: `row` counts data rows from 1 (a header is not a row), as errors name them. */
export interface ImportRow {
  row: number;
  values: Record<string, unknown>;
}

/** What a column holds, as far as the rows read so far tell. */
export type ColumnKind = "string" | "number" | "boolean" | "date" | "vector" | "other" | "empty";

export interface ColumnInfo {
  name: string;
  kind: ColumnKind;
  /** For a vector column: its length in the rows read, when they agree. */
  dims?: number;
}

/** A file's columns and first rows, for choosing the mapping. */
export interface ImportPreview {
  format: string;
  columns: ColumnInfo[];
  rows: ImportRow[];
  /** Rows in the file, when the format says so without reading them all (Parquet). */
  totalRows?: number;
}

export interface ReadOptions {
  /** Rows per batch (the last may be shorter). */
  batchSize: number;
  /** Skip the rows before this one (1-based): a resumed import. */
  fromRow?: number;
  signal?: AbortSignal;
}

/**
 * A file format: one folder file under formats/ plus one line in registry.ts. Readers take a path
 * (uploads are streamed to disk first: Parquet needs random access, and a resumed job reads the
 * file again) and throw AppError `bad_request:file` naming the row where the file is malformed.
 */
export interface ImportFormat {
  id: string;
  label: string;
  /** File name endings, lower case, without the dot. */
  extensions: string[];
  mediaTypes: string[];
  rows(path: string, options: ReadOptions): AsyncIterable<ImportRow[]>;
  /** Rows in the file when known without reading every row. */
  countRows?(path: string): Promise<number>;
}
