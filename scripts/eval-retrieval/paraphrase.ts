import { stemmer } from "stemmer";
import { eng, zho } from "stopword";
import type { WordNet } from "./wordnet";

/**
 * Questions made from a known text by changing its words, so the answer's place is known by
 * construction but the question is not a copy of it (a copied sentence favours keyword search
 * unfairly), and is short, as questions are. Deterministic for a given `random`.
 *
 * English: section references ("signal(7)") and the page's own names are removed, and a sentence
 * with a comma inside has its two parts swapped. Function words are each dropped with probability
 * `dropFunctionWord`; identifiers (anything but 3 or more lower-case letters: SIGKILL, getrpcbyname,
 * 2.30) each with probability `dropIdentifier`; of the words left, at most `maxWords` are kept
 * (a seeded choice, in their order), and each kept word is replaced with probability `replaceWord`
 * by a WordNet synonym (of the sense that best fits the page, one of the first three whose Porter
 * stem differs from the word's, of at most two words). At least two words or identifiers stay.
 * Chinese: the same, on Intl.Segmenter words (function words: the stopword package's Chinese
 * list), clauses swapped at the first "，", and no synonyms: Debian ships no Chinese thesaurus, and
 * CC-CEDICT synonyms (words sharing an English gloss) would hand cedict-glove-100d, which embeds
 * exactly those glosses, the answer.
 */

export const paraphraseDefaults = { dropFunctionWord: 0.5, dropIdentifier: 0.7, maxWords: 4, replaceWord: 0.6 } as const;

export interface ParaphraseOptions {
  random: () => number;
  /** Words never kept (a page's own names, lower-cased). */
  without?: readonly string[];
  /** Lower-cased words of the page, to choose each word's sense by (wordnet.ts). */
  context?: ReadonlySet<string>;
  dropFunctionWord?: number;
  dropIdentifier?: number;
  /** Most content words kept (identifiers not counted). */
  maxWords?: number;
  /** English only. */
  replaceWord?: number;
}

export interface Paraphrase {
  question: string;
  replaced: number;
  dropped: number;
}

const englishStopWords = new Set(eng.map((word) => word.toLowerCase()));
const chineseStopWords = new Set(zho);
const sectionReference = /\(\d[a-z]*\)/gi;

type Kind = "name" | "function" | "identifier" | "word";
interface Token {
  word: string;
  kind: Kind;
  keep: boolean;
  replacement?: string;
}

/** Which tokens stay, by the rules above; `kindOf` tells the language's kinds apart. */
function chooseWords(words: string[], kindOf: (word: string) => Kind, options: ParaphraseOptions): Token[] {
  const { random, dropFunctionWord = paraphraseDefaults.dropFunctionWord, dropIdentifier = paraphraseDefaults.dropIdentifier, maxWords = paraphraseDefaults.maxWords } = options;
  const tokens: Token[] = words.map((word) => {
    const kind = kindOf(word);
    const keep = kind === "function" ? random() >= dropFunctionWord : kind === "identifier" ? random() >= dropIdentifier : kind === "word";
    return { word, kind, keep };
  });
  const content = tokens.filter((token) => token.kind === "word");
  for (let i = content.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [content[i], content[j]] = [content[j], content[i]];
  }
  for (const token of content.slice(maxWords)) token.keep = false;
  // At least two words or identifiers stay: restore dropped ones from the start.
  let kept = tokens.filter((token) => token.keep && (token.kind === "word" || token.kind === "identifier")).length;
  for (const token of tokens) {
    if (kept >= 2) break;
    if (!token.keep && (token.kind === "word" || token.kind === "identifier")) {
      token.keep = true;
      kept++;
    }
  }
  return tokens;
}

export function paraphraseEnglish(text: string, wordnet: WordNet, options: ParaphraseOptions): Paraphrase {
  const { random, without = [], context, replaceWord = paraphraseDefaults.replaceWord } = options;
  const names = new Set(without);
  let parts = text.replace(sectionReference, "").split(/\s+/).filter(Boolean);
  // Swap the parts around a comma inside the sentence ("When X, Y" → "Y when X").
  const comma = parts.findIndex((part, i) => part.endsWith(",") && i >= 2 && i <= parts.length - 3);
  if (comma >= 0) parts = [...parts.slice(comma + 1), ...parts.slice(0, comma + 1)];
  const words = parts.map((part) => part.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "")).filter(Boolean);
  const tokens = chooseWords(
    words,
    (word) => {
      const lower = word.toLowerCase();
      if (names.has(lower)) return "name";
      if (englishStopWords.has(lower)) return "function";
      return /^[a-z]{3,}$/.test(word) ? "word" : "identifier";
    },
    options,
  );
  for (const token of tokens) {
    if (!token.keep || token.kind !== "word" || random() >= replaceWord) continue;
    const synonyms = acceptableSynonyms(token.word, wordnet, context);
    if (synonyms.length > 0) token.replacement = synonyms[Math.floor(random() * synonyms.length)];
  }
  const kept = tokens.filter((token) => token.keep);
  return {
    question: kept.map((token) => token.replacement ?? token.word).join(" "),
    replaced: kept.filter((token) => token.replacement !== undefined).length,
    dropped: tokens.length - kept.length,
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
  const names = new Set(options.without ?? []);
  let source = text.replace(sectionReference, "");
  const comma = source.indexOf("，");
  if (comma >= 4 && source.length - comma > 5) source = `${source.slice(comma + 1)}，${source.slice(0, comma)}`;
  const words = [...wordSegmenter.segment(source)].filter((segment) => segment.isWordLike).map((segment) => segment.segment);
  const tokens = chooseWords(
    words,
    (word) => (names.has(word.toLowerCase()) ? "name" : chineseStopWords.has(word) ? "function" : han.test(word) ? "word" : "identifier"),
    options,
  );
  const kept = tokens.filter((token) => token.keep).map((token) => token.word);
  // Han characters join without spaces; a space only between two words of other scripts.
  const question = kept.reduce((joined, word) => (joined !== "" && !han.test(joined.at(-1)!) && !han.test(word[0]) ? `${joined} ${word}` : joined + word), "");
  return { question, replaced: 0, dropped: tokens.length - kept.length };
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
