import { AppError } from "../api/errors";
import { listModels, resolveModel } from "./registry";
import type { EmbeddingModel, TextReading } from "./types";

/**
 * Never a silent wrong answer: before a model embeds anything, the texts it cannot read are refused
 * (use-lite gives every all-unknown text, such as 猫 or 动物, one and the same vector), and texts
 * with some unknown pieces, or longer than the model reads, get a warning that travels with the reply.
 */

/** A text the model embedded without reading all of it: some pieces unknown, or past its length limit. */
export type TextWarning = UnknownPiecesWarning | TruncatedWarning;

export interface UnknownPiecesWarning {
  code: "unknown_pieces";
  text: string;
  /** The pieces or words the model has no entry for (at most `maxPiecesPerWarning`). */
  unknown: string[];
  message: string;
}

/** The text is longer than the model reads (its `maxTokens`): the vector stands for its beginning. */
export interface TruncatedWarning {
  code: "truncated";
  text: string;
  /** The text's tokens, the model's limit, and about how many of its first characters that is. */
  tokens: number;
  maxTokens: number;
  readCharacters: number;
  message: string;
}

/** A reply carries at most this many warnings, and each names at most this many pieces. */
export const maxWarnings = 100;
const maxPiecesPerWarning = 20;
/** The error names this many unreadable texts in its message; `details.texts` lists up to `maxListed`. */
const namedInMessage = 5;
const maxListed = 2000;
/** Texts tried on other models when suggesting one that reads them. */
const triedForSuggestions = 20;

/**
 * How `model` reads `texts`: throws `unreadable:texts` (400) naming the texts it cannot read and
 * the models here that can, and returns a warning for each text with unknown pieces and each text
 * longer than the model reads (at most `maxWarnings`, in input order, each text and code once).
 * Models without `read()` pass everything.
 */
export async function checkReadable(model: EmbeddingModel, texts: string[]): Promise<TextWarning[]> {
  if (!model.read) return [];
  const distinct = [...new Set(texts)];
  const readings = await readThroughMemo(model, distinct);
  const unreadable = distinct.filter((_, i) => !readings[i].readable);
  if (unreadable.length > 0) throw await unreadableError(model, unreadable);
  const info = model.info();
  const warnings: TextWarning[] = [];
  for (const [i, text] of distinct.entries()) {
    const { unknown, truncated } = readings[i];
    if (unknown.length > 0) warnings.push(unknownPiecesWarning(info.id, text, unknown));
    if (truncated && info.maxTokens) warnings.push(truncatedWarning(info.id, text, { ...truncated, maxTokens: info.maxTokens }));
    if (warnings.length >= maxWarnings) break;
  }
  return warnings.slice(0, maxWarnings);
}

/**
 * The texts of `texts` that `model` can read, in order. Search results go through it: a database
 * may hold vectors stored before texts were checked (every Chinese text use-lite embedded then has
 * one and the same vector), and they must not come back as neighbours.
 */
export async function keepReadable<T extends { text: string }>(model: EmbeddingModel, results: T[]): Promise<T[]> {
  if (!model.read || results.length === 0) return results;
  const readings = await readThroughMemo(model, results.map(({ text }) => text));
  return results.filter((_, i) => readings[i].readable);
}

/** The texts of `texts` that `model` cannot read (an import stores their rows without a vector instead of failing). */
export async function unreadableTexts(model: EmbeddingModel, texts: string[]): Promise<Set<string>> {
  if (!model.read || texts.length === 0) return new Set();
  const distinct = [...new Set(texts)];
  const readings = await readThroughMemo(model, distinct);
  return new Set(distinct.filter((_, i) => !readings[i].readable));
}

/**
 * The texts of `texts` longer than `model` reads (its `maxTokens`), uncapped, unlike the warnings:
 * an upload counts them per document. Cheap after `checkReadable` saw the same texts (memoised).
 */
export async function truncatedTexts(model: EmbeddingModel, texts: string[]): Promise<Set<string>> {
  if (!model.read || !model.info().maxTokens || texts.length === 0) return new Set();
  const distinct = [...new Set(texts)];
  const readings = await readThroughMemo(model, distinct);
  return new Set(distinct.filter((_, i) => readings[i].truncated));
}

/** `{ warnings }` for a reply when there are any, else nothing: replies stay as they were for readable input. */
export function warningsField(warnings: TextWarning[]): { warnings?: TextWarning[] } {
  return warnings.length > 0 ? { warnings: warnings.slice(0, maxWarnings) } : {};
}

/** Both lists, each warning (a code for a text) once. */
export function mergeWarnings(...lists: TextWarning[][]): TextWarning[] {
  const seen = new Set<string>();
  return lists.flat().filter(({ code, text }) => !seen.has(`${code}\u0000${text}`) && seen.add(`${code}\u0000${text}`));
}

function unknownPiecesWarning(modelId: string, text: string, unknown: string[]): UnknownPiecesWarning {
  const pieces = unknown.slice(0, maxPiecesPerWarning);
  const listed = pieces.map((piece) => JSON.stringify(piece)).join(", ") + (unknown.length > pieces.length ? ` and ${unknown.length - pieces.length} more` : "");
  return {
    code: "unknown_pieces",
    text,
    unknown: pieces,
    message: `${modelId} does not know ${listed} in ${quote(text)}: its vector stands for the rest of the text.`,
  };
}

function truncatedWarning(modelId: string, text: string, { tokens, maxTokens, readCharacters }: Omit<TruncatedWarning, "code" | "text" | "message">): TruncatedWarning {
  return {
    code: "truncated",
    text,
    tokens,
    maxTokens,
    readCharacters,
    message:
      `${modelId} reads the first ${maxTokens} tokens of a text, and ${quote(text)} has ${tokens}: its vector stands for about its first ` +
      `${readCharacters} of ${text.length} characters. Cut long texts into shorter ones (a collection's chunk size).`,
  };
}

async function unreadableError(model: EmbeddingModel, unreadable: string[]): Promise<AppError> {
  const id = model.info().id;
  const readableBy = await modelsThatRead(id, unreadable.slice(0, triedForSuggestions));
  const named = unreadable.slice(0, namedInMessage).map(quote).join(", ");
  const more = unreadable.length > namedInMessage ? ` and ${unreadable.length - namedInMessage} more` : "";
  const reads = model.info().reads;
  const why = reads ? ` (it reads ${reads.languages.map(languageName).join(", ")})` : "";
  const fix = readableBy.length > 0 ? `use ${readableBy.join(" or ")}, which can` : "remove them or choose a model that reads their language";
  return new AppError(
    "unreadable:texts",
    `${id} cannot read ${named}${more}${why}: every piece of ${unreadable.length === 1 ? "it" : "them"} is unknown to it, ` +
      `so ${unreadable.length === 1 ? "its vector would say nothing about it" : "they would all get the same vector"}; ${fix}.`,
    { details: { model: id, texts: unreadable.slice(0, maxListed), readableBy } },
  );
}

/**
 * Models that run here with nothing to fetch (the built-in ones, and `local:` models whose files
 * are on disk), other than `exceptId`, that read every one of `texts`.
 */
async function modelsThatRead(exceptId: string, texts: string[]): Promise<string[]> {
  const found: string[] = [];
  const candidates = listModels().filter((info) => info.local && info.available && (!info.download || info.download.state === "ready"));
  for (const { id } of candidates) {
    if (id === exceptId) continue;
    const model = resolveModel(id);
    if (!model.read) continue;
    try {
      const readings = await readThroughMemo(model, texts);
      if (readings.every((reading) => reading.readable)) found.push(id);
    } catch {
      // A model that cannot load here is no suggestion.
    }
  }
  return found;
}

const languageNames = new Intl.DisplayNames("en", { type: "language" });

function languageName(code: string): string {
  return languageNames.of(code) ?? code;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 37)}...` : text);
}

// Readings are pure functions of (model, text) and cheap to keep: the notebook asks about the
// same items on every run (embed, similarity, project), and tokenizing a long chunk is not free.
const memoSize = 20_000;
const memo = new Map<string, TextReading>();

async function readThroughMemo(model: EmbeddingModel, texts: string[]): Promise<TextReading[]> {
  const id = model.info().id;
  const key = (text: string) => `${id}\u0000${text}`;
  const found = new Map(texts.flatMap((text) => (memo.has(key(text)) ? [[text, memo.get(key(text))!] as const] : [])));
  const missing = texts.filter((text) => !found.has(text));
  if (missing.length > 0) {
    const readings = await model.read!(missing);
    missing.forEach((text, i) => {
      found.set(text, readings[i]);
      memo.set(key(text), readings[i]);
      if (memo.size > memoSize) memo.delete(memo.keys().next().value!);
    });
  }
  return texts.map((text) => found.get(text)!);
}
