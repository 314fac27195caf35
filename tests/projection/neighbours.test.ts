import { describe, expect, it } from "vitest";
import { defaults, nearestNeighbours, neighboursFromMatrix } from "@/lib/projection/neighbours";
import { cosine, cosineMatrix } from "@/lib/vectors";
import { randomUnitVectors } from "./fixtures";

describe("nearestNeighbours(vectors, { k })", () => {
  it("finds the obvious neighbours of 3-d vectors, with their cosine scores", () => {
    const vectors = [
      [1, 0, 0],
      [0.9, 0.1, 0],
      [0, 1, 0],
      [0, 0.9, 0.1],
    ];
    const result = nearestNeighbours(vectors, { k: 1 });
    expect(result.map((list) => list.map(({ index }) => index))).toEqual([[1], [0], [3], [2]]);
    expect(result[0][0].score).toBeCloseTo(cosine(vectors[0], vectors[1]), 12);
  });

  it("lists the k most similar first, excluding the point itself", () => {
    const result = nearestNeighbours([[1, 0], [1, 1], [0, 1], [-1, 0]], { k: 3 });
    expect(result[0].map(({ index }) => index)).toEqual([1, 2, 3]);
    expect(result[0].map(({ score }) => score)).toEqual([cosine([1, 0], [1, 1]), 0, -1]);
  });

  it("agrees with the full cosine matrix on random data across tiles", () => {
    const vectors = randomUnitVectors(150, 24, 6);
    const matrix = cosineMatrix(vectors);
    const result = nearestNeighbours(vectors, { k: 5 });
    result.forEach((list, i) => {
      const expected = matrix[i]
        .map((score, index) => ({ index, score }))
        .filter(({ index }) => index !== i)
        .sort((a, b) => b.score - a.score || a.index - b.index)
        .slice(0, 5);
      expect(list.map(({ index }) => index)).toEqual(expected.map(({ index }) => index));
      list.forEach(({ score }, k) => expect(score).toBeCloseTo(expected[k].score, 12));
    });
  });

  it("puts duplicates first with score 1 and breaks ties by lower index", () => {
    const result = nearestNeighbours([[1, 0], [0, 1], [2, 0], [3, 0]], { k: 2 });
    expect(result[3]).toEqual([
      { index: 0, score: 1 },
      { index: 2, score: 1 },
    ]);
  });

  it("gives a zero vector score 0 with everything", () => {
    const result = nearestNeighbours([[0, 0], [1, 0], [0, 1]], { k: 2 });
    expect(result[0]).toEqual([
      { index: 1, score: 0 },
      { index: 2, score: 0 },
    ]);
  });

  it("clamps k to n − 1 and handles 0, 1 and no vectors", () => {
    expect(nearestNeighbours([[1, 0], [0, 1]], { k: 5 })[0]).toHaveLength(1);
    expect(nearestNeighbours([[1, 0]])).toEqual([[]]);
    expect(nearestNeighbours([])).toEqual([]);
    expect(nearestNeighbours([[1, 0], [0, 1]], { k: 0 })).toEqual([[], []]);
  });

  it("throws on a k that is not a whole number ≥ 0", () => {
    expect(() => nearestNeighbours([[1]], { k: -1 })).toThrow("k must be an integer ≥ 0, got -1: try 5.");
    expect(() => nearestNeighbours([[1]], { k: 1.5 })).toThrow("k must be an integer ≥ 0, got 1.5: try 5.");
  });

  it("has documented defaults", () => {
    expect(defaults).toEqual({ k: 5 });
    expect(nearestNeighbours(randomUnitVectors(10, 4, 1))[0]).toHaveLength(5);
  });
});

describe("neighboursFromMatrix(matrix, k)", () => {
  it("lists each row's k most similar others, best first, never itself", () => {
    const matrix = [
      [1, 0.9, 0.1],
      [0.9, 1, 0.5],
      [0.1, 0.5, 1],
    ];
    expect(neighboursFromMatrix(matrix, 1)).toEqual([[{ index: 1, score: 0.9 }], [{ index: 0, score: 0.9 }], [{ index: 1, score: 0.5 }]]);
    expect(neighboursFromMatrix(matrix, 5)[2].map((n) => n.index)).toEqual([1, 0]);
  });

  it("breaks ties by the lower index and handles an empty matrix", () => {
    expect(neighboursFromMatrix([[1, 0.5, 0.5], [0.5, 1, 0], [0.5, 0, 1]], 2)[0].map((n) => n.index)).toEqual([1, 2]);
    expect(neighboursFromMatrix([])).toEqual([]);
  });
});
