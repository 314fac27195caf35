import { vectorValues } from "@/lib/imports/preview";
import type { ColumnInfo, ImportRow } from "@/lib/imports/types";
import type { ImportMappingInput } from "./collectionsApi";

/**
 * The import form's choices as plain data: what it pre-selects from a file's preview, and what is
 * still missing before the server is asked. Pure, so the defaults are tested without a browser.
 */

export type MetadataType = "string" | "number" | "boolean" | "date";
export const metadataTypes: readonly MetadataType[] = ["string", "number", "boolean", "date"];

export interface MappingChoice {
  /** Column names; "" for none. */
  text: string;
  id: string;
  vector: string;
  x: string;
  y: string;
  /** Each column kept as metadata, with its type. */
  metadata: Record<string, MetadataType>;
}

/** Names an id column goes by: id, _id, uuid, key, or ending in _id, -id or " id" (ticket_id). */
const idName = /^(_?id|uuid|key)$|[_\- ]id$/i;

/**
 * Pre-selected: the text column with the longest values (of the string columns), an id column
 * (named like one, its values in the preview present and unique), the first vector column, columns named x and y (numbers), and every
 * other column of a plain kind as metadata with its kind as type, up to `maxMetadataKeys`.
 */
export function defaultMapping(columns: ColumnInfo[], rows: ImportRow[], { maxMetadataKeys }: { maxMetadataKeys: number }): MappingChoice {
  const named = (names: string[], kinds: string[]) => columns.find((column) => names.includes(column.name.toLowerCase()) && kinds.includes(column.kind))?.name ?? "";
  const meanLength = (name: string) => rows.reduce((sum, { values }) => sum + String(values[name] ?? "").length, 0) / Math.max(1, rows.length);
  const texts = columns.filter((column) => column.kind === "string");
  const text = texts.reduce<{ name: string; length: number }>((best, column) => {
    const length = meanLength(column.name);
    return length > best.length ? { name: column.name, length } : best;
  }, { name: "", length: 0 }).name;
  const id =
    columns.find((column) => {
      if (!idName.test(column.name) || (column.kind !== "string" && column.kind !== "number")) return false;
      const values = rows.map(({ values }) => String(values[column.name] ?? "").trim());
      return !values.includes("") && new Set(values).size === values.length; // an id is unique, as the import checks
    })?.name ?? "";
  const vector = columns.find((column) => column.kind === "vector")?.name ?? "";
  const x = named(["x"], ["number"]);
  const y = x ? named(["y"], ["number"]) : "";
  const taken = new Set([text, id, vector, ...(x && y ? [x, y] : [])]);
  const metadata: Record<string, MetadataType> = {};
  const room = maxMetadataKeys - (id ? 1 : 0);
  for (const column of columns) {
    if (taken.has(column.name) || Object.keys(metadata).length >= room) continue;
    const type = metadataTypeOf(column.kind);
    if (type) metadata[column.name] = type;
  }
  return { text, id, vector, x: y ? x : "", y, metadata };
}

/** The metadata type a column's kind suggests; undefined for kinds metadata does not keep (vectors, objects). */
export function metadataTypeOf(kind: ColumnInfo["kind"]): MetadataType | undefined {
  if (kind === "string" || kind === "number" || kind === "boolean" || kind === "date") return kind;
  return kind === "empty" ? "string" : undefined;
}

/** What stops the import as chosen, in words; empty when it may start. */
export function mappingProblems(
  choice: MappingChoice,
  { ownVectors, maxMetadataKeys, columns = [], rowsRead = 0 }: { ownVectors: boolean; maxMetadataKeys: number; columns?: ColumnInfo[]; rowsRead?: number },
): string[] {
  const problems: string[] = [];
  if (ownVectors && !choice.vector) problems.push("This collection holds your own vectors: choose the column that holds each row's vector.");
  const vector = columns.find((column) => column.name === choice.vector);
  // Without dims, the rows read disagree on the length (a Parquet schema alone, with no rows read, says nothing of it).
  if (vector?.kind === "vector" && vector.dims === undefined && rowsRead > 0) {
    problems.push(`Column "${vector.name}" holds vectors of different lengths in the first ${rowsRead} rows; every row's vector must have the same length.`);
  }
  if (!choice.text && !choice.vector) problems.push("Choose a text column, a vector column, or both.");
  if (Boolean(choice.x) !== Boolean(choice.y)) problems.push("x and y go together: choose both or neither.");
  const kept = Object.keys(choice.metadata).length + (choice.id && !("id" in choice.metadata) ? 1 : 0);
  if (kept > maxMetadataKeys) problems.push(`A row keeps at most ${maxMetadataKeys} metadata values (the id counts as one); ${kept} are chosen.`);
  return problems;
}

/** The mapping as the API takes it (importMappingSchema): unchosen roles left out. */
export function toMappingInput(choice: MappingChoice): ImportMappingInput {
  const roles = (["text", "id", "vector", "x", "y"] as const).filter((role) => choice[role] !== "");
  return { ...Object.fromEntries(roles.map((role) => [role, choice[role]])), metadata: choice.metadata };
}

/** A cell of the preview table: texts cut, vectors summarised, nothing as an empty cell. */
export function previewCell(value: unknown, maxLength = 80): string {
  if (value === null || value === undefined) return "";
  const numbers = vectorValues(value) as number[] | undefined;
  if (numbers) return `[${numbers.slice(0, 3).map((item) => Number(item.toPrecision(3))).join(", ")}${numbers.length > 3 ? ", …" : ""}] (${numbers.length})`;
  const text = value instanceof Date ? value.toISOString() : typeof value === "object" ? JSON.stringify(value) : String(value);
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
