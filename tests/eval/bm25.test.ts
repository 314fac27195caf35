import { describe, expect, it } from "vitest";
import { bm25Defaults, createBm25Index, wordTokens } from "@/scripts/eval-retrieval/bm25";

describe("wordTokens(text)", () => {
  it("lower-cases words, drops punctuation and keeps every word (no stemming, no stop list)", () => {
    expect(wordTokens("The Signals, and the signal.")).toEqual(["the", "signals", "and", "the", "signal"]);
  });

  it("cuts Chinese into dictionary words", () => {
    expect(wordTokens("列出目录内容")).toEqual(["列出", "目录", "内容"]);
  });
});

describe("createBm25Index(texts)", () => {
  const texts = ["bees make honey", "honey honey honey cake", "volcanoes erupt", "bees"];
  const index = createBm25Index(texts);

  it("defaults to k1 1.2 and b 0.75", () => {
    expect(bm25Defaults).toEqual({ k1: 1.2, b: 0.75 });
  });

  it("scores exactly Okapi BM25 with Lucene's idf", () => {
    const lengths = [3, 4, 2, 1];
    const average = 10 / 4;
    const idf = (n: number) => Math.log(1 + (4 - n + 0.5) / (n + 0.5));
    const term = (count: number, length: number, n: number) => (idf(n) * count * 2.2) / (count + 1.2 * (0.25 + (0.75 * length) / average));
    const hits = index.search("honey bees", 10);
    const expected = new Map([
      [0, term(1, lengths[0], 2) + term(1, lengths[0], 2)],
      [1, term(3, lengths[1], 2)],
      [3, term(1, lengths[3], 2)],
    ]);
    expect(hits.map((hit) => hit.index).sort()).toEqual([0, 1, 3]);
    for (const hit of hits) expect(hit.score).toBeCloseTo(expected.get(hit.index)!, 12);
    expect(hits[0].index).toBe(0);
  });

  it("returns only texts sharing a token, best first, at most k", () => {
    expect(index.search("volcanoes", 10)).toEqual([{ index: 2, score: expect.any(Number) }]);
    expect(index.search("honey", 1)).toHaveLength(1);
    expect(index.search("glaciers", 10)).toEqual([]);
  });

  it("counts a repeated query word once and breaks ties by the lower index", () => {
    const tied = createBm25Index(["alpha beta", "beta alpha"]);
    expect(tied.search("alpha alpha", 2).map((hit) => hit.index)).toEqual([0, 1]);
    expect(tied.search("alpha alpha", 2)[0].score).toBeCloseTo(tied.search("alpha", 2)[0].score, 12);
  });
});
