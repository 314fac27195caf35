/**
 * Chinese text has no spaces between words: these functions cut it into dictionary words. Pure:
 * text and a headword test in, words out.
 */

/** How to cut a run of Chinese characters into words. */
export type Segmenter = "dictionary" | "intl";

/** A stretch of a text: Chinese characters (`han`), or anything else (English, digits, punctuation). */
export interface ScriptRun {
  text: string;
  han: boolean;
}

const hanPattern = /[\p{Script=Han}]+/gu;

/** Splits a text into runs of Han characters and runs of everything else, in order; empty runs are left out. */
export function splitByScript(text: string): ScriptRun[] {
  const runs: ScriptRun[] = [];
  let at = 0;
  for (const match of text.matchAll(hanPattern)) {
    if (match.index > at) runs.push({ text: text.slice(at, match.index), han: false });
    runs.push({ text: match[0], han: true });
    at = match.index + match[0].length;
  }
  if (at < text.length) runs.push({ text: text.slice(at), han: false });
  return runs;
}

export interface Dictionary {
  has(word: string): boolean;
  /** The longest headword, in characters. */
  maxWordLength: number;
}

/**
 * Bidirectional maximum matching: the longest headwords taken from the front (forward) and from
 * the back (backward), keeping the cut with fewer words, then fewer single characters, else the
 * backward one, which errs less in Chinese. Forward alone reads 吃香蕉 as 吃香 | 蕉 ("popular" +
 * a stray character); backward reads 吃 | 香蕉 ("eat banana"). Each direction is linear in the
 * text's length times `maxWordLength` lookups.
 */
export function segmentByDictionary(run: string, dictionary: Dictionary): string[] {
  const chars = Array.from(run);
  const longest = Math.min(dictionary.maxWordLength, 8); // longer headwords are whole proverbs
  const forward = matchForward(chars, dictionary, longest);
  const backward = matchBackward(chars, dictionary, longest);
  if (forward.length !== backward.length) return forward.length < backward.length ? forward : backward;
  return singles(forward) < singles(backward) ? forward : backward;
}

/** Forward maximum matching: from each position, the longest headword that starts there, else one character. */
export function matchForward(chars: string[], dictionary: Dictionary, longest: number): string[] {
  const words: string[] = [];
  for (let at = 0; at < chars.length; ) {
    let length = Math.min(longest, chars.length - at);
    while (length > 1 && !dictionary.has(chars.slice(at, at + length).join(""))) length--;
    words.push(chars.slice(at, at + length).join(""));
    at += length;
  }
  return words;
}

/** Backward maximum matching: the same from the end, the longest headword that ends at each position. */
export function matchBackward(chars: string[], dictionary: Dictionary, longest: number): string[] {
  const words: string[] = [];
  for (let end = chars.length; end > 0; ) {
    let length = Math.min(longest, end);
    while (length > 1 && !dictionary.has(chars.slice(end - length, end).join(""))) length--;
    words.push(chars.slice(end - length, end).join(""));
    end -= length;
  }
  return words.reverse();
}

function singles(words: string[]): number {
  return words.filter((word) => Array.from(word).length === 1).length;
}

/**
 * Intl.Segmenter's zh word segmentation (ICU's dictionary), with dictionary matching inside any
 * segment that is not a headword. ICU slows down far faster than linearly on long strings
 * (minutes for 650k characters), so it gets chunks of at most `chunkLength` (default 200)
 * characters; a run of Han characters is already one clause, since punctuation ends it.
 */
export function segmentByIntl(run: string, dictionary: Dictionary, { chunkLength = 200 } = {}): string[] {
  const segmenter = (intlSegmenter ??= new Intl.Segmenter("zh", { granularity: "word" }));
  const chars = Array.from(run);
  const words: string[] = [];
  for (let at = 0; at < chars.length; at += chunkLength) {
    for (const { segment } of segmenter.segment(chars.slice(at, at + chunkLength).join(""))) {
      if (dictionary.has(segment) || Array.from(segment).length === 1) words.push(segment);
      else words.push(...segmentByDictionary(segment, dictionary));
    }
  }
  return words;
}

let intlSegmenter: Intl.Segmenter | undefined;

/** Cuts a run of Han characters into words with the chosen segmenter. */
export function segmentHan(run: string, dictionary: Dictionary, segmenter: Segmenter = "dictionary"): string[] {
  return segmenter === "intl" ? segmentByIntl(run, dictionary) : segmentByDictionary(run, dictionary);
}
