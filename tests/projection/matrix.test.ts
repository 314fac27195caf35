import { describe, expect, it } from "vitest";
import {
  centerColumns,
  columnGram,
  normalizeRows,
  row,
  rowGram,
  toDenseMatrix,
  toRows,
} from "@/lib/projection/matrix";

describe("toDenseMatrix(vectors)", () => {
  it("copies vectors into one row-major array", () => {
    const matrix = toDenseMatrix([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(matrix.rows).toBe(2);
    expect(matrix.columns).toBe(3);
    expect(Array.from(matrix.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(row(matrix, 1))).toEqual([4, 5, 6]);
    expect(toRows(matrix)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it("gives a 0-row matrix for no vectors", () => {
    expect(toDenseMatrix([])).toMatchObject({ rows: 0, columns: 0 });
    expect(toDenseMatrix([], "vectors", 3)).toMatchObject({ rows: 0, columns: 3 });
  });

  it("names the vector whose length differs", () => {
    expect(() => toDenseMatrix([[1, 2], [1, 2], [1, 2, 3]])).toThrow(
      "vectors[2] has 3 dimensions, expected 2: use vectors from one model (all the same length).",
    );
    expect(() => toDenseMatrix([[1, 2]], "newVectors", 3)).toThrow("newVectors[0] has 2 dimensions, expected 3");
  });

  it("rejects empty vectors and non-finite numbers", () => {
    expect(() => toDenseMatrix([[]])).toThrow("vectors[0] is empty: every vector needs at least one number.");
    expect(() => toDenseMatrix([[1, Number.NaN]])).toThrow("vectors[0][1] is NaN: every number must be finite.");
    expect(() => toDenseMatrix([[1, 2], [Infinity, 2]])).toThrow("vectors[1][0] is Infinity");
  });
});

describe("centerColumns(matrix)", () => {
  it("subtracts and returns the column means", () => {
    const matrix = toDenseMatrix([
      [1, 10],
      [3, 20],
    ]);
    expect(Array.from(centerColumns(matrix))).toEqual([2, 15]);
    expect(toRows(matrix)).toEqual([
      [-1, -5],
      [1, 5],
    ]);
  });
});

describe("normalizeRows(matrix)", () => {
  it("scales each row to unit length", () => {
    expect(toRows(normalizeRows(toDenseMatrix([[3, 4], [0, 2]])))).toEqual([
      [0.6, 0.8],
      [0, 1],
    ]);
  });

  it("throws on a zero row, naming it and the fix, unless told to keep it", () => {
    expect(() => normalizeRows(toDenseMatrix([[1, 0], [0, 0]]))).toThrow(
      'vectors[1] is all zeros: it has no direction for cosine distance. Drop it, or use distance: "euclidean".',
    );
    expect(toRows(normalizeRows(toDenseMatrix([[0, 0]]), { zeroRows: "keep" }))).toEqual([[0, 0]]);
  });
});

describe("rowGram(matrix) and columnGram(matrix)", () => {
  const matrix = toDenseMatrix([
    [1, 2],
    [3, 4],
    [5, 6],
  ]);

  it("rowGram(matrix) holds the inner product of every pair of rows", () => {
    expect(Array.from(rowGram(matrix))).toEqual([5, 11, 17, 11, 25, 39, 17, 39, 61]);
  });

  it("columnGram(matrix) holds XᵀX", () => {
    expect(Array.from(columnGram(matrix))).toEqual([35, 44, 44, 56]);
  });

  it("columnGram(matrix) adds every row when rows come in groups of four and a remainder", () => {
    const seven = toDenseMatrix(Array.from({ length: 7 }, (_, i) => [i, 1, i % 3]));
    // Σi² = 91, Σi = 21, Σi·(i % 3) = 0+1+4+0+4+10+0 = 19, Σ1 = 7, Σ(i % 3) = 6, Σ(i % 3)² = 10.
    expect(Array.from(columnGram(seven))).toEqual([91, 21, 19, 21, 7, 6, 19, 6, 10]);
  });
});
