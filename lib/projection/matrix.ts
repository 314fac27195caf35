/**
 * Dense row-major matrices on one Float64Array: the projections multiply thousands of 512-d rows,
 * and a flat typed array is several times faster than number[][] for that. Also the one place
 * that checks input vectors, so every projection rejects bad input with the same messages.
 */

/** `rows` vectors of `columns` numbers each; row i is `data[i * columns … (i + 1) * columns)`. */
export interface DenseMatrix {
  data: Float64Array;
  rows: number;
  columns: number;
}

/**
 * Copies vectors into a DenseMatrix. Throws, naming the first bad vector, when the vectors differ
 * in length, are empty, or hold a non-finite number.
 *
 * @param vectors any number of vectors (0 gives a 0-row matrix).
 * @param name what the caller calls them, used in messages. Default "vectors".
 * @param columns the length every vector must have; default: the first vector's length.
 */
export function toDenseMatrix(
  vectors: readonly ArrayLike<number>[],
  name = "vectors",
  columns: number = vectors[0]?.length ?? 0,
): DenseMatrix {
  const rows = vectors.length;
  const data = new Float64Array(rows * columns);
  for (let i = 0; i < rows; i++) {
    const vector = vectors[i];
    if (!vector || vector.length === 0) {
      throw new Error(`${name}[${i}] is empty: every vector needs at least one number.`);
    }
    if (vector.length !== columns) {
      throw new Error(
        `${name}[${i}] has ${vector.length} dimensions, expected ${columns}: ` +
          "use vectors from one model (all the same length).",
      );
    }
    for (let j = 0; j < columns; j++) {
      const value = vector[j];
      if (!Number.isFinite(value)) {
        throw new Error(`${name}[${i}][${j}] is ${value}: every number must be finite.`);
      }
      data[i * columns + j] = value;
    }
  }
  return { data, rows, columns };
}

/** Row i as a view (no copy): writing to it writes to the matrix. */
export function row(matrix: DenseMatrix, i: number): Float64Array {
  return matrix.data.subarray(i * matrix.columns, (i + 1) * matrix.columns);
}

/** Rows as plain arrays (a copy), the shape umap-js and JSON want. */
export function toRows(matrix: DenseMatrix): number[][] {
  return Array.from({ length: matrix.rows }, (_, i) => Array.from(row(matrix, i)));
}

/** Subtracts each column's mean from that column, in place, and returns the means. */
export function centerColumns(matrix: DenseMatrix): Float64Array {
  const { data, rows, columns } = matrix;
  const means = new Float64Array(columns);
  if (rows === 0) return means;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < columns; j++) means[j] += data[i * columns + j];
  }
  for (let j = 0; j < columns; j++) means[j] /= rows;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < columns; j++) data[i * columns + j] -= means[j];
  }
  return means;
}

/**
 * Scales every row to unit length, in place. A zero row has no direction, so cosine geometry
 * cannot place it: with `zeroRows: "throw"` (default) that is an error naming the row; with
 * "keep" it stays zero (similarity 0 to everything, like `cosine` in lib/vectors).
 */
export function normalizeRows(
  matrix: DenseMatrix,
  { name = "vectors", zeroRows = "throw" }: { name?: string; zeroRows?: "throw" | "keep" } = {},
): DenseMatrix {
  for (let i = 0; i < matrix.rows; i++) {
    const values = row(matrix, i);
    const length = Math.sqrt(innerProduct(values, values));
    if (length === 0) {
      if (zeroRows === "keep") continue;
      throw new Error(
        `${name}[${i}] is all zeros: it has no direction for cosine distance. ` +
          'Drop it, or use distance: "euclidean".',
      );
    }
    for (let j = 0; j < values.length; j++) values[j] /= length;
  }
  return matrix;
}

/** Sum of a[i]·b[i] over a's length; no checks, for inner loops. */
export function innerProduct(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

/**
 * Inner product of rows i and j of a flat matrix, without making views. Only ever called with a
 * Float64Array, so V8 keeps it monomorphic; four running sums let it overlap the multiplications
 * (about 1.7× faster than one sum at 512 dimensions).
 */
export function rowProduct(data: Float64Array, columns: number, i: number, j: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let a = i * columns, b = j * columns;
  const end = a + columns, unrolledEnd = end - (columns % 4);
  for (; a < unrolledEnd; a += 4, b += 4) {
    s0 += data[a] * data[b];
    s1 += data[a + 1] * data[b + 1];
    s2 += data[a + 2] * data[b + 2];
    s3 += data[a + 3] * data[b + 3];
  }
  for (; a < end; a++, b++) s0 += data[a] * data[b];
  return s0 + s1 + s2 + s3;
}

/**
 * The symmetric matrix of inner products between rows (`rows × rows`, row-major), the Gram matrix
 * XXᵀ. Each pair is computed once.
 */
export function rowGram(matrix: DenseMatrix): Float64Array {
  const { rows } = matrix;
  const gram = new Float64Array(rows * rows);
  const { data, columns } = matrix;
  for (let i = 0; i < rows; i++) {
    for (let j = i; j < rows; j++) {
      gram[i * rows + j] = gram[j * rows + i] = rowProduct(data, columns, i, j);
    }
  }
  return gram;
}

/**
 * The symmetric matrix XᵀX (`columns × columns`, row-major): the scatter of the columns. Rows are
 * taken four at a time so each pass over the (large) result does four rows' work: 3× faster at
 * 2,000 × 512 than one row at a time.
 */
export function columnGram(matrix: DenseMatrix): Float64Array {
  const { data, rows, columns } = matrix;
  const gram = new Float64Array(columns * columns);
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const o0 = r * columns, o1 = o0 + columns, o2 = o1 + columns, o3 = o2 + columns;
    for (let i = 0; i < columns; i++) {
      const v0 = data[o0 + i], v1 = data[o1 + i], v2 = data[o2 + i], v3 = data[o3 + i];
      const target = i * columns;
      for (let j = i; j < columns; j++) {
        gram[target + j] += v0 * data[o0 + j] + v1 * data[o1 + j] + v2 * data[o2 + j] + v3 * data[o3 + j];
      }
    }
  }
  for (; r < rows; r++) {
    const offset = r * columns;
    for (let i = 0; i < columns; i++) {
      const value = data[offset + i];
      const target = i * columns;
      for (let j = i; j < columns; j++) gram[target + j] += value * data[offset + j];
    }
  }
  for (let i = 0; i < columns; i++) {
    for (let j = i + 1; j < columns; j++) gram[j * columns + i] = gram[i * columns + j];
  }
  return gram;
}
