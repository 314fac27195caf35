import { describe, expect, it } from "vitest";
import { chunkText } from "@/lib/collections/chunker";
import { buildCorpus, chunksHoldingSpan, evalChunking, normalizeDocumentText } from "@/scripts/eval-retrieval/corpus";

/** Paragraphs of numbered sentences, ~`count` × 60 characters. */
const prose = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => `Sentence ${from + i} tells of bees that make honey in the hive.`)
    .reduce((text, sentence, i) => text + (i === 0 ? "" : i % 5 === 0 ? "\n\n" : " ") + sentence, "");

describe("buildCorpus(pages)", () => {
  it("chunks each page with the app's chunker at the collection default, offsets pointing into the page", () => {
    const pages = [
      { name: "a", text: prose(40) },
      { name: "b", text: `\n\n  ${prose(3)}` },
    ];
    const corpus = buildCorpus(pages);
    expect(evalChunking).toEqual({ size: 800, overlap: 100 });
    expect(corpus.documents).toHaveLength(2);
    expect(corpus.chunks.filter((chunk) => chunk.page === 0).map((chunk) => chunk.text)).toEqual(chunkText(pages[0].text, evalChunking).map((chunk) => chunk.text));
    for (const chunk of corpus.chunks) expect(pages[chunk.page].text.slice(chunk.start, chunk.end)).toBe(chunk.text);
    // The second page is stored trimmed, as the app stores documents.
    expect(corpus.documents[1]).toEqual({ page: 1, text: pages[1].text.trim(), offset: 4 });
    expect(corpus.chunks.map((chunk) => chunk.id)).toEqual(corpus.chunks.map((_, i) => i));
  });

  it("stores a page longer than a document may be as several documents, cut at a blank line", () => {
    const text = prose(60);
    const corpus = buildCorpus([{ name: "long", text }], { maxDocumentLength: 1_000 });
    expect(corpus.documents.length).toBeGreaterThan(3);
    for (const document of corpus.documents) {
      expect(document.text.length).toBeLessThanOrEqual(1_000);
      expect(text.slice(document.offset, document.offset + document.text.length)).toBe(document.text);
      expect(text.slice(document.offset + document.text.length).startsWith("\n\n") || document.offset + document.text.length === text.length).toBe(true);
    }
    for (const chunk of corpus.chunks) expect(text.slice(chunk.start, chunk.end)).toBe(chunk.text);
  });

  it("refuses two pages of the same name", () => {
    expect(() => buildCorpus([{ name: "x", text: "one" }, { name: "x", text: "two" }])).toThrow('Two pages are named "x": page names must be unique.');
  });
});

describe("normalizeDocumentText(text)", () => {
  it("applies NFC and turns CRLF and CR into LF, as the app's document schema does", () => {
    expect(normalizeDocumentText("cafe\u0301\r\nline\rend")).toBe("café\nline\nend");
  });
});

describe("chunksHoldingSpan(corpus, page, span)", () => {
  const text = prose(40);
  const corpus = buildCorpus([{ name: "a", text }, { name: "b", text }]);
  const [first, second] = corpus.chunks;

  it("gives the chunk that contains the span, on the asked page only", () => {
    expect(chunksHoldingSpan(corpus, 0, { start: first.start + 10, end: first.start + 60 })).toEqual([0]);
    expect(chunksHoldingSpan(corpus, 1, { start: first.start + 10, end: first.start + 60 })).toEqual([corpus.chunks.find((chunk) => chunk.page === 1)!.id]);
  });

  it("gives both chunks for a span inside their overlap", () => {
    expect(second.start).toBeLessThan(first.end);
    expect(chunksHoldingSpan(corpus, 0, { start: second.start, end: first.end })).toEqual([0, 1]);
  });

  it("gives the chunk holding at least half of a span the chunker cut through, not the one with less", () => {
    const span = { start: second.start - 200, end: first.end + 20 };
    // Neither chunk contains the span whole; the first holds most of it.
    expect(first.end < span.end && second.start > span.start).toBe(true);
    expect(chunksHoldingSpan(corpus, 0, span)).toEqual([0]);
  });
});
