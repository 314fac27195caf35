import { bpeEncoder } from "./bpe";
import type { Tokenizer } from "./types";

export const o200k: Tokenizer = {
  id: "o200k_base",
  name: "o200k_base (GPT-4o)",
  models: ["GPT-4o", "GPT-4.1", "o1", "o3", "o4-mini", "GPT-5"],
  licence: "MIT (gpt-tokenizer; the vocabulary is OpenAI's tiktoken, MIT)",
  vocabularySize: 200_006,
  encode: bpeEncoder(async () => [await import("gpt-tokenizer/encoding/o200k_base"), (await import("gpt-tokenizer/bpeRanks/o200k_base")).default]),
};
