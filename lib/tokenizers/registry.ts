import { AppError } from "../api/errors";
import { cl100k } from "./cl100k";
import { gpt2 } from "./gpt2";
import { o200k } from "./o200k";
import { qwen3 } from "./qwen3";
import type { LlmToken, Tokenizer, TokenizerInfo } from "./types";

/**
 * The LLM tokenizers this server offers. Adding one is one line here and one module beside it.
 * Check the vocabulary's licence first: Llama 3's, for one, comes under Meta's own licence.
 */
const tokenizers: readonly Tokenizer[] = [o200k, cl100k, gpt2, qwen3];

export const tokenizerIds = tokenizers.map((tokenizer) => tokenizer.id);

/** Every tokenizer's description, without loading any vocabulary. */
export function listTokenizers(): TokenizerInfo[] {
  return tokenizers.map(({ id, name, models, licence, vocabularySize }) => ({ id, name, models, licence, vocabularySize }));
}

/** The tokenizer with this id; `AppError("bad_request:tokenizer")` naming the ones there are otherwise. */
export function resolveTokenizer(id: string): Tokenizer {
  const tokenizer = tokenizers.find((candidate) => candidate.id === id);
  if (!tokenizer) {
    throw new AppError("bad_request:tokenizer", `Unknown tokenizer ${JSON.stringify(id.slice(0, 100))}; use one of ${tokenizerIds.join(", ")} (GET /api/tokenizers).`);
  }
  return tokenizer;
}

export interface LlmTokenizeResult {
  tokenizer: string;
  tokens: LlmToken[];
  count: number;
}

/** The tokens of `text` for the tokenizer `tokenizer` (an id from `listTokenizers`). */
export async function tokenizeForLlm({ tokenizer, text }: { tokenizer: string; text: string }): Promise<LlmTokenizeResult> {
  const tokens = await resolveTokenizer(tokenizer).encode(text);
  return { tokenizer, tokens, count: tokens.length };
}
