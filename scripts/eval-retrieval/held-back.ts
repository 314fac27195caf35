import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { chunksHoldingSpan, normalizeDocumentText, type Corpus, type Page } from "./corpus";
import { lexicalOverlap } from "./paraphrase";
import type { Question } from "./questions";

/**
 * A corpus from outside: `--corpus <dir>` (every .txt and .md file under it, by relative path)
 * and `--questions <file.jsonl>`, one JSON object a line:
 *
 *   {"question": "how do I ignore a signal", "document": "man7/signal.txt", "passage": "ignore the signal"}
 *
 * `document` is a file's path relative to the corpus directory; `passage`, optional, an exact
 * substring of that file (after the normalisation the app applies: NFC, CRLF → LF). With a
 * passage the question counts at both levels, each occurrence's chunks being answers; without
 * one, at page level only. `id` (string) is optional. Blank lines are skipped. Any other problem
 * (bad JSON, an unknown field or file, a passage not in its file) stops the run naming the line.
 */

export const heldBackExtensions = [".txt", ".md"] as const;

const questionLine = z.strictObject({
  id: z.string().min(1).max(200).optional(),
  question: z.string().trim().min(1, "must not be empty").max(10_000, "must be at most 10,000 characters (the app's text limit)"),
  document: z.string().min(1, "must name a file of the corpus"),
  passage: z.string().min(1, "must not be empty when given").optional(),
});

export function readCorpusDirectory(dir: string): Page[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`--corpus ${dir}: no such directory.`);
  const files = (fs.readdirSync(dir, { recursive: true, encoding: "utf8" }) as string[])
    .filter((file) => heldBackExtensions.some((extension) => file.toLowerCase().endsWith(extension)))
    .map((file) => file.split(path.sep).join("/"))
    .sort();
  const pages = files
    .map((name) => ({ name, text: normalizeDocumentText(fs.readFileSync(path.join(dir, name), "utf8")) }))
    .filter((page) => page.text.trim() !== "");
  if (pages.length === 0) throw new Error(`--corpus ${dir}: no non-empty ${heldBackExtensions.join(" or ")} files in it.`);
  return pages;
}

/**
 * The questions of a JSON Lines file, resolved against `corpus`. Throws naming the first bad line.
 * Lines about a document in `leftOut` (files the run could not store) are skipped.
 */
export function parseQuestionLines(
  jsonl: string,
  corpus: Corpus,
  { file = "questions", leftOut = new Set() }: { file?: string; leftOut?: ReadonlySet<string> } = {},
): Question[] {
  const pageByName = new Map(corpus.pages.map((page, index) => [page.name, index]));
  const questions: Question[] = [];
  const ids = new Set<string>();
  jsonl.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    const where = `${file}, line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new Error(`${where}: not JSON (${(error as Error).message}).`);
    }
    const parsed = questionLine.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${where}: ${issue.path.join(".") || "the line"} ${issue.message}.`);
    }
    const { question, document, passage } = parsed.data;
    if (leftOut.has(document)) return;
    const id = parsed.data.id ?? `line ${i + 1}`;
    if (ids.has(id)) throw new Error(`${where}: id "${id}" is used twice.`);
    ids.add(id);
    const page = pageByName.get(document);
    if (page === undefined) throw new Error(`${where}: document "${document}" is not a file of the corpus (names are paths relative to --corpus, e.g. "${corpus.pages[0].name}").`);
    if (passage === undefined) {
      questions.push({ id, level: "page", question, page, source: document, overlap: null });
      return;
    }
    const wanted = normalizeDocumentText(passage);
    const text = corpus.pages[page].text;
    const relevant = new Set<number>();
    let first: { start: number; end: number } | undefined;
    for (let at = text.indexOf(wanted); at >= 0; at = text.indexOf(wanted, at + 1)) {
      const span = { start: at, end: at + wanted.length };
      first ??= span;
      for (const chunk of chunksHoldingSpan(corpus, page, span)) relevant.add(chunk);
    }
    if (!first) throw new Error(`${where}: passage is not an exact substring of "${document}" (whitespace and case count): ${JSON.stringify(wanted.slice(0, 80))}.`);
    if (relevant.size === 0) throw new Error(`${where}: passage lies in whitespace the chunker drops; quote text of the document.`);
    questions.push({ id, level: "passage", question, page, source: wanted, span: first, relevant: [...relevant].sort((a, b) => a - b), overlap: lexicalOverlap(question, wanted) });
  });
  if (questions.length === 0) throw new Error(`${file}: no questions in it.`);
  return questions;
}
