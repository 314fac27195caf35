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
  it("defaults: function words dropped at 0.5, content words replaced at 0.4, else dropped at 0.2", () => {
    expect(paraphraseDefaults).toEqual({ dropFunctionWord: 0.5, replaceWord: 0.4, dropWord: 0.2, chineseDropWord: 0.35 });
  });

  it("replaces content words by WordNet synonyms whose stem differs, and drops function words", () => {
    // Every roll 0: each function word dropped, each content word replaced by its first acceptable synonym.
    const { question, replaced } = paraphraseEnglish("The signal will terminate the process.", wordnet, { random: () => 0 });
    // "signaling" shares signal's stem: "sign" is the first acceptable synonym; "will" has none and stays.
    expect(question).toBe("sign will end procedure");
    expect(replaced).toBe(3);
  });

  it("keeps everything with rolls that neither drop nor replace", () => {
    const { question, replaced, dropped } = paraphraseEnglish("The signal will terminate the process.", wordnet, { random: () => 0.6 });
    expect(question).toBe("The signal will terminate the process");
    expect([replaced, dropped]).toEqual([0, 0]);
  });

  it("removes section references and the page's own names, and keeps identifiers as written", () => {
    const { question } = paraphraseEnglish("Use sigaction(2) to change a SIGKILL handler in kill.", wordnet, { random: () => 0.6, without: ["kill"] });
    expect(question).toBe("Use sigaction to change a SIGKILL handler in");
  });

  it("swaps the two parts of a sentence around an inner comma", () => {
    const { question } = paraphraseEnglish("When the child exits, the parent gets a signal.", wordnet, { random: () => 0.6 });
    expect(question).toBe("the parent gets a signal When the child exits");
  });

  it("keeps at least two content words however many the rolls drop, restoring the first ones", () => {
    const { question, dropped } = paraphraseEnglish("The parent reads the child file quickly.", wordnet, { random: () => 0.99, replaceWord: 0 });
    expect(question).toBe("The parent reads the");
    expect(dropped).toBe(3);
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
  it("drops words by the rolls and joins Han words without spaces", () => {
    // 列出 目录 的 内容: rolls for 列出 (keep), 目录 (drop), 的 (drop: function word), 内容 (keep)
    const { question, dropped } = paraphraseChinese("列出目录的内容。", { random: sequence(0.9, 0.1, 0.1, 0.9) });
    expect(question).toBe("列出内容");
    expect(dropped).toBe(2);
  });

  it("swaps the clauses around the first full-width comma and keeps a space between Latin words", () => {
    const { question } = paraphraseChinese("如果设置了 POSIXLY CORRECT，则采用 512 字节。", { random: () => 0.99, dropWord: 0, dropFunctionWord: 0 });
    expect(question).toBe("则采用512字节如果设置了POSIXLY CORRECT");
  });

  it("removes the page's own names", () => {
    expect(paraphraseChinese("df 报告文件系统空间", { random: () => 0.99, dropWord: 0, without: ["df"] }).question).toBe("报告文件系统空间");
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
