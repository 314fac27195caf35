/** Vector math and (de)serialisation shared by the server and the plots. */

/** Euclidean length. */
export function norm(vector: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i] * vector[i];
  return Math.sqrt(sum);
}

/**
 * Scales to unit length, rounded the way pgvector stores and prints it (float32, shortest decimal),
 * so a vector read back from the database equals the one computed fresh, number for number.
 * Throws on a zero or non-finite vector: it has no direction.
 */
export function normalize(vector: ArrayLike<number>): number[] {
  // Scale by the largest magnitude first, so huge (1e308) or tiny (denormal) values don't
  // overflow or underflow the length.
  let largest = 0;
  for (let i = 0; i < vector.length; i++) largest = Math.max(largest, Math.abs(vector[i]));
  if (!Number.isFinite(largest) || largest === 0) {
    throw new Error(`Cannot normalise a vector whose largest component is ${largest}: it has no direction.`);
  }
  const scaled = Array.from(vector, (value) => value / largest);
  const length = norm(scaled);
  return scaled.map((value) => toFloat32Decimal(value / length));
}

/**
 * `normalize` for vectors that are stored in binary (a bulk COPY writes float32s): the same unit
 * vector without the shortest-decimal rounding, which is for vectors sent as JSON and costs 40× as
 * much (1.7 s for 10,000 rows of 384 numbers).
 */
export function normalizeToFloat32(vector: ArrayLike<number>): Float32Array {
  let largest = 0;
  for (let i = 0; i < vector.length; i++) largest = Math.max(largest, Math.abs(vector[i]));
  if (!Number.isFinite(largest) || largest === 0) {
    throw new Error(`Cannot normalise a vector whose largest component is ${largest}: it has no direction.`);
  }
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += (vector[i] / largest) ** 2;
  const length = Math.sqrt(sum) * largest;
  return Float32Array.from(vector, (value) => value / length);
}

/**
 * The shortest decimal that reads back as the same float32: what PostgreSQL prints for a float4
 * (and pgvector for each element). `Math.fround` alone gives the float32's exact binary value,
 * e.g. 0.04419417306780815 where PostgreSQL prints 0.044194173.
 */
export function toFloat32Decimal(value: number): number {
  const single = Math.fround(value);
  if (single === 0 || !Number.isFinite(single)) return single;
  // 9 significant digits always suffice for a float32, and if d digits read back as `single`, so do
  // d + 1 (the d-digit decimal is also a (d + 1)-digit one, and the nearest (d + 1)-digit decimal is
  // at least as near). A float32 from a model almost always needs 8 or 9, so start at 8 and walk
  // down while it still reads back: two tries for nearly every value.
  const eight = Number(single.toPrecision(8));
  if (Math.fround(eight) !== single) return Number(single.toPrecision(9));
  let fewest = eight;
  for (let digits = 7; digits >= 1; digits--) {
    const candidate = Number(single.toPrecision(digits));
    if (Math.fround(candidate) !== single) break;
    fewest = candidate;
  }
  return fewest;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`Dimension mismatch: ${a.length} vs ${b.length}.`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

/** Cosine similarity in [-1, 1]; 0 when either vector is zero. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const lengths = norm(a) * norm(b);
  return lengths === 0 ? 0 : clamp(dot(a, b) / lengths, -1, 1);
}

/**
 * Cosine similarity of every pair. Symmetric, with an exact 1 on the diagonal (for non-zero
 * vectors) so float noise never shows as 0.9999999 next to a word's own cell.
 */
export function cosineMatrix(vectors: ArrayLike<number>[]): number[][] {
  const unit = vectors.map((vector) => {
    const length = norm(vector);
    return length === 0 ? Array.from(vector) : Array.from(vector, (value) => value / length);
  });
  const matrix = unit.map(() => new Array<number>(unit.length).fill(0));
  for (let i = 0; i < unit.length; i++) {
    matrix[i][i] = norm(unit[i]) === 0 ? 0 : 1;
    for (let j = i + 1; j < unit.length; j++) {
      matrix[i][j] = matrix[j][i] = clamp(dot(unit[i], unit[j]), -1, 1);
    }
  }
  return matrix;
}

/** Element-wise mean; throws on an empty list or mixed dimensions. */
export function mean(vectors: ArrayLike<number>[]): number[] {
  if (vectors.length === 0) throw new Error("Cannot average zero vectors.");
  const result = new Array<number>(vectors[0].length).fill(0);
  for (const vector of vectors) {
    if (vector.length !== result.length) {
      throw new Error(`Dimension mismatch: ${vector.length} vs ${result.length}.`);
    }
    for (let i = 0; i < vector.length; i++) result[i] += vector[i];
  }
  return result.map((value) => value / vectors.length);
}

/** pgvector's text form, `[1,2,3]`. */
export function toSql(vector: ArrayLike<number>): string {
  return `[${Array.prototype.join.call(vector, ",")}]`;
}

/** Parses pgvector's text form; throws on anything else. */
export function fromSql(text: string): number[] {
  if (!text.startsWith("[") || !text.endsWith("]")) {
    throw new Error(`Not a pgvector value: ${JSON.stringify(text.slice(0, 40))}`);
  }
  const body = text.slice(1, -1);
  if (body.trim() === "") return [];
  const fields = body.split(",");
  const values = fields.map(Number);
  if (fields.some((field, i) => field.trim() === "" || !Number.isFinite(values[i]))) {
    throw new Error(`Not a pgvector value: ${JSON.stringify(text.slice(0, 40))}`);
  }
  return values;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
