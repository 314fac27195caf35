import { describe, expect, it } from "vitest";
import { orderBySimilarity } from "@/lib/projection/ordering";
import { createRandom } from "@/lib/projection/random";
import { cosineMatrix } from "@/lib/vectors";

function shuffled(n: number, seed: number): number[] {
  const random = createRandom(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

describe("orderBySimilarity(matrix)", () => {
  it("returns [], [0] and [0, 1] for 0, 1 and 2 items", () => {
    expect(orderBySimilarity([])).toEqual([]);
    expect(orderBySimilarity([[1]])).toEqual([0]);
    expect(orderBySimilarity([[1, 0.2], [0.2, 1]])).toEqual([0, 1]);
  });

  it("groups similar 3-d vectors together", () => {
    const vectors = [
      [1, 0, 0],
      [0, 1, 0],
      [0.9, 0.1, 0],
      [0.1, 0.9, 0],
      [0, 0, 1],
    ];
    expect(orderBySimilarity(cosineMatrix(vectors))).toEqual([0, 2, 1, 3, 4]);
  });

  it("brings the blocks of a shuffled block matrix back together", () => {
    const blockSizes = [4, 3, 5, 6];
    const block = blockSizes.flatMap((size, b) => new Array<number>(size).fill(b));
    const random = createRandom(3);
    const base = block.map((a, i) =>
      block.map((b, j) => (i === j ? 1 : a === b ? 0.8 + 0.1 * random() : 0.1 + 0.2 * random())),
    );
    const symmetric = base.map((row, i) => row.map((_, j) => (i < j ? base[i][j] : base[j][i])));
    const permutation = shuffled(block.length, 8);
    const matrix = permutation.map((i) => permutation.map((j) => symmetric[i][j]));
    const labels = permutation.map((i) => block[i]);

    const order = orderBySimilarity(matrix);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: block.length }, (_, i) => i));
    const runs = order.map((i) => labels[i]).filter((label, k, all) => k === 0 || label !== all[k - 1]);
    expect(runs).toHaveLength(blockSizes.length);
  });

  it("merges by average linkage, not single linkage", () => {
    // C is close to A but far from B; D is equally far from both. Single linkage would join C to
    // {A, B} first (0.2); average linkage joins D (0.5 < mean(0.2, 0.9) = 0.55).
    const distance = [
      [0, 0.1, 0.2, 0.5],
      [0.1, 0, 0.9, 0.5],
      [0.2, 0.9, 0, 0.6],
      [0.5, 0.5, 0.6, 0],
    ];
    expect(orderBySimilarity(distance.map((row) => row.map((d) => 1 - d)))).toEqual([0, 1, 3, 2]);
  });

  it("breaks ties by index, so equal similarities keep the input order", () => {
    const flat = Array.from({ length: 6 }, () => new Array(6).fill(0.5));
    expect(orderBySimilarity(flat)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("gives the same order on every run", () => {
    const random = createRandom(4);
    const vectors = Array.from({ length: 60 }, () => Array.from({ length: 8 }, () => random() - 0.5));
    const matrix = cosineMatrix(vectors);
    expect(orderBySimilarity(matrix)).toEqual(orderBySimilarity(matrix));
  });

  it("throws on a matrix that is not square or holds a non-finite value", () => {
    expect(() => orderBySimilarity([[1, 0], [0]])).toThrow("matrix must be square: row 1 has 1 entries, expected 2.");
    expect(() => orderBySimilarity([[1, Number.NaN], [0, 1]])).toThrow(
      "matrix[0][1] is NaN: similarities must be finite numbers.",
    );
  });
});
