import type { ModelInfo } from "../embeddings/types";
import { chunkDefaults, chunkSizeRange } from "./chunker";

/**
 * A new collection's chunking when its creator sets none: chunks the model reads whole. A chunk
 * longer than the model's `maxTokens` is embedded by its beginning only (use-lite reads 128 tokens,
 * ~430 characters of technical English, so an 800-character chunk's vector ignored its last 45 %),
 * so the default size is the model's limit in characters, at most 800.
 *
 * Characters per token, measured: use-lite's pieces average 3.4 characters on Debian's manual
 * pages (technical English, the retrieval evaluation's corpus; ordinary prose is nearer 4), and 95 %
 * of chunks have more than 1.8; a model reading Chinese spends about a token per Han character. At
 * 3 characters a token, use-lite's default of 350 characters reads ~85 % of technical chunks and
 * nearly all prose whole. A chunk that does not fit is still stored, and searched by keyword in
 * full, and its upload says so (`truncated`, per document).
 * Browser-safe: the create form shows the same default.
 */
export function defaultChunking(model: Partial<Pick<ModelInfo, "maxTokens" | "reads">>): { size: number; overlap: number } {
  if (!model.maxTokens) return { size: chunkDefaults.size, overlap: defaultOverlap(chunkDefaults.size) };
  const charactersPerToken = model.reads?.scripts.includes("Han") ? 1 : englishCharactersPerToken;
  const fits = Math.floor((model.maxTokens * charactersPerToken) / 50) * 50;
  const size = Math.max(chunkSizeRange.min, Math.min(chunkDefaults.size, fits));
  return { size, overlap: defaultOverlap(size) };
}

/** The overlap of a chunk size when none is asked for: an eighth of it, in tens (100 for 800, 40 for 350), as the form's steps go. */
export function defaultOverlap(size: number): number {
  return Math.round((size * chunkDefaults.overlap) / chunkDefaults.size / 10) * 10;
}

/** Below use-lite's median on technical English (3.4): most chunks of 128 × this characters fit in 128 tokens. */
const englishCharactersPerToken = 3;
