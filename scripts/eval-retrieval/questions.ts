import { createRandom } from "../../lib/projection/random";
import { chunksHoldingSpan, type Corpus } from "./corpus";
import { parseManPage, type ManSection } from "./man-pages";
import { lexicalOverlap, paraphraseChinese, paraphraseEnglish, type ParaphraseOptions } from "./paraphrase";
import type { WordNet } from "./wordnet";

/**
 * Questions whose answer is known by construction, from manual pages:
 * - page level: the NAME line's description ("signal - overview of signals"), the page's own names
 *   removed, paraphrased; the answer is the page.
 * - passage level: up to `perPage` sentences of a page's prose sections, picked by a seeded shuffle
 *   among those that read as prose (see `isProseSentence`) and occur only once in the whole
 *   corpus, paraphrased; the answer is the chunk(s) holding the sentence (corpus.ts), and its page.
 */

export type Language = "en" | "zh";

export interface Question {
  /** e.g. "signal.7#name", "signal.7#2". */
  id: string;
  level: "passage" | "page";
  question: string;
  page: number;
  /** The text the question was made from (a passage, or the NAME description). */
  source: string;
  /** Passage questions: the span's offsets in the page text, and the chunks that hold it. */
  span?: { start: number; end: number };
  relevant?: number[];
  /** Share of the question's words found in its source (paraphrase.ts); null when not measured. */
  overlap: number | null;
}

/** Sections with no prose to ask about (lists of names, code, boilerplate). */
const skippedSections = new Set([
  "NAME", "SYNOPSIS", "SEE ALSO", "COLOPHON", "AUTHOR", "AUTHORS", "REPORTING BUGS", "COPYRIGHT", "EXAMPLE", "EXAMPLES", "FILES",
  "STANDARDS", "CONFORMING TO", "HISTORY", "VERSIONS", "名称", "名字", "概述", "总览", "参见", "另见", "作者", "报告错误", "报告缺陷",
  "版权", "示例", "范例", "例子", "文件", "跋", "[中文版维护人]", "[中文版最新更新]", "《中国LINUX论坛man手册翻译计划》", "[中文版校对人]",
]);

export interface QuestionOptions {
  language: Language;
  /** Required for English. */
  wordnet?: WordNet;
  /** Passage questions per page at most; default 2. */
  perPage?: number;
  /** Default 13. */
  seed?: number;
  /** Paraphrase settings other than the defaults of paraphrase.ts. */
  paraphrase?: Omit<ParaphraseOptions, "random" | "without" | "context">;
}

export function buildManPageQuestions(corpus: Corpus, { language, wordnet, perPage = 2, seed = 13, paraphrase: settings = {} }: QuestionOptions): Question[] {
  if (language === "en" && !wordnet) throw new Error("English questions need WordNet (options.wordnet).");
  const collapsedPages = corpus.pages.map((page) => collapseWhitespace(page.text, 0, page.text.length).text).join("\n");
  const occursOnce = (text: string) => {
    const first = collapsedPages.indexOf(text);
    return first >= 0 && collapsedPages.indexOf(text, first + 1) < 0;
  };
  const paraphrase = (text: string, options: ParaphraseOptions) =>
    language === "en" ? paraphraseEnglish(text, wordnet!, { ...settings, ...options }) : paraphraseChinese(text, { ...settings, ...options });

  const descriptions = corpus.pages.map((page) => parseManPage(page.text));
  const descriptionCounts = new Map<string, number>();
  for (const { description } of descriptions) if (description) descriptionCounts.set(description, (descriptionCounts.get(description) ?? 0) + 1);

  const questions: Question[] = [];
  corpus.pages.forEach((page, pageIndex) => {
    const { sections, names, description } = descriptions[pageIndex];
    const random = createRandom(seed ^ hashString(page.name));
    const context = language === "en" ? new Set(page.text.toLowerCase().match(/[a-z]{3,}/g)) : undefined;
    const without = nameWords(names);
    if (description && descriptionCounts.get(description) === 1 && lengthWithout(description, without, language) >= 3) {
      const { question } = paraphrase(description, { random, context, without });
      questions.push({ id: `${page.name}#name`, level: "page", question, page: pageIndex, source: description, overlap: lexicalOverlap(question, description) });
    }
    const candidates = shuffled(
      sections.filter((section) => !skippedSections.has(section.title.toUpperCase())).flatMap((section) => proseSentences(page.text, section, language)),
      random,
    );
    let taken = 0;
    for (const sentence of candidates) {
      if (taken >= perPage) break;
      if (!occursOnce(sentence.text)) continue;
      const { question } = paraphrase(sentence.text, { random, context });
      const span = { start: sentence.start, end: sentence.end };
      questions.push({
        id: `${page.name}#${taken + 1}`,
        level: "passage",
        question,
        page: pageIndex,
        source: sentence.text,
        span,
        relevant: chunksHoldingSpan(corpus, pageIndex, span),
        overlap: lexicalOverlap(question, sentence.text),
      });
      taken++;
    }
  });
  return questions;
}

/** A page's names as separate words ("utf-8" also as "utf" and "8"), for removal from questions. */
function nameWords(names: string[]): string[] {
  return [...new Set(names.flatMap((name) => [name, ...name.split(/[^\p{L}\p{N}]+/u)]).filter(Boolean))];
}

/** Words (English) or Han characters (Chinese) left in a description once the page's names are out. */
function lengthWithout(description: string, names: string[], language: Language): number {
  const left = description.split(/\s+/).filter((word) => !names.includes(word.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "")));
  return language === "en" ? left.length : [...left.join("").matchAll(/\p{Script=Han}/gu)].length;
}

export interface Sentence {
  /** Offsets in the page text of the sentence as written (line breaks and indentation inside). */
  start: number;
  end: number;
  /** The sentence with its whitespace collapsed to single spaces. */
  text: string;
}

/** The sentences of a section that read as prose, paragraph by paragraph (blank lines between). */
export function proseSentences(text: string, section: ManSection, language: Language): Sentence[] {
  const body = text.slice(section.start, section.end);
  const sentences: Sentence[] = [];
  const segmenter = new Intl.Segmenter(language, { granularity: "sentence" });
  // Paragraphs: runs of lines between blank lines, a subsection heading (indented less than the
  // text, with no blank line after it) being one of its own.
  for (const paragraph of body.matchAll(/^ {1,6}\S.*$|\S(?:.|\n(?![ \t]*\n| {1,6}\S))*/gm)) {
    const from = section.start + paragraph.index!;
    const collapsed = collapseWhitespace(text, from, from + paragraph[0].length);
    for (const { segment, index } of segmenter.segment(collapsed.text)) {
      const trimmed = segment.trimEnd();
      if (!isProseSentence(trimmed, language)) continue;
      sentences.push({ start: collapsed.offsets[index], end: collapsed.offsets[index + trimmed.length - 1] + 1, text: trimmed });
    }
  }
  return sentences;
}

const codeCharacters = /[{}<>=;|#\\`*$~^[\]]|https?:|\.\.\./;

/**
 * English: 10–45 words and at most 350 characters, a capital first, a full stop last, no code
 * characters, and at least 80% of its words plain words (letters, inner hyphens). Chinese: 15–150
 * characters ending in 。, at least half of them Han, no code characters.
 */
export function isProseSentence(sentence: string, language: Language): boolean {
  if (codeCharacters.test(sentence)) return false;
  if (language === "zh") {
    const characters = [...sentence.replace(/\s/g, "")];
    const hanCount = characters.filter((character) => /\p{Script=Han}/u.test(character)).length;
    return characters.length >= 15 && characters.length <= 150 && sentence.endsWith("。") && hanCount >= characters.length / 2;
  }
  const words = sentence.split(" ");
  if (words.length < 10 || words.length > 45 || sentence.length > 350 || !/^[A-Z]/.test(sentence) || !/[a-z]\.$/.test(sentence)) return false;
  const plain = words.filter((word) => /^[("']?[A-Za-z]+(-[A-Za-z]+)*[)"',.:]*$/.test(word)).length;
  return plain >= 0.8 * words.length;
}

/** `text.slice(start, end)` with every run of whitespace made one space and the ends trimmed; `offsets[i]` is where character i came from. */
export function collapseWhitespace(text: string, start: number, end: number): { text: string; offsets: number[] } {
  let out = "";
  const offsets: number[] = [];
  let pendingSpace = -1;
  for (let i = start; i < end; i++) {
    if (/\s/.test(text[i])) {
      if (out !== "" && pendingSpace < 0) pendingSpace = i;
      continue;
    }
    if (pendingSpace >= 0) {
      out += " ";
      offsets.push(pendingSpace);
      pendingSpace = -1;
    }
    out += text[i];
    offsets.push(i);
  }
  return { text: out, offsets };
}

function shuffled<T>(items: T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** FNV-1a, 32 bits: a seed per page name. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash | 0;
}
