import { describe, expect, it } from "vitest";
import { createBatcher } from "@/lib/embeddings/batcher";
import { useLite } from "@/lib/embeddings/use-lite";
import { collapseWhitespace, useLiteMaxTokens, useLitePieces } from "@/lib/embeddings/use-lite-tokens";
import { cosine } from "@/lib/vectors";

describe("useLite", () => {
  it("describes itself: 512-dimensional local sentence model", () => {
    expect(useLite.info()).toMatchObject({ id: "use-lite", dims: 512, kind: "sentence", local: true, available: true });
  });

  it(`reads the first ${useLiteMaxTokens} tokens of a text: later ones do not change its vector, earlier ones do`, async () => {
    expect(useLite.info().maxTokens).toBe(useLiteMaxTokens);
    const sentences = Array.from({ length: 20 }, (_, i) => `Sentence ${i + 1} describes a lighthouse keeper and the ships passing in the night.`);
    const text = collapseWhitespace(sentences.join(" "));
    const pieces = await useLitePieces(text);
    expect(pieces.length).toBeGreaterThan(useLiteMaxTokens + 50);
    const firstTokens = (count: number) => pieces.slice(0, count).map((piece) => piece.text).join("").replace(/\u2581/g, " ").trim();
    const [whole, first128, first127] = await useLite.embed([text, firstTokens(useLiteMaxTokens), firstTokens(useLiteMaxTokens - 1)]);
    expect(cosine(whole, first128)).toBeGreaterThan(0.99999);
    expect(cosine(whole, first127)).toBeLessThan(0.9999);
  });

  it("embeds related words nearer each other: cat~dog > cat~truck, car~truck > car~banana", async () => {
    const [cat, dog, truck, car, banana] = await useLite.embed(["cat", "dog", "truck", "car", "banana"]);
    expect(cat).toHaveLength(512);
    expect(cosine(cat, dog)).toBeGreaterThan(cosine(cat, truck));
    expect(cosine(car, truck)).toBeGreaterThan(cosine(car, banana));
  });

  it("gives the same vector for a text alone or inside a batch of concurrent calls", async () => {
    const [alone] = await useLite.embed(["a quiet afternoon"]);
    const together = await Promise.all([useLite.embed(["pet"]), useLite.embed(["a quiet afternoon", "zebra"])]);
    expect(cosine(together[1][0], alone)).toBeCloseTo(1, 5);
    expect(together[0]).toHaveLength(1);
    expect(together[1]).toHaveLength(2);
  });
});

describe("createBatcher(run, { maxBatchSize })", () => {
  it("merges calls made in the same tick into one run, answering each in order", async () => {
    const runs: string[][] = [];
    const embed = createBatcher(async (texts) => {
      runs.push(texts);
      return texts.map((text) => [text.length]);
    });
    const answers = await Promise.all([embed(["a", "bb"]), embed(["ccc"])]);
    expect(runs).toEqual([["a", "bb", "ccc"]]);
    expect(answers).toEqual([[[1], [2]], [[3]]]);
  });

  it("splits work into runs of at most maxBatchSize texts", async () => {
    const sizes: number[] = [];
    const embed = createBatcher(
      async (texts) => {
        sizes.push(texts.length);
        return texts.map(() => [0]);
      },
      { maxBatchSize: 4 },
    );
    const answers = await Promise.all([embed(["1", "2", "3"]), embed(["4", "5"]), embed(Array.from({ length: 9 }, String))]);
    expect(answers.map((answer) => answer.length)).toEqual([3, 2, 9]);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4);
    expect(sizes.reduce((a, b) => a + b)).toBe(14);
  });

  it("rejects only the calls of a failing run; later calls still work", async () => {
    const embed = createBatcher(async (texts) => {
      if (texts.includes("bad")) throw new Error("model failed");
      return texts.map(() => [1]);
    }, { maxBatchSize: 1 });
    const [bad, good] = await Promise.allSettled([embed(["bad"]), embed(["good"])]);
    expect(bad.status).toBe("rejected");
    expect(good).toEqual({ status: "fulfilled", value: [[1]] });
    await expect(embed(["later"])).resolves.toEqual([[1]]);
  });
});
