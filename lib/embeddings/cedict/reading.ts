import type { GloveVocabulary } from "../glove";
import { tokenizeForGlove } from "../glove-tokens";
import type { CedictLexicon } from "./lexicon";
import { segmentHan, splitByScript, type Segmenter } from "./segment";

/**
 * How the bridged model reads a text: Chinese runs cut into dictionary words, everything else into
 * GloVe's English words, each piece with its vector in GloVe's space or none.
 */

/** One word of a text as the model reads it. */
export interface Piece {
  text: string;
  /** `zh`: a dictionary headword, or one character of a word the dictionary lacks; `en`: a GloVe word. */
  source: "zh" | "en";
  /** Raw scale (like a GloVe word's); undefined when the model has no vector for it. */
  vector: Float32Array | undefined;
}

/**
 * The pieces of `text`, in order. A Chinese word with no vector (not a headword, or no gloss
 * GloVe knows) is read by its characters; an unknown hyphenated English word by its known
 * parts, as glove-100d does.
 */
export function readPieces(
  text: string,
  { lexicon, glove, segmenter = "dictionary" }: { lexicon: CedictLexicon; glove: GloveVocabulary; segmenter?: Segmenter },
): Piece[] {
  const pieces: Piece[] = [];
  for (const run of splitByScript(text)) {
    if (run.han) {
      for (const word of segmentHan(run.text, lexicon, segmenter)) {
        const vector = lexicon.vectorOf(word);
        if (vector || [...word].length === 1) pieces.push({ text: word, source: "zh", vector });
        else for (const char of word) pieces.push({ text: char, source: "zh", vector: lexicon.vectorOf(char) });
      }
      continue;
    }
    for (const word of tokenizeForGlove(run.text)) {
      const vector = glove.vectorOf(word);
      const parts = vector || !word.includes("-") ? [] : word.split("-").filter((part) => glove.hasWord(part));
      if (parts.length > 0) for (const part of parts) pieces.push({ text: part, source: "en", vector: glove.vectorOf(part) });
      else pieces.push({ text: word, source: "en", vector });
    }
  }
  return pieces;
}

/** The mean of the pieces' vectors (each occurrence counts), or undefined when none has one. */
export function meanOfPieces(pieces: readonly Piece[], dims: number): number[] | undefined {
  const sum = new Float64Array(dims);
  let count = 0;
  for (const { vector } of pieces) {
    if (!vector) continue;
    for (let d = 0; d < dims; d++) sum[d] += vector[d];
    count++;
  }
  return count === 0 ? undefined : Array.from(sum, (value) => value / count);
}

/** The texts of the pieces with no vector, in order of first appearance, each once. */
export function unknownPieces(pieces: readonly Piece[]): string[] {
  return [...new Set(pieces.filter((piece) => !piece.vector).map((piece) => piece.text))];
}
