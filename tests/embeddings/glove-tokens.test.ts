import { describe, expect, test } from "vitest";
import { tokenizeForGlove } from "../../lib/embeddings/glove-tokens";

describe("tokenizeForGlove(text)", () => {
  test("lowercases and splits on whitespace and punctuation", () => {
    expect(tokenizeForGlove("New York")).toEqual(["new", "york"]);
    expect(tokenizeForGlove("  Hello, world!  (again)\tnew_york")).toEqual(["hello", "world", "again", "new", "york"]);
  });

  test("keeps inner hyphens and drops outer ones", () => {
    expect(tokenizeForGlove("a well-known -dash- co‑founder")).toEqual(["a", "well-known", "dash", "co-founder"]);
  });

  test("expands English contractions", () => {
    expect(tokenizeForGlove("Don't")).toEqual(["do", "not"]);
    expect(tokenizeForGlove("can't won't isn’t")).toEqual(["can", "not", "will", "not", "is", "not"]);
    expect(tokenizeForGlove("we're I'm they'll I've she'd the cat's")).toEqual([
      "we", "are", "i", "am", "they", "will", "i", "have", "she", "would", "the", "cat",
    ]);
    expect(tokenizeForGlove("O'Neill rock'n'roll dogs'")).toEqual(["o", "neill", "rock", "n", "roll", "dogs"]);
  });

  test("strips accents and folds full-width letters", () => {
    expect(tokenizeForGlove("Café naïve ÜBER Ｃａｔ")).toEqual(["cafe", "naive", "uber", "cat"]);
  });

  test("returns no words for punctuation only or an empty text", () => {
    expect(tokenizeForGlove("?! … --")).toEqual([]);
    expect(tokenizeForGlove("")).toEqual([]);
  });
});
