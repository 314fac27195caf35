import { describe, expect, it } from "vitest";
import { poolTokenVectors } from "@/lib/embeddings/local/pooling";

// Two texts of up to three tokens, 2 dims: text 0 has tokens [1,0] [0,1] and padding [9,9];
// text 1 has [2,2] [4,0] [0,4].
const tokens = { values: [1, 0, 0, 1, 9, 9, 2, 2, 4, 0, 0, 4], batch: 2, sequence: 3, dims: 2 };
const mask = [1n, 1n, 0n, 1n, 1n, 1n];

describe("poolTokenVectors(tokens, attentionMask, options)", () => {
  it("mean pooling averages the tokens the mask keeps, never the padding", () => {
    expect(poolTokenVectors(tokens, mask, { pooling: "mean", normalize: false })).toEqual([
      [0.5, 0.5],
      [2, 2],
    ]);
  });

  it("cls pooling takes each text's first token", () => {
    expect(poolTokenVectors(tokens, mask, { pooling: "cls", normalize: false })).toEqual([
      [1, 0],
      [2, 2],
    ]);
  });

  it("normalize scales each vector to unit length", () => {
    const [first, second] = poolTokenVectors(tokens, mask, { pooling: "mean", normalize: true });
    expect(first[0]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(Math.hypot(...second)).toBeCloseTo(1, 12);
  });

  it("leaves a zero vector zero (no direction) instead of dividing by zero", () => {
    const zeros = { values: [0, 0], batch: 1, sequence: 1, dims: 2 };
    expect(poolTokenVectors(zeros, [1], { pooling: "mean", normalize: true })).toEqual([[0, 0]]);
  });
});
