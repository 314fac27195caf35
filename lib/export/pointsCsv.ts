import { fromSql, toSql } from "../vectors";
import { formatCsvRecords, parseCsvRecords } from "./csvFormat";

/**
 * The map's points as CSV: `text,group,x,y[,vector]`, one row per point.
 *
 * Formula injection: Excel, LibreOffice and Google Sheets run a cell that starts with `=`, `+`,
 * `-` or `@` (and, in some versions, tab or CR) as a formula, so a typed word like
 * `=HYPERLINK("http://evil","click")` would become a live link. Following OWASP's advice, such text
 * fields get a leading `'`, which spreadsheets read as "this is text" and do not display. Text that
 * already starts with `'` gets one more, so the rule is reversible and `fromCsv` gives back exactly
 * what was written: strip one leading `'`. Only the text columns are guarded; x, y and vector are
 * numbers we format ourselves (a negative x must stay `-1.5`, not `'-1.5`).
 */

export interface PointRow {
  text: string;
  /** Group name; "" for none. */
  group: string;
  x: number;
  y: number;
  /** The embedding, written as pgvector text `[0.1,0.2,…]` in one field. */
  vector?: readonly number[];
}

export interface ToCsvOptions {
  /** Start with a UTF-8 byte-order mark so Excel reads non-ASCII text correctly. Default false. */
  bom?: boolean;
}

const header = ["text", "group", "x", "y"] as const;
const formulaStart = /^[=+\-@\t\r']/;

/** A text field made safe to open in a spreadsheet (see the module comment). */
export function guardFormula(text: string): string {
  return formulaStart.test(text) ? `'${text}` : text;
}

/** Undoes `guardFormula`. */
export function unguardFormula(field: string): string {
  return field.startsWith("'") ? field.slice(1) : field;
}

/** Rows → CSV. The vector column is written only when some row has a vector. */
export function toCsv(rows: readonly PointRow[], options: ToCsvOptions = {}): string {
  const withVectors = rows.some((row) => row.vector !== undefined);
  const records = [
    withVectors ? [...header, "vector"] : [...header],
    ...rows.map((row) => {
      const fields = [guardFormula(row.text), guardFormula(row.group), formatNumber(row.x, "x"), formatNumber(row.y, "y")];
      if (withVectors) fields.push(row.vector ? toSql(row.vector) : "");
      return fields;
    }),
  ];
  return (options.bom ? "\uFEFF" : "") + formatCsvRecords(records);
}

/**
 * CSV written by `toCsv` (or by a spreadsheet from it) → rows. Throws with the line and column
 * when the header is not `text,group,x,y[,vector]` or a number does not parse.
 */
export function fromCsv(csv: string): PointRow[] {
  const [head, ...records] = parseCsvRecords(csv);
  if (!head) return [];
  const withVectors = head.length === 5 && head[4] === "vector";
  if (!header.every((name, column) => head[column] === name) || head.length !== (withVectors ? 5 : 4)) {
    throw new Error(`CSV header must be "text,group,x,y" or "text,group,x,y,vector", got "${head.join(",")}".`);
  }
  return records.map((fields, index) => {
    const line = index + 2;
    if (fields.length !== head.length) throw new Error(`CSV line ${line}: expected ${head.length} fields, got ${fields.length}.`);
    const row: PointRow = {
      text: unguardFormula(fields[0]),
      group: unguardFormula(fields[1]),
      x: parseNumber(fields[2], "x", line),
      y: parseNumber(fields[3], "y", line),
    };
    if (withVectors && fields[4] !== "") {
      try {
        row.vector = fromSql(fields[4]);
      } catch (error) {
        throw new Error(`CSV line ${line}: vector: ${(error as Error).message}`);
      }
    }
    return row;
  });
}

function formatNumber(value: number, column: string): string {
  if (!Number.isFinite(value)) throw new Error(`${column} must be a finite number, got ${value}.`);
  return String(value);
}

function parseNumber(field: string, column: string, line: number): number {
  const value = Number(field);
  if (field.trim() === "" || !Number.isFinite(value)) {
    throw new Error(`CSV line ${line}: ${column} must be a number, got ${JSON.stringify(field)}.`);
  }
  return value;
}
