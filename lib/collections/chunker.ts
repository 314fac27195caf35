/**
 * Splits a document into chunks for retrieval (RAG): each small enough to embed as one text, each
 * cut where a reader would pause. Pure and deterministic (for a given Node/ICU version).
 *
 * Where a chunk ends, best first:
 * 1. paragraph: a blank line;
 * 2. sentence: Intl.Segmenter's sentence boundaries (Unicode UAX #29). They handle what a regex
 *    on ". " gets wrong: "e.g. this", "3.14", closing quotes after the stop, and CJK 。！？ with no
 *    space after them. Added on top: "…" ends a sentence like "." does (also with no space, as in
 *    Chinese, but not before a lowercase letter); "Mr." and a few titles do not; and an opening
 *    bracket after a stop (「, “) starts the next sentence instead of ending this one. A single line
 *    break is not a sentence end here (hard-wrapped prose breaks lines mid-sentence);
 * 3. line: a single line break (list items, verse, code);
 * 4. word: whitespace, and, in scripts written without spaces (Chinese, Japanese, Thai…),
 *    Intl.Segmenter's dictionary word boundaries;
 * 5. grapheme: any Intl.Segmenter grapheme boundary, so "e\u0301", flags and ZWJ emoji stay whole.
 *    Only a cluster longer than the room left in a chunk (thousands of stacked accents) is cut
 *    inside, and even then never between the two halves of a surrogate pair.
 *
 * The rule: a chunk ends at the furthest break of the best level that fits in `size`, unless the
 * piece after that break (the next paragraph, sentence…) is itself longer than `size`: that piece
 * must be cut anyway, so the chunk is filled with its beginning at the next level down instead of
 * being left short. So a paragraph that fits in one chunk is never split.
 *
 * Intl.Segmenter is in Node ≥ 16 and every current browser; the chunker needs it.
 */

/** Defaults of `chunkText`'s options. */
export const chunkDefaults = { size: 800, overlap: 100, unit: "characters" } as const;

/** Allowed chunk sizes, in characters. */
export const chunkSizeRange = { min: 100, max: 8_000 } as const;

export interface ChunkOptions {
  /**
   * Longest chunk, in characters: UTF-16 code units, as `String#length` and the API's 10,000-character
   * text limit count them. 100–8,000; default 800.
   */
  size?: number;
  /**
   * Most characters a chunk repeats from the end of the previous one, so a sentence cut off there
   * still has context. Taken from the start of a sentence if one begins in that tail, else from the
   * start of a word, else from a grapheme boundary; shortened so the paragraph (or sentence…) the
   * chunk was cut before still fits whole in the next chunk. 0 to size/2; default 100.
   */
  overlap?: number;
  /** What `size` and `overlap` count. Only "characters" for now (tokens may follow); default "characters". */
  unit?: "characters";
}

export interface Chunk {
  /** The chunk, trimmed; never empty. */
  text: string;
  /** Offsets into `normalizeLineEndings(input)`: `normalised.slice(start, end) === text`. */
  start: number;
  end: number;
}

/** The text offsets refer to: "\r\n" and lone "\r" become "\n" (one character each fewer for "\r\n"). */
export function normalizeLineEndings(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

/**
 * Chunks of at most `size` characters, in order, trimmed, none empty; `[]` for empty or
 * whitespace-only text. Throws an Error naming the option when an option is out of range.
 */
export function chunkText(text: string, options: ChunkOptions = {}): Chunk[] {
  const { size, overlap } = validateOptions(options);
  if (typeof text !== "string") throw new Error(`text must be a string, got ${typeof text}.`);
  const normalised = normalizeLineEndings(text);
  const first = normalised.search(/\S/u);
  if (first < 0) return [];
  const index = new BreakIndex(normalised, first);
  const textEnd = trimEnd(normalised, normalised.length);

  const chunks: Chunk[] = [];
  const push = (start: number, end: number) => chunks.push({ text: normalised.slice(start, end), start, end });
  let start = first;
  let previousEnd = first;
  while (textEnd - start > size) {
    const cut = index.chooseCut(start, start + size, previousEnd, size);
    push(start, cut.end);
    let next = overlap > 0 ? index.overlapStart(cut, { previousStart: start, overlap, size }) : undefined;
    next ??= cut.next;
    start = skipSpace(normalised, next);
    previousEnd = cut.end;
  }
  push(start, textEnd);
  return chunks;
}

function validateOptions({ size = chunkDefaults.size, overlap = chunkDefaults.overlap, unit = chunkDefaults.unit }: ChunkOptions) {
  if (!Number.isInteger(size) || size < chunkSizeRange.min || size > chunkSizeRange.max) {
    throw new Error(`size must be a whole number of characters from ${chunkSizeRange.min} to ${chunkSizeRange.max}, got ${size}.`);
  }
  const maxOverlap = Math.floor(size / 2);
  if (!Number.isInteger(overlap) || overlap < 0 || overlap > maxOverlap) {
    throw new Error(`overlap must be a whole number of characters from 0 to ${maxOverlap} (half of size ${size}), got ${overlap}.`);
  }
  if (unit !== "characters") throw new Error(`unit must be "characters", got ${JSON.stringify(unit)}.`);
  return { size, overlap };
}

const PARAGRAPH = 4;
const SENTENCE = 3;
const LINE = 2;
const WORD = 1;

/** A place a chunk may end: content ends at `end`; after the whitespace, the next piece starts at `next`. */
interface Break {
  end: number;
  next: number;
  level: number;
}

/** Where the chunker cut, and where the piece after the cut ends (when it was kept whole). */
interface Cut {
  end: number;
  next: number;
  pieceEnd?: number;
}

const locale = "en"; // fixed, for determinism; UAX #29 rules and ICU's CJK/Thai dictionaries don't depend on it
const spaceless = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\u3000-\u303f\uff00-\uffef]/u;
const graphemeSegmenter = new Intl.Segmenter(locale, { granularity: "grapheme" });
const titleBeforeStop = /(?:^|[^\p{L}])(?:Mr|Mrs|Ms|Dr|Prof|St|vs|cf|Fig)\.$/u;

/** Every break of a text, sorted, with the lookups the chunker needs. */
class BreakIndex {
  private readonly breaks: Break[] = [];

  constructor(private readonly text: string, first: number) {
    const levels = new Int8Array(text.length + 1);
    const mark = (position: number, level: number) => {
      const next = skipSpace(text, position);
      // A combining mark after a space belongs to the space's grapheme: no break inside it.
      if (/[\p{M}\u200d]/u.test(text[next] ?? "")) return;
      if (level > levels[next]) levels[next] = level;
    };
    // No-break spaces are meant to hold their neighbours together: not a break.
    for (const match of text.matchAll(/[^\S\u00a0\u2007\u202f]+/gu)) {
      const end = match.index + match[0].length;
      mark(end, match[0].includes("\n") ? (/\n[^\S\n]*\n/.test(match[0]) ? PARAGRAPH : LINE) : WORD);
    }
    for (const position of sentenceStarts(text)) mark(position, SENTENCE);
    if (spaceless.test(text)) for (const position of spacelessWordStarts(text)) mark(position, WORD);
    for (let next = first + 1; next < text.length; next++) {
      if (levels[next] > 0) this.breaks.push({ end: trimEnd(text, next), next, level: levels[next] });
    }
  }

  /** The end of the chunk that starts at `start`; it must end after `previousEnd` and by `limit`. */
  chooseCut(start: number, limit: number, previousEnd: number, size: number): Cut {
    const last = this.lastEndingBy(limit);
    for (let level = PARAGRAPH; level >= WORD; level--) {
      let i = last;
      while (i >= 0 && this.breaks[i].end > previousEnd && this.breaks[i].level < level) i--;
      if (i < 0 || this.breaks[i].end <= previousEnd) continue;
      const pieceEnd = this.pieceEnd(i, level, size);
      if (pieceEnd !== undefined) return { end: this.breaks[i].end, next: this.breaks[i].next, pieceEnd };
    }
    let cut = this.graphemeAtOrBefore(limit, start);
    // Only a grapheme cluster longer than the room left (thousands of stacked marks) gets here.
    if (trimEnd(this.text, cut) <= previousEnd) cut = isLowSurrogateAt(this.text, limit) ? limit - 1 : limit;
    return { end: trimEnd(this.text, cut), next: cut };
  }

  /**
   * Where the chunk after `cut` starts so it repeats at most `overlap` characters: the earliest
   * sentence start in that tail, else the earliest word start, else a grapheme boundary.
   * Undefined when no overlap is possible.
   */
  overlapStart(cut: Cut, { previousStart, overlap, size }: { previousStart: number; overlap: number; size: number }) {
    // Keep half a chunk for new text, and room for the whole piece the cut was made before.
    let from = Math.max(cut.end - overlap, previousStart + 1, cut.next - Math.floor(size / 2));
    if (cut.pieceEnd !== undefined) from = Math.max(from, cut.pieceEnd - size);
    if (from >= cut.end) return undefined;
    let word: number | undefined;
    for (let i = this.firstStartingAt(from); i < this.breaks.length && this.breaks[i].next < cut.end; i++) {
      if (this.breaks[i].level >= SENTENCE) return this.breaks[i].next;
      word ??= this.breaks[i].next;
    }
    if (word !== undefined) return word;
    return this.graphemeAtOrAfter(from, previousStart, cut.end);
  }

  /** End of the piece after break `i` at `level` (up to the next break of that level or better), if it fits in `size`. */
  private pieceEnd(i: number, level: number, size: number): number | undefined {
    const start = this.breaks[i].next;
    for (let j = i + 1; j < this.breaks.length && this.breaks[j].end - start <= size; j++) {
      if (this.breaks[j].level >= level) return this.breaks[j].end;
    }
    const textEnd = trimEnd(this.text, this.text.length);
    return textEnd - start <= size ? textEnd : undefined;
  }

  private lastEndingBy(limit: number): number {
    let low = 0;
    let high = this.breaks.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.breaks[middle].end <= limit) low = middle + 1;
      else high = middle;
    }
    return low - 1;
  }

  private firstStartingAt(position: number): number {
    let low = 0;
    let high = this.breaks.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.breaks[middle].next < position) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /**
   * The grapheme boundary at or before `position`. Segments only from `from` (a known boundary):
   * on the whole text, every lookup would cost time proportional to its length.
   */
  private graphemeAtOrBefore(position: number, from: number): number {
    if (position >= this.text.length) return this.text.length;
    const segments = graphemeSegmenter.segment(this.text.slice(from, position + 16));
    return from + segments.containing(position - from)!.index;
  }

  /** The grapheme boundary at or after `position`, if it is before `to`; `from` is a known boundary. */
  private graphemeAtOrAfter(position: number, from: number, to: number): number | undefined {
    const segment = graphemeSegmenter.segment(this.text.slice(from, to + 1)).containing(position - from)!;
    const boundary = from + (segment.index === position - from ? segment.index : segment.index + segment.segment.length);
    return boundary < to ? boundary : undefined;
  }
}

/** Starts of sentences (see the module comment for what is added to UAX #29). */
function sentenceStarts(text: string): number[] {
  const starts: number[] = [];
  // Line breaks read as spaces (same length, so offsets hold): a wrapped line is not a sentence end.
  const flat = text.replace(/\n/g, " ");
  for (const index of boundaries(flat, "sentence")) {
    const before = flat.slice(Math.max(0, index - 8), index).trimEnd();
    if (titleBeforeStop.test(before) && /^\p{Lu}/u.test(flat.slice(index, index + 2))) continue;
    let start = trimEnd(text, index);
    while (start > 0 && /[\p{Ps}\p{Pi}]/u.test(text[start - 1])) start--;
    starts.push(start); // `mark` moves it past any whitespace again
  }
  for (const match of text.matchAll(/[\u2026\u22ef]+[\p{Pe}\p{Pf}]*\s*/gu)) {
    const after = match.index + match[0].length;
    if (/^[\p{L}\p{N}\p{Ps}\p{Pi}"']/u.test(text.slice(after, after + 2)) && !/^\p{Ll}/u.test(text.slice(after, after + 2))) {
      starts.push(after);
    }
  }
  return starts;
}

/**
 * Dictionary word boundaries inside runs of Chinese, Japanese, Thai…, where words have no spaces
 * between them; never before closing punctuation or after opening punctuation.
 */
function spacelessWordStarts(text: string): number[] {
  const starts: number[] = [];
  for (const index of boundaries(text, "word")) {
    const before = String.fromCodePoint(text.codePointAt(index - (/[\udc00-\udfff]/.test(text[index - 1]) ? 2 : 1))!);
    const after = String.fromCodePoint(text.codePointAt(index)!);
    if (/\s/u.test(before) || /\s/u.test(after)) continue;
    if (!spaceless.test(before) && !spaceless.test(after)) continue;
    if (/[\p{Pe}\p{Pf}\p{Po}]/u.test(after) || /[\p{Ps}\p{Pi}]/u.test(before)) continue;
    starts.push(index);
  }
  return starts;
}

const segmentWindow = 4_096;
const segmentMargin = 256;

/**
 * Intl.Segmenter's boundaries inside `text` (0 and text.length left out), found window by window:
 * V8 before 12.3 (so Node 20) spends time proportional to the whole string on every step of the
 * segment iterator (https://issues.chromium.org/issues/326176949), so segmenting a 1 MB document
 * in one go takes minutes. Boundaries within `segmentMargin` of a window's end are dropped and found
 * again by the next window, which starts at the last boundary kept, so rules that look ahead
 * ("e.g. this" is one sentence) see enough text. A segment longer than a window is cut at the
 * window's end without reporting that cut.
 */
function* boundaries(text: string, granularity: "sentence" | "word"): Generator<number> {
  const segmenter = new Intl.Segmenter(locale, { granularity });
  for (let from = 0; from < text.length; ) {
    const to = Math.min(text.length, from + segmentWindow);
    const keepBefore = to === text.length ? to : to - segmentMargin;
    let last = from;
    for (const { index } of segmenter.segment(text.slice(from, to))) {
      if (from + index >= keepBefore) break;
      if (index > 0) yield (last = from + index);
    }
    if (to === text.length) return;
    from = last > from ? last : keepBefore;
  }
}

function skipSpace(text: string, position: number): number {
  while (position < text.length && /\s/u.test(text[position])) position++;
  return position;
}

function trimEnd(text: string, position: number): number {
  while (position > 0 && /\s/u.test(text[position - 1])) position--;
  return position;
}

function isLowSurrogateAt(text: string, position: number): boolean {
  const code = text.charCodeAt(position);
  return code >= 0xdc00 && code <= 0xdfff && position > 0 && /[\ud800-\udbff]/.test(text[position - 1]);
}
