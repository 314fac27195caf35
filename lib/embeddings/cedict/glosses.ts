import { tokenizeForGlove } from "../glove-tokens";
import type { CedictEntry } from "./dictionary";

/**
 * From a headword's dictionary glosses to weighted English word lists, the input of its vector.
 * CC-CEDICT glosses mix meanings with lexicographers' notes ("CL:隻|只[zhi1]", "variant of 貓|猫[mao1]",
 * "surname Wang", "(dialect)"): the notes go, the meanings stay, and the meanings a reader meets
 * first (the first reading's first, short glosses) weigh most.
 */

/** One cleaned meaning: its English words (stop words dropped) and how much it counts. */
export interface WeightedGloss {
  words: string[];
  weight: number;
}

/** How much a gloss counts by its position among the headword's readings and glosses, and its form. */
export const glossWeights = {
  /** Later readings of a headword count 1/(1 + this × reading index): the first is usually the common one. */
  readingDecay: 1,
  /** Later glosses of a reading count 1/(1 + this × gloss index). */
  glossDecay: 1,
  /** Glosses marked archaic, dialect, slang, Taiwan-only, … */
  marginal: 0.3,
  /** The literal half of an idiom ("lit. to draw legs on a snake"), beside its figurative meaning. */
  literal: 0.5,
  /** "classifier for flat objects": says how the word is counted, not what it means. */
  classifier: 0.3,
  /** A gloss of stop words only ("of", "is"), kept only because nothing else describes the word. */
  stopWordsOnly: 0.5,
  /** At most this many glosses per headword: the rest are rare senses that blur the vector. */
  maxGlosses: 8,
} as const;

/**
 * English words that say little about a meaning, including CEDICT's own shorthand (sb, sth, esp).
 * Deliberately short: "out", "up", "off" change a verb's meaning and stay.
 */
export const stopWords: ReadonlySet<string> = new Set(
  (
    "a an the of to and or in on at for by with from as is are am be been being was were it its " +
    "this that these those which who whom whose sb sth sb's sth's one oneself one's someone somebody something " +
    "etc esp eg ie e g i.e used use usu also very kind type sort form"
  ).split(" "),
);

/** Labels (in parentheses) that mark a sense most readers will not mean. */
const marginalLabels =
  /^(?:archaic|old|dialect|slang|internet slang|tw|taiwan|cantonese|literary|lit\.|classical|obsolete|vulgar|onom\.|loanword|in buddhism|buddhism|in taoism|daoism|taoism|math\.|chemistry|zoology|botany|medicine|physics|old name|obs\.)/i;

/** Whole glosses that are notes about the word, not meanings of it. */
const droppedGloss =
  /^(?:CL:|(?:old |archaic |ancient |japanese |korean )?variant of |see |see also |also written |also pr\.|pr\. |taiwan pr\.|surname |kangxi radical|radical |used in |\(?same as |erhua variant|abbr\. for [^,]*$|abbr\. to [^,]*$|\(?unofficial\)? |also called |one of the eight trigrams|\d+(?:st|nd|rd|th) (?:earthly|heavenly) (?:branch|stem))/i;

/**
 * The meanings in one raw gloss: zero (a note), one, or several where ";" or "," separates them.
 * Drops parenthetical remarks, Chinese cross-references and pinyin in brackets, and the
 * "abbr. for …" and "fig." prefixes; `weight` carries the gloss's form (marginal, literal, …).
 */
export function cleanGloss(raw: string): { text: string; weight: number }[] {
  const gloss = raw.trim();
  if (droppedGloss.test(gloss)) return [];
  let weight = 1;
  const label = /^\(([^)]*)\)/.exec(gloss)?.[1];
  if (label && marginalLabels.test(label)) weight *= glossWeights.marginal;
  if (/^classifier for/i.test(gloss)) weight *= glossWeights.classifier;
  const meanings: { text: string; weight: number }[] = [];
  // ";" separates alternatives, ", " mostly an explanation after the meaning ("Tokyo, capital of
  // Japan"): apart, the meaning keeps its own weight instead of being averaged into "capital".
  for (const part of stripNotes(gloss).split(/[;,]/)) {
    let text = part.trim();
    let partWeight = weight;
    if (/^lit\.\s*/i.test(text)) {
      partWeight *= glossWeights.literal;
      text = text.replace(/^lit\.\s*/i, "");
    }
    text = text.replace(/^(?:fig\.|abbr\. (?:for|to)|i\.e\.|e\.g\.)\s*/i, "").replace(/^[\s,:]+|[\s,:]+$/g, "");
    if (/[\p{L}\p{N}]/u.test(text)) meanings.push({ text, weight: partWeight });
  }
  return meanings;
}

/** Removes (…) remarks, even nested ones, "[pin1 yin1]" readings, and Chinese characters with their "|" pairs. */
function stripNotes(gloss: string): string {
  let text = gloss;
  for (let previous = ""; previous !== text; ) {
    previous = text;
    text = text.replace(/\([^()]*\)/g, " ");
  }
  return text
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/[\p{Script=Han}\u3000-\u303f\uff00-\uffef|·]+/gu, " ")
    .replace(/\s+/g, " ");
}

/**
 * The weighted meanings of a headword from all its readings (entries), at most
 * `glossWeights.maxGlosses`. Readings with lowercase pinyin come first: a capitalised reading is a
 * name ("Wang2", a surname) beside the common word. Empty when every gloss is a note.
 */
export function weightedGlosses(entries: readonly CedictEntry[]): WeightedGloss[] {
  const ordered = [...entries].sort((a, b) => Number(isProperNoun(a)) - Number(isProperNoun(b)));
  const glosses: WeightedGloss[] = [];
  let reading = 0;
  for (const entry of ordered) {
    let position = 0;
    for (const raw of entry.glosses) {
      for (const { text, weight } of cleanGloss(raw)) {
        const words = tokenizeForGlove(text);
        const content = words.filter((word) => !stopWords.has(word));
        if (words.length === 0) continue;
        const base =
          weight / (1 + glossWeights.readingDecay * reading) / (1 + glossWeights.glossDecay * position) / Math.sqrt(Math.max(1, content.length));
        glosses.push(
          content.length > 0 ? { words: content, weight: base } : { words, weight: base * glossWeights.stopWordsOnly },
        );
        position++;
      }
    }
    if (position > 0) reading++;
  }
  return glosses.slice(0, glossWeights.maxGlosses);
}

function isProperNoun(entry: CedictEntry): boolean {
  return /^[A-Z]/.test(entry.pinyin);
}
