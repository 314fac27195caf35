import { AppError } from "../api/errors";
import { textSchema } from "../api/schemas";
import type { Database } from "../db/connection";
import { embedTexts } from "../embeddings/service";
import { tokenize } from "../embeddings/tokens";
import { tokenizeForLlm } from "../tokenizers/registry";
import { embeddingsResponse, type EmbeddingsResponse } from "./encoding";
import { resolveOpenAiModel } from "./models";
import type { EmbeddingsRequest } from "./schema";
import { decodeTokenInputs } from "./token-input";

/**
 * POST /v1/embeddings: OpenAI's embeddings API over the app's models, through the same
 * `embedTexts` as POST /api/embed, so a text gets the same L2-normalised vector from both.
 *
 * - Texts the model cannot read are refused (400 `unreadable:texts`), as on /api/embed; the
 *   warnings /api/embed adds for partly known texts have no place in OpenAI's reply and are left out.
 * - Nothing is added to the shared embeddings cache (`store: false`): texts sent here, often
 *   private documents, don't become visible to everyone through /api/search's `scope: "texts"`.
 *   Vectors already cached are reused.
 * - `usage.prompt_tokens` counts each text with the model's own tokenizer (use-lite: its
 *   SentencePiece pieces; glove-100d: its words; cedict-glove-100d: its words), as POST /api/tokens
 *   shows them. Models whose tokenizer can't run here (hf:, local:) are counted in cl100k_base
 *   tokens, what OpenAI's embedding models would count for the same texts.
 */
export async function createEmbeddings(db: Database, request: EmbeddingsRequest): Promise<EmbeddingsResponse> {
  const model = resolveOpenAiModel(request.model);
  const { id, dims: knownDims } = model.info();
  const texts = await inputTexts(request.input);
  // Checked before embedding when the model's dimension is known, after it otherwise (remote models).
  if (knownDims !== null) checkDimensions(request.dimensions, id, knownDims);
  const { dims, vectors } = await embedTexts(db, { model: id, texts, store: false });
  checkDimensions(request.dimensions, id, dims);
  return embeddingsResponse({ model: id, vectors, format: request.encoding_format, promptTokens: await countTokens(id, texts) });
}

/** The texts to embed, in order: token ids decoded, then checked like any text (trimmed, not empty, within the length limit). */
async function inputTexts(input: EmbeddingsRequest["input"]): Promise<string[]> {
  if (typeof input === "string") return [input];
  if (input.every((item) => typeof item === "string")) return input as string[];
  const decoded = await decodeTokenInputs(input as number[] | number[][]);
  return decoded.map((text, i) => {
    const result = textSchema.safeParse(text);
    if (result.success) return result.data;
    const where = Array.isArray(input[0]) ? `input[${i}]` : "input";
    throw new AppError("bad_request:input", `${where} decodes (as cl100k_base) to a text that ${result.error.issues[0].message}.`);
  });
}

function checkDimensions(requested: number | undefined, model: string, dims: number): void {
  if (requested === undefined || requested === dims) return;
  throw new AppError(
    "bad_request:dimensions",
    `dimensions is ${requested}, but ${model} makes ${dims}-dimensional vectors, and they are never truncated; leave dimensions out or send ${dims}.`,
  );
}

/** Tokens of all `texts` for `model` (see createEmbeddings), each distinct text tokenized once. */
async function countTokens(model: string, texts: string[]): Promise<number> {
  const counts = new Map<string, number>();
  for (const text of new Set(texts)) {
    const own = await tokenize({ model, text });
    counts.set(text, own.supported ? own.count : (await tokenizeForLlm({ tokenizer: "cl100k_base", text })).count);
  }
  return texts.reduce((sum, text) => sum + counts.get(text)!, 0);
}
