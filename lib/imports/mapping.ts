import { z } from "zod";
import { AppError } from "../api/errors";
import { collectionLimits } from "../collections/schemas";
import { isDateText, parseNumber, vectorValues } from "./preview";
import type { ColumnInfo, ImportRow } from "./types";

/**
 * Which of a file's columns become what (issue 16): the text to embed and search, an id of the
 * row's own, metadata kept with it (typed), its own vector, and its own map position. Checked
 * against the file's columns before anything is stored, then applied row by row; a value that does
 * not fit names its row and column (`row 4,812: column "vector" has 383 numbers, expected 384`).
 */

export const metadataTypes = ["string", "number", "boolean", "date"] as const;
export type MetadataType = (typeof metadataTypes)[number];

const columnName = z.string().min(1, "must name a column").max(256);

export const importMappingSchema = z
  .strictObject({
    text: columnName.optional().describe("The column holding each row's text: embedded (unless `vector` is given) and searched by keyword."),
    id: columnName.optional().describe("A column holding each row's own id (kept as metadata `id`); unique within the file."),
    metadata: z
      .union([z.array(columnName), z.record(columnName, z.enum(metadataTypes))])
      .default([])
      .describe(
        'Columns kept as metadata: a list keeps each value as the file has it (text in CSV and TSV); an object gives each a type ({"year": "number", "released": "date"}), to which every value must convert. A date is kept as its ISO 8601 text.',
      ),
    vector: columnName.optional().describe("A column holding each row's own vector (a list of numbers; in CSV, as JSON text: [0.1, …])."),
    x: columnName.optional().describe("With `y`: columns holding each row's own map position."),
    y: columnName.optional(),
  })
  .refine((mapping) => mapping.text !== undefined || mapping.vector !== undefined, { message: "name a text column, a vector column, or both", path: ["text"] })
  .refine((mapping) => (mapping.x === undefined) === (mapping.y === undefined), { message: "x and y go together: name both or neither", path: ["x"] });

export type ImportMapping = z.infer<typeof importMappingSchema>;

/** The `mapping` field of an import request (JSON text), checked; 400 `bad_request:mapping` naming what is wrong. */
export function parseMappingField(text: string | undefined): ImportMapping {
  if (text === undefined || text.trim() === "") {
    throw new AppError("bad_request:mapping", 'The import has no mapping: send a "mapping" field with JSON naming the columns, e.g. {"text": "description", "metadata": ["section"]}.');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AppError("bad_request:mapping", `mapping is not valid JSON: ${(error as Error).message}.`);
  }
  const parsed = importMappingSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = ["mapping", ...issue.path.map(String)].join(".");
    const message = issue.code === "unrecognized_keys" ? `has unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((key) => JSON.stringify(key.slice(0, 40))).join(", ")}` : issue.message;
    throw new AppError("bad_request:mapping", `${where} ${message}.`);
  }
  return parsed.data;
}

/** One row as the collection stores it. */
export interface MappedRow {
  row: number;
  text: string | null;
  id: string | null;
  metadata: Record<string, string | number | boolean>;
  vector: number[] | null;
  position: { x: number; y: number } | null;
}

/**
 * A column's name as a metadata key: 1–64 letters (of any script, so 发布日期 stays as it is),
 * digits, "_", "." or "-"; other characters (spaces, punctuation) become "_".
 */
export function metadataKey(column: string): string {
  return [...column.replace(/[^\p{L}\p{N}_.-]/gu, "_")].slice(0, 64).join("") || "_";
}

/** The metadata columns with their types (undefined: as the file has it). */
export function metadataColumns(mapping: ImportMapping): { column: string; key: string; type: MetadataType | undefined }[] {
  const entries: [string, MetadataType | undefined][] = Array.isArray(mapping.metadata)
    ? mapping.metadata.map((column) => [column, undefined])
    : Object.entries(mapping.metadata);
  return entries.map(([column, type]) => ({ column, key: metadataKey(column), type }));
}

/**
 * Throws 400 `bad_request:mapping` when the mapping names a column the file does not have, two
 * metadata columns would share a key, or there are more than a document may carry.
 */
export function checkMapping(mapping: ImportMapping, columns: ColumnInfo[]): void {
  const names = new Set(columns.map((column) => column.name));
  const listed = columns.map((column) => JSON.stringify(column.name)).join(", ");
  const named: [string, string | undefined][] = [
    ["text", mapping.text],
    ["id", mapping.id],
    ["vector", mapping.vector],
    ["x", mapping.x],
    ["y", mapping.y],
    ...metadataColumns(mapping).map(({ column }): [string, string] => ["metadata", column]),
  ];
  for (const [role, column] of named) {
    if (column !== undefined && !names.has(column)) {
      throw new AppError("bad_request:mapping", `mapping.${role} names column "${column}", which the file does not have; its columns are ${listed}.`);
    }
  }
  const keys = new Map<string, string>();
  const reserved = mapping.id !== undefined ? new Map([["id", mapping.id]]) : new Map<string, string>();
  for (const { column, key } of metadataColumns(mapping)) {
    const other = keys.get(key) ?? reserved.get(key);
    if (other !== undefined && other !== column) {
      throw new AppError("bad_request:mapping", `Metadata columns "${other}" and "${column}" would both be kept as "${key}"; keep one of them.`);
    }
    keys.set(key, column);
  }
  const total = keys.size + (mapping.id !== undefined && !keys.has("id") ? 1 : 0);
  if (total > collectionLimits.maxMetadataKeys) {
    throw new AppError("bad_request:mapping", `A row may keep at most ${collectionLimits.maxMetadataKeys} metadata values (the id counts as one); this mapping keeps ${total}.`);
  }
  const vectorColumn = columns.find((column) => column.name === mapping.vector);
  if (vectorColumn && vectorColumn.kind !== "vector" && vectorColumn.kind !== "empty") {
    throw new AppError("bad_request:mapping", `mapping.vector names column "${vectorColumn.name}", whose first rows hold ${vectorColumn.kind} values, not lists of numbers.`);
  }
}

/** Applies a checked mapping to rows; remembers the vectors' dimension from the first row that has one. */
export class RowMapper {
  private readonly metadata: ReturnType<typeof metadataColumns>;

  constructor(
    private readonly mapping: ImportMapping,
    /** The dimension every vector must have; the first vector's when undefined. */
    public dims?: number,
  ) {
    this.metadata = metadataColumns(mapping);
  }

  map({ row, values }: ImportRow): MappedRow {
    const { mapping } = this;
    const metadata: MappedRow["metadata"] = {};
    for (const { column, key, type } of this.metadata) {
      const value = metadataValue(row, column, values[column], type);
      if (value !== undefined) metadata[key] = value;
    }
    const id = mapping.id === undefined ? null : idValue(row, mapping.id, values[mapping.id]);
    if (id !== null) metadata.id = id;
    return {
      row,
      text: mapping.text === undefined ? null : textValue(row, mapping.text, values[mapping.text]),
      id,
      metadata,
      vector: mapping.vector === undefined ? null : this.vector(row, mapping.vector, values[mapping.vector]),
      position: mapping.x === undefined || mapping.y === undefined ? null : position(row, mapping.x, values[mapping.x], mapping.y, values[mapping.y]),
    };
  }

  private vector(row: number, column: string, value: unknown): number[] {
    const numbers = vectorValues(value);
    if (!numbers) throw rowError(row, column, `holds ${describe(value)}, not a list of numbers`);
    if (this.dims !== undefined && numbers.length !== this.dims) throw rowError(row, column, `has ${numbers.length} numbers, expected ${this.dims}`);
    const at = numbers.findIndex((number) => !Number.isFinite(number));
    if (at >= 0) throw rowError(row, column, `has ${String(numbers[at])} at position ${at + 1}; every number must be finite`);
    if (numbers.every((number) => number === 0)) throw rowError(row, column, "is all zeros, which has no direction to compare");
    this.dims ??= numbers.length;
    return numbers as number[];
  }
}

function textValue(row: number, column: string, value: unknown): string {
  if (typeof value !== "string" && typeof value !== "number") throw rowError(row, column, `holds ${describe(value)}, not text`);
  const text = String(value).normalize("NFC").replace(/\r\n?/g, "\n").trim();
  if (text === "") throw rowError(row, column, "is empty; every row needs its text");
  if (text.length > collectionLimits.maxDocumentLength) {
    throw rowError(row, column, `has ${text.length.toLocaleString("en")} characters; a row's text may have at most ${collectionLimits.maxDocumentLength.toLocaleString("en")}`);
  }
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text)) throw rowError(row, column, "holds a control character");
  return text;
}

function idValue(row: number, column: string, value: unknown): string {
  if (typeof value !== "string" && typeof value !== "number") throw rowError(row, column, `holds ${describe(value)}; an id is a text or a number`);
  const id = String(value).trim();
  if (id === "") throw rowError(row, column, "is empty; every row needs its id");
  if (id.length > collectionLimits.maxMetadataValueLength) throw rowError(row, column, `is ${id.length} characters long; an id may have at most ${collectionLimits.maxMetadataValueLength}`);
  return id;
}

/** A row's own map position; none when both cells are empty (an export made before the map had a layout), an error when one is. */
function position(row: number, xColumn: string, x: unknown, yColumn: string, y: unknown): { x: number; y: number } | null {
  const empty = (value: unknown) => value === null || value === undefined || value === "";
  if (empty(x) && empty(y)) return null;
  return { x: coordinate(row, xColumn, x), y: coordinate(row, yColumn, y) };
}

function coordinate(row: number, column: string, value: unknown): number {
  const number = typeof value === "number" ? value : typeof value === "string" ? parseNumber(value) : undefined;
  if (number === undefined || !Number.isFinite(number)) throw rowError(row, column, `holds ${describe(value)}, not a finite number`);
  return number;
}

function metadataValue(row: number, column: string, value: unknown, type: MetadataType | undefined): string | number | boolean | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  const checked = (kept: string | number | boolean) => {
    if (typeof kept === "string" && kept.length > collectionLimits.maxMetadataValueLength) {
      throw rowError(row, column, `has ${kept.length} characters; a metadata value may have at most ${collectionLimits.maxMetadataValueLength}`);
    }
    if (typeof kept === "number" && !Number.isFinite(kept)) throw rowError(row, column, `holds ${kept}; a number must be finite`);
    return kept;
  };
  switch (type) {
    case undefined:
      if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return checked(value);
      if (value instanceof Date) return checked(value.toISOString());
      throw rowError(row, column, `holds ${describe(value)}; metadata keeps texts, numbers and booleans`);
    case "string":
      if (typeof value === "object" && !(value instanceof Date)) throw rowError(row, column, `holds ${describe(value)}, not a text`);
      return checked(value instanceof Date ? value.toISOString() : String(value));
    case "number": {
      const number = typeof value === "number" ? value : typeof value === "string" ? parseNumber(value) : undefined;
      if (number === undefined) throw rowError(row, column, `holds ${describe(value)}, not a number`);
      return checked(number);
    }
    case "boolean": {
      if (typeof value === "boolean") return value;
      const text = String(value).trim().toLowerCase();
      if (["true", "yes", "1"].includes(text)) return true;
      if (["false", "no", "0"].includes(text)) return false;
      throw rowError(row, column, `holds ${describe(value)}, not a boolean (true/false, yes/no, 1/0)`);
    }
    case "date": {
      if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
      if (typeof value === "string" && isDateText(value)) return new Date(value.trim()).toISOString();
      throw rowError(row, column, `holds ${describe(value)}, not a date (ISO 8601, e.g. 2024-05-31 or 2024-05-31T12:00:00Z)`);
    }
  }
}

export function rowError(row: number, column: string, problem: string): AppError {
  return new AppError("bad_request:row", `row ${row.toLocaleString("en")}: column "${column}" ${problem}.`, { details: { row, column } });
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (typeof value === "string") return value.length > 40 ? JSON.stringify(`${value.slice(0, 37)}...`) : JSON.stringify(value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === "object") return "an object";
  return String(value);
}
