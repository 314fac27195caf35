import type { ColumnInfo, ColumnKind, ImportFormat, ImportPreview, ImportRow } from "./types";

/** Rows shown, and read to tell what each column holds. */
export const previewRows = 20;
const inferenceRows = 200;

/** The file's columns (in the order the rows first name them) with what they hold, and its first rows. */
export async function previewFile(format: ImportFormat, path: string): Promise<ImportPreview> {
  let rows: ImportRow[] = [];
  for await (const batch of format.rows(path, { batchSize: inferenceRows })) {
    rows = batch;
    break;
  }
  const names: string[] = [];
  const seen = new Set<string>();
  for (const { values } of rows) {
    for (const name of Object.keys(values)) if (!seen.has(name) && seen.add(name)) names.push(name);
  }
  const columns = names.map((name) => describeColumn(name, rows.map(({ values }) => values[name])));
  const totalRows = format.countRows ? await format.countRows(path) : undefined;
  return { format: format.id, columns, rows: rows.slice(0, previewRows), ...(totalRows !== undefined ? { totalRows } : {}) };
}

/** What a column's values hold: the one kind every non-empty value has, else string (or other, for mixed non-text). */
export function describeColumn(name: string, values: unknown[]): ColumnInfo {
  const present = values.filter((value) => value !== null && value !== undefined && value !== "");
  if (present.length === 0) return { name, kind: "empty" };
  const kinds = new Set(present.map(kindOf));
  const kind: ColumnKind = kinds.size === 1 ? [...kinds][0] : [...kinds].every((each) => each !== "vector" && each !== "other") ? "string" : "other";
  if (kind !== "vector") return { name, kind };
  const lengths = new Set(present.map((value) => vectorValues(value)!.length));
  return lengths.size === 1 ? { name, kind, dims: [...lengths][0] } : { name, kind };
}

function kindOf(value: unknown): ColumnKind {
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "boolean";
  if (value instanceof Date) return "date";
  if (vectorValues(value)) return "vector";
  if (typeof value !== "string") return "other";
  const text = value.trim();
  if (numberPattern.test(text)) return "number";
  if (/^(true|false)$/i.test(text)) return "boolean";
  if (datePattern.test(text) && !Number.isNaN(Date.parse(text))) return "date";
  return "string";
}

const numberPattern = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const datePattern = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A value as a vector's numbers: an array of numbers, or a text holding one as JSON ("[0.1, …]",
 * as CSV files carry them); undefined when it is neither.
 */
export function vectorValues(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value.length > 0 && value.every((item) => typeof item === "number") ? value : undefined;
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (!text.startsWith("[") || !text.endsWith("]")) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.length > 0 && parsed.every((item) => typeof item === "number") ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** As numberPattern allows: what the mapping converts a number column's texts with. */
export function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  return numberPattern.test(trimmed) ? Number(trimmed) : undefined;
}

export function isDateText(text: string): boolean {
  return datePattern.test(text.trim()) && !Number.isNaN(Date.parse(text.trim()));
}
