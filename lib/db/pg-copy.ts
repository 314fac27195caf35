/**
 * PostgreSQL's binary COPY format, for bulk loads into PGlite (`COPY … FROM '/dev/blob' WITH
 * (FORMAT binary)`). Binary skips parsing: a vector's 100 floats as text cost PGlite (WASM) about
 * twice as long to read as the whole binary row. Only the column types the app bulk-loads.
 * Format: https://www.postgresql.org/docs/current/sql-copy.html#SQL-COPY-BINARY-FORMAT
 */

/** One column value: `int4` and `int8` (a bigint) for integers, `float4` for reals, `text` for strings, `vector` (pgvector) for float arrays, `null` for NULL. */
export type CopyValue = { int4: number } | { int8: bigint } | { float4: number } | { text: string } | { vector: ArrayLike<number> } | null;

const signature = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]; // "PGCOPY\n\377\r\n\0"
const headerBytes = signature.length + 4 + 4; // + flags + header extension length
const encoder = new TextEncoder();

/** The rows as one binary COPY stream: header, one tuple per row (columns in table order), trailer. */
export function encodeBinaryCopy(rows: readonly (readonly CopyValue[])[]): Uint8Array<ArrayBuffer> {
  const encoded = rows.map((row) => row.map(encodeValue));
  let size = headerBytes + 2;
  for (const row of encoded) size += 2 + row.reduce((sum, field) => sum + 4 + (field?.byteLength ?? 0), 0);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes.set(signature, 0); // flags and extension length stay 0
  let at = headerBytes;
  for (const row of encoded) {
    view.setInt16(at, row.length);
    at += 2;
    for (const field of row) {
      if (field === null) {
        view.setInt32(at, -1); // a NULL: length −1 and no bytes
        at += 4;
        continue;
      }
      view.setInt32(at, field.byteLength);
      bytes.set(field, at + 4);
      at += 4 + field.byteLength;
    }
  }
  view.setInt16(at, -1);
  return bytes;
}

function encodeValue(value: CopyValue): Uint8Array | null {
  if (value === null) return null;
  if ("text" in value) return encoder.encode(value.text);
  if ("float4" in value) {
    if (!Number.isFinite(value.float4)) throw new Error(`COPY: a real must be finite, not ${value.float4}.`);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value.float4);
    return bytes;
  }
  if ("int8" in value) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigInt64(0, value.int8);
    return bytes;
  }
  if ("int4" in value) {
    if (!Number.isInteger(value.int4) || Math.abs(value.int4) > 2 ** 31 - 1) {
      throw new Error(`COPY: an int4 must be a whole number within ±2,147,483,647, not ${value.int4}.`);
    }
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setInt32(0, value.int4);
    return bytes;
  }
  // pgvector's vector_recv: int16 dimensions, int16 unused (0), then big-endian float4s.
  const { vector } = value;
  if (vector.length < 1 || vector.length > 16_000) {
    throw new Error(`COPY: a vector must have 1 to 16,000 dimensions, not ${vector.length}.`);
  }
  const bytes = new Uint8Array(4 + 4 * vector.length);
  const view = new DataView(bytes.buffer);
  view.setInt16(0, vector.length);
  for (let i = 0; i < vector.length; i++) {
    if (!Number.isFinite(vector[i])) throw new Error(`COPY: vector element ${i} is ${vector[i]}; pgvector takes finite numbers only.`);
    view.setFloat32(4 + 4 * i, vector[i]);
  }
  return bytes;
}
