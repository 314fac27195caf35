import type { TextReading } from "../types";

/** What `readText` needs of a tokenizer: its ids without special tokens, and which id is unknown. */
export interface ReadingTokenizer {
  /** Token ids of `text`, without the special tokens the model adds around it. */
  ids(text: string): number[];
  /** The id the tokenizer gives what it has no piece for; undefined when it has none (byte-level BPE). */
  unkId: number | undefined;
  /** Special token ids ([CLS], <s>, …), which say nothing about the text. */
  specialIds: ReadonlySet<number>;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * How a model's tokenizer reads `text`. `readable` is false when every token that is not special
 * is the unknown token (or there is none). `unknown` lists the pieces of the original text that
 * become unknown tokens, in order, without repeats: tokenizers give no offsets, so the text is cut
 * the way BERT-like pre-tokenizers cut it (at spaces; punctuation, symbols and CJK characters
 * alone) and each piece tokenized on its own; of a piece that is only partly unknown (SentencePiece
 * models), the runs of characters that are unknown on their own are listed.
 */
export function readText(tokenizer: ReadingTokenizer, text: string): TextReading {
  const { unkId, specialIds } = tokenizer;
  const content = tokenizer.ids(text).filter((id) => !specialIds.has(id));
  if (unkId === undefined || !content.includes(unkId)) return { readable: content.length > 0, unknown: [] };

  const unknown = new Set<string>();
  const isUnknown = (piece: string) => {
    const ids = tokenizer.ids(piece).filter((id) => !specialIds.has(id));
    return { some: ids.includes(unkId), all: ids.length > 0 && ids.every((id) => id === unkId) };
  };
  for (const piece of pieces(text)) {
    const reading = isUnknown(piece);
    if (!reading.some) continue;
    if (reading.all) {
      unknown.add(piece);
      continue;
    }
    let run = "";
    for (const { segment } of graphemes.segment(piece)) {
      if (isUnknown(segment).all) run += segment;
      else if (run) {
        unknown.add(run);
        run = "";
      }
    }
    if (run) unknown.add(run);
  }
  return { readable: content.some((id) => id !== unkId), unknown: [...unknown] };
}

// Letters, marks and digits group into words, except CJK ideographs, each a word of its own;
// anything else (punctuation, symbols, emoji) stands alone.
const piecePattern = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])[\p{L}\p{M}\p{N}])+|\P{White_Space}(?:\p{M}|\u200d\P{White_Space}|[\ufe0f\u{1f3fb}-\u{1f3ff}])*/gu;

/** The text cut into the pieces `readText` checks, in order. */
export function pieces(text: string): string[] {
  return text.match(piecePattern) ?? [];
}

/**
 * How much of `text` fits in a model's `maxLength` tokens, when it does not all fit. `count` gives
 * the tokens the model sees for a text (prefix and special tokens included). Tokenizers here give
 * no offsets, so the characters read are found by halving: the longest beginning that still fits.
 */
export function truncationOf(count: (text: string) => number, text: string, maxLength: number): TextReading["truncated"] {
  const tokens = count(text);
  if (tokens <= maxLength) return undefined;
  let fits = 0;
  let overflows = text.length;
  while (overflows - fits > 1) {
    const middle = Math.floor((fits + overflows) / 2);
    if (count(text.slice(0, middle)) <= maxLength) fits = middle;
    else overflows = middle;
  }
  return { tokens, readCharacters: fits };
}
