import { describe, expect, it } from "vitest";
import { createRandom } from "@/lib/projection/random";
import { lexicalOverlap, paraphraseChinese, paraphraseDefaults, paraphraseEnglish } from "@/scripts/eval-retrieval/paraphrase";
import { fixtureWordNet } from "./wordnet-fixture";

const wordnet = fixtureWordNet();
/** A `random` that returns the given numbers in turn. */
const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length];
};

describe("paraphraseEnglish(text, wordnet, options)", () => {
  it("defaults: function words dropped at 0.5, identifiers at 0.7, at most 4 words kept, each replaced at 0.6", () => {
    expect(paraphraseDefaults).toEqual({ dropFunctionWord: 0.5, dropIdentifier: 0.7, maxWords: 4, replaceWord: 0.6 });
  });

  it("replaces words by WordNet synonyms whose stem differs, and drops function words", () => {
    // Every roll 0: each function word and identifier dropped, each kept word replaced by its first acceptable synonym.
    const { question, replaced, dropped } = paraphraseEnglish("The signal will terminate the process.", wordnet, { random: () => 0 });
    // "signaling" shares signal's stem: "sign" is the first acceptable synonym; "will" has none and stays.
    expect(question).toBe("sign will end procedure");
    expect([replaced, dropped]).toEqual([3, 2]);
  });

  it("keeps every word with rolls that neither drop nor replace", () => {
    const { question, replaced, dropped } = paraphraseEnglish("The signal will terminate the process.", wordnet, { random: () => 0.99 });
    expect(question).toBe("The signal will terminate the process");
    expect([replaced, dropped]).toEqual([0, 0]);
  });

  it("keeps at most maxWords words, in their order, and all identifiers the rolls keep", () => {
    const text = "Alpha SIGKILL bravo charlie delta echo foxtrot golf hotel getrpcbyname india.";
    const { question } = paraphraseEnglish(text, wordnet, { random: createRandom(3), maxWords: 4, dropIdentifier: 0 });
    const words = question.split(" ");
    expect(words.filter((word) => /^[a-z]+$/.test(word))).toHaveLength(4);
    expect(words).toEqual(expect.arrayContaining(["SIGKILL", "getrpcbyname"]));
    const order = (word: string) => text.indexOf(word);
    expect(words.map(order)).toEqual([...words.map(order)].sort((a, b) => a - b));
  });

  it("removes section references and the page's own names", () => {
    const { question } = paraphraseEnglish("Use sigaction(2) to change a SIGKILL handler in kill.", wordnet, { random: () => 0.99, without: ["kill"] });
    expect(question).toBe("Use sigaction to change a SIGKILL handler in");
  });

  it("swaps the two parts of a sentence around an inner comma", () => {
    const { question } = paraphraseEnglish("When the child exits, the parent gets a signal.", wordnet, { random: () => 0.99, maxWords: 10 });
    expect(question).toBe("the parent gets a signal When the child exits");
  });

  it("keeps at least two words or identifiers, restoring the first ones dropped", () => {
    const { question } = paraphraseEnglish("The SIGKILL parent reads the child file quickly.", wordnet, { random: () => 0.99, maxWords: 0, dropIdentifier: 1 });
    expect(question).toBe("The SIGKILL parent the");
  });

  it("is deterministic for a seeded random and differs from its source", () => {
    const text = "Each signal has a current disposition, which determines how the process behaves when it is delivered the signal.";
    const a = paraphraseEnglish(text, wordnet, { random: createRandom(7) });
    const b = paraphraseEnglish(text, wordnet, { random: createRandom(7) });
    expect(a).toEqual(b);
    expect(a.question).not.toBe(text);
  });
});

describe("paraphraseChinese(text, options)", () => {
  it("drops function words by the rolls and joins Han words without spaces", () => {
    // 列出 目录 的 内容: the roll for 的 (a function word) drops it; the shuffle's rolls follow.
    const { question, dropped } = paraphraseChinese("列出目录的内容。", { random: sequence(0.1, 0.5, 0.5, 0.5) });
    expect(question).toBe("列出目录内容");
    expect(dropped).toBe(1);
  });

  it("keeps at most maxWords words", () => {
    const { question } = paraphraseChinese("列出目录的内容。", { random: () => 0.99, maxWords: 2 });
    expect([...new Intl.Segmenter("zh", { granularity: "word" }).segment(question)].filter((segment) => segment.isWordLike && segment.segment !== "的")).toHaveLength(2);
  });

  it("swaps the clauses around the first full-width comma and keeps a space between Latin words", () => {
    const { question } = paraphraseChinese("如果设置了 POSIXLY CORRECT，则采用 512 字节。", { random: () => 0.99, dropFunctionWord: 0, dropIdentifier: 0, maxWords: 10 });
    expect(question).toBe("则采用512字节如果设置了POSIXLY CORRECT");
  });

  it("removes the page's own names", () => {
    expect(paraphraseChinese("df 报告文件系统空间", { random: () => 0.99, without: ["df"] }).question).toBe("报告文件系统空间");
  });
});

describe("lexicalOverlap(question, source)", () => {
  it("is the share of the question's content words (stemmed) found in the source", () => {
    expect(lexicalOverlap("signals terminate process", "The signal terminates the process.")).toBe(1);
    expect(lexicalOverlap("sign end procedure", "The signal terminates the process.")).toBe(0);
    expect(lexicalOverlap("the sign of a process", "The signal terminates the process.")).toBe(0.5);
  });

  it("finds Chinese words inside the source however it is segmented", () => {
    expect(lexicalOverlap("列出内容", "列出目录内容")).toBe(1);
    expect(lexicalOverlap("显示内容", "列出目录内容")).toBe(0.5);
  });
});
