import { describe, expect, it } from "vitest";
import { firstRank, pageRank, passageRank, recallDepths, summarize } from "@/scripts/eval-retrieval/metrics";

describe("firstRank(ranked, matches)", () => {
  it("gives the 1-based rank of the first match, or null when nothing matches", () => {
    expect(firstRank(["a", "b", "c", "b"], (item) => item === "b")).toBe(2);
    expect(firstRank(["a"], (item) => item === "z")).toBeNull();
    expect(firstRank([], () => true)).toBeNull();
  });
});

describe("passageRank(ranked, relevant)", () => {
  it("ranks the first chunk that holds the passage, whichever of its chunks it is", () => {
    expect(passageRank([7, 3, 9, 4], [4, 9])).toBe(3);
    expect(passageRank([7, 3], [4, 9])).toBeNull();
  });
});

describe("pageRank(ranked, page, pageOf)", () => {
  it("ranks a page where its best chunk ranks, counting other pages' chunks before it", () => {
    // chunks 0–2 are page 0, 3–5 page 1, 6–8 page 2
    const pageOf = (chunk: number) => Math.floor(chunk / 3);
    expect(pageRank([6, 7, 4, 0], 1, pageOf)).toBe(3);
    expect(pageRank([6, 7, 8, 0, 1], 0, pageOf)).toBe(4);
    expect(pageRank([6, 7], 1, pageOf)).toBeNull();
  });
});

describe("summarize(ranks)", () => {
  it("reports R@1/3/5/10 as shares of questions and MRR with 0 for answers not found", () => {
    const scores = summarize([1, 2, 4, 7, null]);
    expect(recallDepths).toEqual([1, 3, 5, 10]);
    expect(scores.questions).toBe(5);
    expect(scores.recall).toEqual({ 1: 0.2, 3: 0.4, 5: 0.6, 10: 0.8 });
    expect(scores.mrr).toBeCloseTo((1 + 1 / 2 + 1 / 4 + 1 / 7 + 0) / 5, 12);
  });

  it("counts a rank equal to k as found at k", () => {
    expect(summarize([3]).recall[3]).toBe(1);
    expect(summarize([4]).recall[3]).toBe(0);
  });

  it("refuses to summarize no questions", () => {
    expect(() => summarize([])).toThrow("summarize() needs at least one question's rank.");
  });
});
