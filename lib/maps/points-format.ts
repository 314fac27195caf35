/**
 * A collection's map points for the browser, as binary columns rather than JSON (1M points: 8 MB
 * of positions, where JSON would be ~40 MB):
 *
 *   uint32 (little-endian)  byte length H of the header
 *   H bytes                 the header, JSON: { version, count, columns: [{ name, type, offset, … }] }
 *   padding to 4 bytes, then each column at its offset (from the start of the body):
 *   x, y                    float32 × count, little-endian, in chunk id order
 *   category                uint16 × count, with `color` naming a metadata key whose values are
 *                           not all numbers: an index into the column's `categories` ({ value,
 *                           count }, most common first; 65535: no value; past 1,000 values the
 *                           rest share "(other)")
 *   value                   float32 × count, when that key's values are all numbers (NaN: none)
 */


/** Categories named in the header; the rarer values share one index. */
export const maxCategories = 1_000;
export const noCategory = 0xffff;
const other = "(other)";

export interface PointsColumn {
  name: "x" | "y" | "category" | "value";
  type: "float32" | "uint16";
  offset: number;
  /** The metadata key of a category or value column. */
  key?: string;
  categories?: { value: string; count: number }[];
  missing?: number;
}

export interface PointsHeader {
  version: string;
  count: number;
  columns: PointsColumn[];
}

export interface DecodedPoints {
  header: PointsHeader;
  x: Float32Array;
  y: Float32Array;
  category?: Uint16Array;
  value?: Float32Array;
}

/** Reads the body GET /api/collections/:id/points sends (views into `buffer`, no copies). */
export function decodePoints(buffer: ArrayBuffer): DecodedPoints {
  const headerLength = new DataView(buffer).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, headerLength))) as PointsHeader;
  const column = <T>(name: PointsColumn["name"], make: (offset: number) => T): T | undefined => {
    const found = header.columns.find((each) => each.name === name);
    return found ? make(found.offset) : undefined;
  };
  return {
    header,
    x: column("x", (offset) => new Float32Array(buffer, offset, header.count))!,
    y: column("y", (offset) => new Float32Array(buffer, offset, header.count))!,
    category: column("category", (offset) => new Uint16Array(buffer, offset, header.count)),
    value: column("value", (offset) => new Float32Array(buffer, offset, header.count)),
  };
}

export function encodePoints({ version, xs, ys, color, values, numeric }: { version: string; xs: number[]; ys: number[]; color?: string; values: (string | null)[]; numeric: boolean }) {
  const count = xs.length;
  const columns: PointsColumn[] = [
    { name: "x", type: "float32", offset: 0 },
    { name: "y", type: "float32", offset: 0 },
  ];
  let categories: { value: string; count: number }[] | undefined;
  if (color !== undefined && numeric) columns.push({ name: "value", type: "float32", offset: 0, key: color });
  if (color !== undefined && !numeric) {
    const counts = new Map<string, number>();
    for (const value of values) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
    const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    categories = sorted.slice(0, maxCategories).map(([value, n]) => ({ value, count: n }));
    const rest = sorted.slice(maxCategories).reduce((sum, [, n]) => sum + n, 0);
    if (rest > 0) categories.push({ value: other, count: rest });
    columns.push({ name: "category", type: "uint16", offset: 0, key: color, categories, missing: noCategory });
  }
  // Offsets: each column starts on a 4-byte boundary after the header.
  const sizes = columns.map((column) => (column.type === "uint16" ? 2 : 4) * count);
  const encoder = new TextEncoder();
  let header = new Uint8Array(0);
  let start = 0;
  // The header holds the offsets, which depend on its own length: two rounds settle it.
  for (let round = 0; round < 3; round++) {
    start = align4(4 + header.byteLength);
    let offset = start;
    columns.forEach((column, i) => {
      column.offset = offset;
      offset = align4(offset + sizes[i]);
    });
    header = encoder.encode(JSON.stringify({ version, count, columns }));
  }
  const total = columns.reduce((end, column, i) => align4(column.offset + sizes[i]), start);
  const bytes = new Uint8Array(new ArrayBuffer(total));
  new DataView(bytes.buffer).setUint32(0, header.byteLength, true);
  bytes.set(header, 4);
  new Float32Array(bytes.buffer, columns[0].offset, count).set(xs);
  new Float32Array(bytes.buffer, columns[1].offset, count).set(ys);
  const third = columns[2];
  if (third?.name === "value") new Float32Array(bytes.buffer, third.offset, count).set(values.map((value) => (value === null ? NaN : Number(value))));
  if (third?.name === "category" && categories) {
    const index = new Map(categories.map((category, i) => [category.value, i]));
    const otherIndex = index.get(other);
    const column = new Uint16Array(bytes.buffer, third.offset, count);
    values.forEach((value, i) => (column[i] = value === null ? noCategory : (index.get(value) ?? otherIndex ?? noCategory)));
  }
  return bytes;
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
