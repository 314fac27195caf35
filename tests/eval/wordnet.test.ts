import { describe, expect, it } from "vitest";
import { createWordNet } from "@/scripts/eval-retrieval/wordnet";
import { fixtureFiles, fixtureSynsets, fixtureWordNet } from "./wordnet-fixture";

describe("createWordNet(files).synonyms(word)", () => {
  const wordnet = fixtureWordNet();

  it("gives the other words of the word's senses, most frequent sense first, without the word itself", () => {
    expect(wordnet.synonyms("signal")).toEqual(["signaling", "sign", "impulse"]);
    expect(wordnet.synonyms("terminate")).toEqual(["end"]);
  });

  it("finds inflected forms through the suffix rules and the exception lists", () => {
    expect(wordnet.synonyms("signals")).toEqual(["signaling", "sign", "impulse"]);
    expect(wordnet.synonyms("terminated")).toEqual(["end"]);
    expect(wordnet.synonyms("delivering")).toEqual(["present"]);
    expect(wordnet.synonyms("children")).toEqual(["kid", "youngster", "minor", "shaver"]);
  });

  it("writes multi-word synonyms with spaces and is case-blind", () => {
    expect(wordnet.synonyms("FILE")).toEqual(["data file"]);
  });

  it("chooses the sense whose gloss shares most words with the context", () => {
    expect(wordnet.synonyms("signal", new Set(["electric", "current", "voltage"]))).toEqual(["impulse", "signaling", "sign"]);
    expect(wordnet.synonyms("signal", new Set(["unrelated"]))).toEqual(["signaling", "sign", "impulse"]);
  });

  it("gives [] for a word WordNet does not know", () => {
    expect(wordnet.synonyms("getrpcbyname")).toEqual([]);
  });

  it("throws when the index points at no synset of the data file", () => {
    const files = fixtureFiles(fixtureSynsets);
    files.data.verb = files.data.verb.replace(/^(\d{8})/m, "  ");
    expect(() => createWordNet(files).synonyms("terminate")).toThrow(/WordNet data.verb has no synset at byte \d+/);
  });
});
