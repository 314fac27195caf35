import { ByteWriter, ParquetWriter, type SchemaElement } from "hyparquet-writer";
import type { ExportChunkRow } from "../../db/export-queries";
import { valueAsText, type ColumnKind, type ExportColumn, type ExportValue } from "./columns";
import type { ExportInfo, ExportWriter } from "./formats";

/**
 * Parquet through hyparquet-writer's incremental ParquetWriter: a row group is encoded (snappy),
 * its bytes handed on and the buffer reused, then the next one is read; the
 * footer (schema, row groups, page indexes: a few hundred bytes a row group) goes last. So memory
 * follows one row group, not the file, and no temporary file is needed. Vectors are a list of
 * floats (float32, as pgvector stores them); x and y floats; metadata strings, doubles or booleans.
 * The collection's id, name, model and dims are in the file's key-value metadata.
 */

/**
 * Rows per row group (a reader's unit of work): 2,000 rows of 384-d vectors are ~1.3 MB on disk.
 * Measured exporting 200k such rows from PostgreSQL: RSS grows by ~320 MB at 2,000 rows a group,
 * ~760 MB at 10,000 (the writer expands a group into arrays of every float and its levels).
 */
export const parquetRowGroupRows = 2_000;

export const writeParquet: ExportWriter = async function* (pages, info) {
  const writer = new ByteWriter(1 << 20);
  const parquet = new ParquetWriter({ writer, schema: parquetSchema(info.columns), kvMetadata: keyValueMetadata(info), createdBy: "embeddings-notebook" });
  let group: ExportChunkRow[] = [];
  for await (const page of pages) {
    group = group.concat(page);
    if (group.length >= parquetRowGroupRows) {
      parquet.write({ columnData: rowGroup(info.columns, group), rowGroupSize: group.length });
      group = [];
      yield takeBytes(writer);
    }
  }
  if (group.length > 0) parquet.write({ columnData: rowGroup(info.columns, group), rowGroupSize: group.length });
  parquet.finish();
  yield takeBytes(writer);
};

/** What the writer holds so far, copied out; the writer then starts again at the front of its buffer. */
function takeBytes(writer: ByteWriter): Uint8Array {
  const bytes = new Uint8Array(writer.buffer.slice(0, writer.index));
  writer.index = 0;
  return bytes;
}

function rowGroup(columns: ExportColumn[], rows: ExportChunkRow[]) {
  return columns.map((column) => ({
    name: column.name,
    data: rows.map((row) => parquetValue(column.kind, column.value(row))),
    ...(column.kind === "vector" ? vectorEncoding : {}),
  }));
}

/**
 * Floats byte-stream-split (each float's first bytes together, then its second…), which snappy
 * then compresses, where plain floats do not shrink at all; no min/max statistics, which over a
 * vector's numbers answer no query.
 */
const vectorEncoding = { encoding: "BYTE_STREAM_SPLIT", statistics: false } as const;

function parquetValue(kind: ColumnKind, value: ExportValue): unknown {
  if (value === null) return null;
  switch (kind) {
    case "string":
      return valueAsText(value);
    default:
      return value;
  }
}

const physical: Record<Exclude<ColumnKind, "vector">, SchemaElement> = {
  string: { name: "", type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: { type: "STRING" } },
  float: { name: "", type: "FLOAT" },
  double: { name: "", type: "DOUBLE" },
  boolean: { name: "", type: "BOOLEAN" },
};

export function parquetSchema(columns: ExportColumn[]): SchemaElement[] {
  const schema: SchemaElement[] = [{ name: "root", num_children: columns.length }];
  for (const column of columns) {
    const repetition_type = column.nullable ? "OPTIONAL" : "REQUIRED";
    if (column.kind === "vector") {
      schema.push(
        { name: column.name, repetition_type, converted_type: "LIST", logical_type: { type: "LIST" }, num_children: 1 },
        { name: "list", repetition_type: "REPEATED", num_children: 1 },
        { name: "element", type: "FLOAT", repetition_type: "REQUIRED" },
      );
    } else {
      schema.push({ ...physical[column.kind], name: column.name, repetition_type });
    }
  }
  return schema;
}

function keyValueMetadata({ collection, dims }: ExportInfo): { key: string; value: string }[] {
  return [
    { key: "collection.id", value: collection.id },
    { key: "collection.name", value: collection.name },
    { key: "collection.model", value: collection.model },
    ...(dims === null ? [] : [{ key: "collection.dims", value: String(dims) }]),
  ];
}
