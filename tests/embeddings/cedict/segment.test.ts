import { describe, expect, test } from "vitest";
import {
  matchBackward,
  matchForward,
  segmentByDictionary,
  segmentByIntl,
  splitByScript,
  type Dictionary,
} from "@/lib/embeddings/cedict/segment";

function dictionaryOf(words: string[]): Dictionary {
  const set = new Set(words);
  return { has: (word) => set.has(word), maxWordLength: Math.max(...words.map((word) => [...word].length)) };
}

const words = dictionaryOf(["我", "喜欢", "吃", "吃香", "香蕉", "和", "苹果", "人工", "智能", "人工智能", "的", "未来", "将", "國王", "国王"]);

describe("splitByScript(text)", () => {
  test("separates runs of Han characters from everything else, in order", () => {
    expect(splitByScript("猫 is a cat，对吧?")).toEqual([
      { text: "猫", han: true },
      { text: " is a cat，", han: false },
      { text: "对吧", han: true },
      { text: "?", han: false },
    ]);
    expect(splitByScript("")).toEqual([]);
    expect(splitByScript("cat")).toEqual([{ text: "cat", han: false }]);
  });
});

describe("segmentByDictionary(run, dictionary)", () => {
  test("takes the longest headwords: 人工智能的未来将 → 人工智能 | 的 | 未来 | 将", () => {
    expect(segmentByDictionary("人工智能的未来将", words)).toEqual(["人工智能", "的", "未来", "将"]);
  });

  test("keeps the backward cut where forward matching strands a character: 吃香蕉 → 吃 | 香蕉", () => {
    const chars = [..."我喜欢吃香蕉和苹果"];
    expect(matchForward(chars, words, 4)).toEqual(["我", "喜欢", "吃香", "蕉", "和", "苹果"]);
    expect(matchBackward(chars, words, 4)).toEqual(["我", "喜欢", "吃", "香蕉", "和", "苹果"]);
    expect(segmentByDictionary("我喜欢吃香蕉和苹果", words)).toEqual(["我", "喜欢", "吃", "香蕉", "和", "苹果"]);
  });

  test("reads traditional headwords as well as simplified ones", () => {
    expect(segmentByDictionary("國王", words)).toEqual(["國王"]);
    expect(segmentByDictionary("国王", words)).toEqual(["国王"]);
  });

  test("gives unknown characters one by one, including ones beyond the BMP", () => {
    expect(segmentByDictionary("猫𪚥", words)).toEqual(["猫", "𪚥"]);
  });
});

describe("segmentByIntl(run, dictionary)", () => {
  test("uses ICU's words, and the dictionary inside segments it does not know", () => {
    expect(segmentByIntl("我喜欢吃香蕉", words)).toEqual(["我", "喜欢", "吃", "香蕉"]);
  });

  test("cuts long runs into chunks and still returns every character", () => {
    const run = "我喜欢吃香蕉".repeat(100);
    expect(segmentByIntl(run, words, { chunkLength: 50 }).join("")).toBe(run);
  });
});
