import { describe, expect, it } from "vitest";
import { planBatches } from "@/lib/embeddings/local/runtime";

describe("planBatches(tokenCounts, { batchSize, tokenBudget })", () => {
  it("sorts texts by length and fills batches up to batchSize", () => {
    expect(planBatches([5, 1, 3, 2, 4], { batchSize: 2, tokenBudget: 1_000 })).toEqual([[1, 3], [2, 4], [0]]);
  });

  it("closes a batch before its padded size would pass the token budget", () => {
    // 3 texts of 10 tokens fit in 30; a 40-token text alone takes 40, beyond the budget but alone.
    expect(planBatches([10, 10, 10, 40], { batchSize: 32, tokenBudget: 30 })).toEqual([[0, 1, 2], [3]]);
  });

  it("plans nothing for no texts", () => {
    expect(planBatches([], { batchSize: 32, tokenBudget: 8_192 })).toEqual([]);
  });
});
