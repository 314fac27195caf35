import { describe, expect, it } from "vitest";
import { pieces, readText, type ReadingTokenizer } from "@/lib/embeddings/local/reading";

/** A SentencePiece-like tokenizer: every known character is a piece, anything else id 0 (unknown); 1 is special. */
function characterTokenizer(known: string): ReadingTokenizer {
  return {
    ids: (text) => Array.from(text.replace(/\s+/g, ""), (char) => (known.includes(char) ? 2 + known.indexOf(char) : 0)),
    unkId: 0,
    specialIds: new Set([1]),
  };
}

describe("pieces(text)", () => {
  it("cuts at spaces, keeps words whole, and stands CJK characters, punctuation and emoji alone", () => {
    expect(pieces("The cat's 猫咪 🦄!")).toEqual(["The", "cat", "'", "s", "猫", "咪", "🦄", "!"]);
  });

  it("keeps an emoji sequence joined by ZWJ as one piece", () => {
    expect(pieces("👩‍💻 ok")).toEqual(["👩‍💻", "ok"]);
  });
});

describe("readText(tokenizer, text)", () => {
  it("is readable with nothing unknown when no token is the unknown one", () => {
    expect(readText(characterTokenizer("abc"), "cab")).toEqual({ readable: true, unknown: [] });
  });

  it("lists the runs of unknown characters inside a partly known word, once each", () => {
    expect(readText(characterTokenizer("abc"), "abxyc xy")).toEqual({ readable: true, unknown: ["xy"] });
  });

  it("is unreadable when every token is unknown", () => {
    expect(readText(characterTokenizer("abc"), "xyz 猫")).toEqual({ readable: false, unknown: ["xyz", "猫"] });
  });

  it("is readable whatever the text for a tokenizer without an unknown token", () => {
    expect(readText({ ids: () => [5, 6], unkId: undefined, specialIds: new Set() }, "🦄")).toEqual({ readable: true, unknown: [] });
  });
});
