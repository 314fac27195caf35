import type { ExportChunkRow, ExportShape } from "../../db/export-queries";

/**
 * The columns of a collection's export, the same in every format: `id` (the chunk's public id),
 * `document`, `text`, `x`, `y`, one column per metadata key, and `vector` when asked. A metadata
 * key that is also one of these names (an imported table's `id`, say) becomes `metadata.<key>`,
 * so nothing is overwritten and the column still says where it came from.
 */

/** What a column holds; it picks the Parquet type, and how CSV writes a value as text. */
export type ColumnKind = "string" | "float" | "double" | "boolean" | "vector";

/** A value as it leaves the database: metadata is JSON, a vector pgvector's text (JSON too) or its numbers. */
export type ExportValue = string | number | boolean | null | readonly unknown[] | { readonly [key: string]: unknown };

export interface ExportColumn {
  name: string;
  kind: ColumnKind;
  /** Whether a row may have no value (null). */
  nullable: boolean;
  /** For a metadata column: the key it reads. */
  key?: string;
  value(row: ExportChunkRow): ExportValue;
}

/** Metadata columns an export may have: a collection whose chunks use more keys is refused, not cut. */
export const maxMetadataColumns = 1_000;

const fixedNames = ["id", "document", "text", "x", "y", "vector"];

const fixedColumns: ExportColumn[] = [
  { name: "id", kind: "string", nullable: false, value: (row) => row.chunkId },
  { name: "document", kind: "string", nullable: false, value: (row) => row.documentId },
  { name: "text", kind: "string", nullable: false, value: (row) => row.text },
  { name: "x", kind: "float", nullable: true, value: (row) => row.x },
  { name: "y", kind: "float", nullable: true, value: (row) => row.y },
];

const vectorColumn: ExportColumn = { name: "vector", kind: "vector", nullable: true, value: (row) => row.vector };

/** The export's columns for a collection of this shape, in file order. */
export function exportColumns(shape: Pick<ExportShape, "metadata">, { vectors }: { vectors: boolean }): ExportColumn[] {
  const metadata = shape.metadata.map(({ key, types }): ExportColumn => ({
    name: fixedNames.includes(key) ? `metadata.${key}` : key,
    kind: metadataKind(types),
    nullable: true,
    key,
    value: (row) => metadataValue(row.metadata, key),
  }));
  return [...fixedColumns, ...metadata, ...(vectors ? [vectorColumn] : [])];
}

/**
 * One JSON type for every value keeps its type (numbers as doubles, which hold any JSON number
 * the app stores); mixed types, or objects and arrays, are written as text.
 */
function metadataKind(types: string[]): ColumnKind {
  const present = types.filter((type) => type !== "null");
  if (present.length === 1 && present[0] === "number") return "double";
  if (present.length === 1 && present[0] === "boolean") return "boolean";
  return "string";
}

/** Own keys only: a key such as `__proto__` or `constructor` must read the row's value, never Object.prototype's. */
function metadataValue(metadata: ExportChunkRow["metadata"], key: string): ExportValue {
  return Object.hasOwn(metadata, key) ? ((metadata[key] ?? null) as ExportValue) : null;
}

/**
 * A value as one text (CSV, and Parquet's text columns): numbers and booleans as JSON writes
 * them, objects and arrays as JSON, a missing value as "". A vector is already its JSON text.
 */
export function valueAsText(value: ExportValue): string {
  if (value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}
