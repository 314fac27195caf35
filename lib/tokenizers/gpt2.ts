import { bpeEncoder } from "./bpe";
import type { Tokenizer } from "./types";

/** r50k_base: GPT-2's vocabulary, also GPT-3's (davinci). */
export const gpt2: Tokenizer = {
  id: "gpt2",
  name: "gpt2 (r50k_base)",
  models: ["GPT-2", "GPT-3 (davinci)"],
  licence: "MIT (gpt-tokenizer; the vocabulary is OpenAI's GPT-2, MIT)",
  vocabularySize: 50_257,
  encode: bpeEncoder(async () => [await import("gpt-tokenizer/encoding/r50k_base"), (await import("gpt-tokenizer/bpeRanks/r50k_base")).default]),
};
