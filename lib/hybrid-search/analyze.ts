import { stemmer } from "stemmer";
import { eng, jpn, zho } from "stopword";

/**
 * Cuts a text into the terms keyword search indexes and matches, in every script: words from the
 * Unicode word segmenter (which has dictionaries for Chinese and Japanese, written without
 * spaces), lower-cased and NFKC-folded (full-width ＡＢＣ is abc). An English word yields itself
 * and its Porter stem marked `~` (removes → removes, ~remov), so other forms of it still match
 * and the exact form counts twice; other scripts are never stemmed. A Chinese or Japanese word of
 * three or more characters also yields its character pairs, so 人工智能 in a question still meets
 * 人工|智能 in a document that the segmenter cut differently (segmentation depends on context).
 * One-character words (猫) are kept, and so are stop words: BM25's idf already makes "the" count
 * for little, and dropping them cost a fifth of the answers on Debian's manual pages (see
 * BENCHMARKS.md). They only stay out of the index lookup (`isStopTerm`).
 *
 * Documents and questions go through this same function; the database only stores its output.
 */

export interface Term {
  term: string;
  /** Where the word the term came from sits in the text (UTF-16 offsets, end exclusive). */
  start: number;
  end: number;
}

const stopWords = new Set([...eng, ...zho, ...jpn].map((word) => word.normalize("NFKC").toLowerCase()));
const stemMark = "~";
const stemmedStopWords = new Set(eng.map((word) => stemMark + stemmer(word)));
const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const englishWord = /^[a-z]+$/;
/** Longer "words" (hashes, base64, minified code) are noise to a keyword index. */
const maxTermLength = 40;
/** The segmenter slows down far faster than linearly on long strings: it is fed pieces at most this long. */
const maxPieceLength = 400;

const segmenter = new Intl.Segmenter("zh", { granularity: "word" });

export function analyze(text: string): Term[] {
  const terms: Term[] = [];
  for (const piece of pieces(text)) {
    for (const segment of segmenter.segment(piece.text)) {
      if (!segment.isWordLike) continue;
      const start = piece.start + segment.index;
      const end = start + segment.segment.length;
      const word = segment.segment.normalize("NFKC").toLowerCase();
      if (cjk.test(word)) {
        terms.push({ term: word, start, end });
        const characters = [...word];
        if (characters.length > 2) {
          for (let i = 0; i + 1 < characters.length; i++) terms.push({ term: characters[i] + characters[i + 1], start, end });
        }
        continue;
      }
      for (const term of wordTerms(word)) terms.push({ term, start, end });
    }
  }
  return terms;
}

/** The distinct terms of a question, in order of first appearance. */
export function queryTerms(question: string): string[] {
  return [...new Set(analyze(question).map((term) => term.term))];
}

/** A stop word, or its stem: too common to look chunks up by (they still count in the score). */
export function isStopTerm(term: string): boolean {
  return stopWords.has(term) || (term.startsWith(stemMark) && stemmedStopWords.has(term));
}

function wordTerms(word: string): string[] {
  const bare = word.replace(/['’]s$/u, "").replace(/['’]/gu, "");
  if (bare.length === 0 || bare.length > maxTermLength) return [];
  return englishWord.test(bare) ? [bare, stemMark + stemmer(bare)] : [bare];
}

/** The text in pieces the segmenter handles fast: lines, then sentences, then at spaces. */
function* pieces(text: string): Generator<{ text: string; start: number }> {
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + maxPieceLength);
    if (end < text.length) {
      const window = text.slice(start, end);
      const cut = Math.max(window.lastIndexOf("\n"), lastSentenceEnd(window), window.lastIndexOf(" "));
      if (cut > 0) end = start + cut + 1;
    }
    yield { text: text.slice(start, end), start };
    start = end;
  }
}

function lastSentenceEnd(window: string): number {
  for (let i = window.length - 1; i >= 0; i--) if ("。！？；.!?;".includes(window[i])) return i;
  return -1;
}
