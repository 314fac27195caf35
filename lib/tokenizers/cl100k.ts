import { bpeEncoder } from "./bpe";
import type { Tokenizer } from "./types";

export const cl100k: Tokenizer = {
  id: "cl100k_base",
  name: "cl100k_base (GPT-4)",
  models: ["GPT-4", "GPT-3.5 Turbo", "text-embedding-3"],
  licence: "MIT (gpt-tokenizer; the vocabulary is OpenAI's tiktoken, MIT)",
  vocabularySize: 100_264,
  encode: bpeEncoder(async () => [await import("gpt-tokenizer/encoding/cl100k_base"), (await import("gpt-tokenizer/bpeRanks/cl100k_base")).default]),
};
