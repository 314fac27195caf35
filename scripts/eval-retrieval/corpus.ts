import { chunkText } from "../../lib/collections/chunker";
import { collectionLimits } from "../../lib/collections/schemas";

/**
 * The corpus as the evaluation sees it: pages (a manual page, a file of a held-back corpus), the
 * documents stored for them, and the chunks the app's chunker makes of those documents, each
 * placed back in its page so a question's known span can be matched to the chunks holding it.
 */

/** The collection default the evaluation measures (lib/collections/store.ts). */
export const evalChunking = { size: 800, overlap: 100 } as const;

export interface Page {
  /** Unique within the corpus, e.g. "signal.7" or a file's relative path. */
  name: string;
  /** The page's text, normalised as the app stores documents (see `normalizeDocumentText`). */
  text: string;
}

export interface CorpusDocument {
  page: number;
  /** The document's text exactly as the app stores it. */
  text: string;
  /** Where `text` begins in its page's text. */
  offset: number;
}

export interface CorpusChunk {
  /** Index in `Corpus.chunks`. */
  id: number;
  page: number;
  document: number;
  /** The chunk's place in its document, from 0 (the app's `position`). */
  position: number;
  text: string;
  /** Offsets in the page's text. */
  start: number;
  end: number;
}

export interface Corpus {
  pages: Page[];
  documents: CorpusDocument[];
  chunks: CorpusChunk[];
}

/** What the app's document schema does to a text before storing it (lib/collections/schemas.ts). */
export function normalizeDocumentText(text: string): string {
  return text.normalize("NFC").replace(/\r\n?/g, "\n");
}

/**
 * The documents and chunks of `pages`. A page longer than a document may be (200,000 characters)
 * is stored as several documents, cut at the last blank line (else line break, else space) before
 * the limit; each document is trimmed as the app trims it, and its offset records where it begins.
 */
export function buildCorpus(pages: Page[], { maxDocumentLength = collectionLimits.maxDocumentLength }: { maxDocumentLength?: number } = {}): Corpus {
  const names = new Set<string>();
  const documents: CorpusDocument[] = [];
  const chunks: CorpusChunk[] = [];
  pages.forEach((page, pageIndex) => {
    if (names.has(page.name)) throw new Error(`Two pages are named "${page.name}": page names must be unique.`);
    names.add(page.name);
    for (const piece of splitPage(page.text, maxDocumentLength)) {
      const document = documents.push({ page: pageIndex, ...piece }) - 1;
      chunkText(piece.text, evalChunking).forEach((chunk, position) => {
        chunks.push({ id: chunks.length, page: pageIndex, document, position, text: chunk.text, start: piece.offset + chunk.start, end: piece.offset + chunk.end });
      });
    }
  });
  return { pages, documents, chunks };
}

function splitPage(text: string, limit: number): { text: string; offset: number }[] {
  const pieces: { text: string; offset: number }[] = [];
  let from = 0;
  while (from < text.length) {
    let to = text.length;
    if (to - from > limit) {
      const window = text.slice(from, from + limit);
      const cut = [window.lastIndexOf("\n\n"), window.lastIndexOf("\n"), window.lastIndexOf(" ")].find((at) => at > 0);
      to = from + (cut ?? limit);
    }
    const raw = text.slice(from, to);
    const lead = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (trimmed.length > 0) pieces.push({ text: trimmed, offset: from + lead });
    from = to;
  }
  return pieces;
}

/**
 * The chunks that hold a span of a page: those that contain it whole or overlap at least half of
 * it (so a span the chunker cut through still has its answer: the chunk with the larger part).
 */
export function chunksHoldingSpan(corpus: Corpus, page: number, span: { start: number; end: number }): number[] {
  const length = span.end - span.start;
  return corpus.chunks
    .filter((chunk) => chunk.page === page)
    .filter((chunk) => {
      const overlap = Math.min(chunk.end, span.end) - Math.max(chunk.start, span.start);
      return overlap > 0 && 2 * overlap >= length;
    })
    .map((chunk) => chunk.id);
}
