import { describe, expect, test } from "vitest";
import type { CedictEntry } from "@/lib/embeddings/cedict/dictionary";
import { cleanGloss, glossWeights, weightedGlosses } from "@/lib/embeddings/cedict/glosses";

describe("cleanGloss(raw)", () => {
  test.each([
    ["cat", [{ text: "cat", weight: 1 }]],
    ["house pet", [{ text: "house pet", weight: 1 }]],
    ["(located) at", [{ text: "at", weight: 1 }]],
    ["smart (phone, system, bomb etc)", [{ text: "smart", weight: 1 }]],
    ["Peking University (abbr. for 北京大學|北京大学)", [{ text: "Peking University", weight: 1 }]],
    ["abbr. for 北京大學|北京大学, Peking University", [{ text: "Peking University", weight: 1 }]],
    ["see 的士[di1 shi4]", []],
    ["CL:隻|只[zhi1],群[qun2]", []],
    ["variant of 貓|猫[mao1]", []],
    ["old variant of 貓|猫[mao1]", []],
    ["surname Wang", []],
    ["Taiwan pr. [xx1]", []],
    ["also written 猫[mao1]", []],
  ])("%j → %j", (raw, expected) => {
    expect(cleanGloss(raw)).toEqual(expected);
  });

  test("splits alternatives at ';' and explanations at ','", () => {
    expect(cleanGloss("Tokyo, capital of Japan")).toEqual([
      { text: "Tokyo", weight: 1 },
      { text: "capital of Japan", weight: 1 },
    ]);
    expect(cleanGloss("to love; to be fond of")).toEqual([
      { text: "to love", weight: 1 },
      { text: "to be fond of", weight: 1 },
    ]);
  });

  test("weighs marginal senses, literal halves of idioms and classifier notes lower", () => {
    expect(cleanGloss("(dialect) to hide oneself")).toEqual([{ text: "to hide oneself", weight: glossWeights.marginal }]);
    expect(cleanGloss("lit. to draw legs on a snake; fig. to ruin it")).toEqual([
      { text: "to draw legs on a snake", weight: glossWeights.literal },
      { text: "to ruin it", weight: 1 },
    ]);
    expect(cleanGloss("classifier for animals")).toEqual([{ text: "classifier for animals", weight: glossWeights.classifier }]);
  });
});

const entry = (pinyin: string, glosses: string[]): CedictEntry => ({ traditional: "王", simplified: "王", pinyin, glosses });

describe("weightedGlosses(entries)", () => {
  test("drops stop words, weighs first and shorter glosses higher, and puts names after common readings", () => {
    const glosses = weightedGlosses([entry("Wang2", ["surname Wang", "Wang Kingdom"]), entry("wang2", ["king", "a great monarch"])]);
    expect(glosses.map((gloss) => gloss.words)).toEqual([["king"], ["great", "monarch"], ["wang", "kingdom"]]);
    const [king, monarch, kingdom] = glosses.map((gloss) => gloss.weight);
    expect(king).toBe(1);
    expect(monarch).toBeCloseTo(1 / (1 + glossWeights.glossDecay) / Math.SQRT2);
    expect(kingdom).toBeCloseTo(1 / (1 + glossWeights.readingDecay) / Math.SQRT2);
  });

  test("keeps a gloss of stop words only when it is all there is, at a lower weight", () => {
    expect(weightedGlosses([entry("de5", ["of", "(used after an attribute)"])])).toEqual([
      { words: ["of"], weight: glossWeights.stopWordsOnly },
    ]);
  });

  test("is empty when every gloss is a note", () => {
    expect(weightedGlosses([entry("mao1", ["variant of 貓|猫[mao1]", "CL:隻|只[zhi1]"])])).toEqual([]);
  });

  test(`keeps at most ${glossWeights.maxGlosses} glosses`, () => {
    const many = Array.from({ length: 20 }, (_, i) => `meaning${i}`);
    expect(weightedGlosses([entry("da4", many)])).toHaveLength(glossWeights.maxGlosses);
  });
});
