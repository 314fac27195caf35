import { stemmer } from "stemmer";
import { eng, zho } from "stopword";
import type { WordNet } from "./wordnet";

/**
 * Questions made from a known text by changing its words, so the answer's place is known by
 * construction but the question is not a copy of it (a copied sentence favours keyword search
 * unfairly). Deterministic for a given `random`.
 *
 * English: section references ("signal(7)") and the page's own names are removed; each function
 * word is dropped with probability `dropFunctionWord`; each content word (3 or more lower-case
 * letters: names, acronyms and identifiers are kept as written) is replaced by a WordNet synonym
 * with probability `replaceWord` (of the sense that best fits the page, one of the first three
 * whose Porter stem differs from the word's, of at most two words), else dropped with
 * probability `dropWord`, at least two content words staying; a sentence with a comma inside
 * has its two parts swapped. Chinese: the same drops (function words: the stopword package's
 * Chinese list), clauses swapped at the first "，", and no synonyms: Debian ships no Chinese
 * thesaurus, and CC-CEDICT synonyms (words sharing an English gloss) would hand cedict-glove-100d,
 * which embeds exactly those glosses, the answer.
 */

export const paraphraseDefaults = { dropFunctionWord: 0.5, replaceWord: 0.4, dropWord: 0.2, chineseDropWord: 0.35 } as const;

export interface ParaphraseOptions {
  random: () => number;
  /** Words never kept (a page's own names, lower-cased). */
  without?: readonly string[];
  /** Lower-cased words of the page, to choose each word's sense by (wordnet.ts). */
  context?: ReadonlySet<string>;
  dropFunctionWord?: number;
  replaceWord?: number;
  /** Probability of dropping a content word not replaced (Chinese: `chineseDropWord`). */
  dropWord?: number;
}

export interface Paraphrase {
  question: string;
  replaced: number;
  dropped: number;
}

const englishStopWords = new Set(eng.map((word) => word.toLowerCase()));
const chineseStopWords = new Set(zho);
const contentWord = /^[a-z]{3,}$/;
const sectionReference = /\(\d[a-z]*\)/gi;

type Action = { keep: string } | { replace: string } | { drop: true };

export function paraphraseEnglish(text: string, wordnet: WordNet, options: ParaphraseOptions): Paraphrase {
  const { random, without = [], context, dropFunctionWord = paraphraseDefaults.dropFunctionWord, replaceWord = paraphraseDefaults.replaceWord } = options;
  const dropWord = options.dropWord ?? paraphraseDefaults.dropWord;
  const names = new Set(without);
  let tokens = text.replace(sectionReference, "").split(/\s+/).filter(Boolean);
  // Swap the parts around a comma inside the sentence ("When X, Y" → "Y when X").
  const comma = tokens.findIndex((token, i) => token.endsWith(",") && i >= 2 && i <= tokens.length - 3);
  if (comma >= 0) tokens = [...tokens.slice(comma + 1), ...tokens.slice(0, comma + 1)];

  const actions: { word: string; content: boolean; action: Action }[] = tokens.map((token) => {
    const word = token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
    const lower = word.toLowerCase();
    if (word === "" || names.has(lower)) return { word, content: false, action: { drop: true } };
    if (englishStopWords.has(lower)) return { word, content: false, action: random() < dropFunctionWord ? { drop: true } : { keep: word } };
    if (!contentWord.test(word)) return { word, content: false, action: { keep: word } };
    const roll = random();
    if (roll < replaceWord) {
      const synonyms = acceptableSynonyms(lower, wordnet, context);
      if (synonyms.length > 0) return { word, content: true, action: { replace: synonyms[Math.floor(random() * synonyms.length)] } };
    }
    return { word, content: true, action: roll >= 1 - dropWord ? { drop: true } : { keep: word } };
  });
  // At least two content words stay: restore dropped ones from the start.
  let remaining = actions.filter((entry) => entry.content && !("drop" in entry.action)).length;
  for (const entry of actions) {
    if (remaining >= 2) break;
    if (entry.content && "drop" in entry.action) {
      entry.action = { keep: entry.word };
      remaining++;
    }
  }
  const words = actions.flatMap(({ action }) => ("keep" in action ? [action.keep] : "replace" in action ? [action.replace] : []));
  return {
    question: words.join(" "),
    replaced: actions.filter(({ action }) => "replace" in action).length,
    dropped: actions.filter(({ word, action }) => word !== "" && "drop" in action).length,
  };
}

function acceptableSynonyms(word: string, wordnet: WordNet, context?: ReadonlySet<string>): string[] {
  const stem = stemmer(word);
  return wordnet
    .synonyms(word, context)
    .filter((synonym) => {
      const parts = synonym.split(" ");
      return parts.length <= 2 && !synonym.includes(word) && parts.every((part) => stemmer(part) !== stem);
    })
    .slice(0, 3);
}

const wordSegmenter = new Intl.Segmenter("zh", { granularity: "word" });
const han = /\p{Script=Han}/u;

export function paraphraseChinese(text: string, options: ParaphraseOptions): Paraphrase {
  const { random, without = [], dropFunctionWord = paraphraseDefaults.dropFunctionWord } = options;
  const dropWord = options.dropWord ?? paraphraseDefaults.chineseDropWord;
  const names = new Set(without);
  let source = text.replace(sectionReference, "");
  const comma = source.indexOf("，");
  if (comma >= 4 && source.length - comma > 5) source = `${source.slice(comma + 1)}，${source.slice(0, comma)}`;

  const words = [...wordSegmenter.segment(source)].filter((segment) => segment.isWordLike).map((segment) => segment.segment);
  const actions = words.map((word) => {
    const content = !chineseStopWords.has(word) && !names.has(word.toLowerCase());
    const drop = names.has(word.toLowerCase()) || random() < (content ? dropWord : dropFunctionWord);
    return { word, content, drop };
  });
  let remaining = actions.filter((entry) => entry.content && !entry.drop).length;
  for (const entry of actions) {
    if (remaining >= 2) break;
    if (entry.content && entry.drop && !names.has(entry.word.toLowerCase())) {
      entry.drop = false;
      remaining++;
    }
  }
  const kept = actions.filter((entry) => !entry.drop).map((entry) => entry.word);
  // Han characters join without spaces; a space only between two words of other scripts.
  const question = kept.reduce((joined, word) => (joined !== "" && !han.test(joined.at(-1)!) && !han.test(word[0]) ? `${joined} ${word}` : joined + word), "");
  return { question, replaced: 0, dropped: actions.filter((entry) => entry.drop).length };
}

/**
 * How much of a question is copied from its source: the share of the question's content words
 * (English: Porter stems of words not in the stop list; Chinese: segmented words, stop words
 * out) that also occur in the source. 1 means every word of the question is in the passage.
 */
export function lexicalOverlap(question: string, source: string): number {
  const words = (text: string) =>
    [...wordSegmenter.segment(text.toLowerCase())]
      .filter((segment) => segment.isWordLike && !englishStopWords.has(segment.segment) && !chineseStopWords.has(segment.segment))
      .map((segment) => (/^[a-z]+$/.test(segment.segment) ? stemmer(segment.segment) : segment.segment));
  const asked = words(question);
  if (asked.length === 0) return 0;
  const present = new Set(words(source));
  const sourceText = source.toLowerCase();
  return asked.filter((word) => present.has(word) || (han.test(word) && sourceText.includes(word))).length / asked.length;
}
