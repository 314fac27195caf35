import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseDump } from "@/lib/transfer/format";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const hash = "a".repeat(64);

/** A small valid dump: one exploration, one collection with one document of two chunks (3-d vectors). */
function validDump() {
  const text = "Bees make honey. Ants build nests.";
  return {
    format: "embeddings-notebook/dump",
    version: 1,
    exportedAt: "2026-01-01T00:00:00.000Z",
    withVectors: true,
    explorations: [
      {
        slug: "AAAAAAAAAAAAAAAA",
        editKeyHash: hash,
        title: "Animals",
        model: "use-lite",
        cells: [{ id: "heatmap", type: "heatmap" }],
        version: 2,
        forkedFrom: null,
        createdAt: "2026-01-01T00:00:00.000Z",
        updatedAt: "2026-01-02T00:00:00.000Z",
        items: [{ text: "cat", group: "animals" }, { text: "car", group: null }],
      },
    ],
    collections: [
      {
        publicId: "notes",
        name: "Notes",
        model: "use-lite",
        public: false,
        readKeyHash: hash,
        writeKeyHash: hash,
        chunking: { size: 800, overlap: 100 },
        createdAt: "2026-01-01T00:00:00.000Z",
        documents: [
          {
            contentHash: sha256(text),
            text,
            metadata: { topic: "insects" },
            createdAt: "2026-01-01T00:00:00.000Z",
            chunks: [
              { position: 0, text: "Bees make honey.", start: 0, end: 16, metadata: { topic: "insects" }, vector: [1, 0, 0] },
              { position: 1, text: "Ants build nests.", start: 17, end: 34, metadata: { topic: "insects" }, vector: [0, 1, 0] },
            ],
          },
        ],
      },
    ],
  };
}

describe("parseDump(text)", () => {
  it("reads a valid dump back to the same value", () => {
    const dump = validDump();
    expect(parseDump(JSON.stringify(dump))).toEqual(dump);
  });

  it("accepts chunks without vectors and a dump with the embeddings cache", () => {
    const dump = validDump();
    delete (dump.collections[0].documents[0].chunks[0] as { vector?: number[] }).vector;
    const withCache = { ...dump, embeddings: [{ model: "use-lite", text: "cat", vector: [0, 0, 1] }] };
    expect(parseDump(JSON.stringify(withCache)).embeddings).toHaveLength(1);
  });

  it("refuses text that is not JSON, naming the likely cause", () => {
    expect(() => parseDump(JSON.stringify(validDump()).slice(0, -10))).toThrow(/^The dump is not valid JSON \(.*\); was the file cut short\?$/);
  });

  it("refuses JSON that is not an object", () => {
    expect(() => parseDump("[]")).toThrow("The dump must be a JSON object with a format, a version, explorations and collections.");
  });

  it("refuses another program's file by its format", () => {
    expect(() => parseDump(JSON.stringify({ ...validDump(), format: "something-else" }))).toThrow(
      'This is not an embeddings-notebook dump: format is "something-else", expected "embeddings-notebook/dump".',
    );
    expect(() => parseDump("{}")).toThrow('format is missing, expected "embeddings-notebook/dump"');
  });

  it("refuses another version, saying which ones it reads", () => {
    expect(() => parseDump(JSON.stringify({ ...validDump(), version: 3 }))).toThrow(
      "This dump has version 3; this app reads versions 1 and 2. Export it again with this version of the app.",
    );
  });

  it("reads version 2, whose documents carry their public ids", () => {
    const dump = { ...validDump(), version: 2 };
    const document = { publicId: "aZ3_x9Kq-LmN0pQr", ...dump.collections[0].documents[0] };
    dump.collections[0].documents = [document];
    expect(parseDump(JSON.stringify(dump))).toEqual(dump);
  });

  it("refuses a malformed document id, and one that repeats within a collection", () => {
    const dump = validDump();
    const first = dump.collections[0].documents[0];
    const second = { ...first, text: "Other.", contentHash: sha256("Other.") };
    (dump.collections[0] as { documents: unknown[] }).documents = [
      { ...first, publicId: "12" },
      { ...second, publicId: "aZ3_x9Kq-LmN0pQr" },
      { ...second, text: "Third.", contentHash: sha256("Third."), publicId: "aZ3_x9Kq-LmN0pQr" },
    ];
    expect(() => parseDump(JSON.stringify(dump))).toThrow(
      "The dump is invalid; nothing was imported:\n" +
        "  collections[0].documents[0].publicId: must be 16 letters, digits, '_' or '-' (a document id this app made)\n" +
        "  collections[0].documents[2].publicId: repeats the id of an earlier document of this collection",
    );
  });

  it("names every bad field by its path", () => {
    const dump = validDump();
    dump.explorations[0].editKeyHash = "not-a-hash";
    dump.collections[0].documents[0].chunks[1].vector = [0, 1];
    const error = (() => {
      try {
        parseDump(JSON.stringify(dump));
      } catch (caught) {
        return (caught as Error).message;
      }
    })();
    expect(error).toBe(
      "The dump is invalid; nothing was imported:\n" +
        "  explorations[0].editKeyHash: must be a SHA-256 hash (64 lowercase hex digits)\n" +
        "  collections[0].documents[0].chunks[1].vector: has 2 numbers where the collection's other vectors have 3",
    );
  });

  it("refuses a document whose text no longer matches its content hash", () => {
    const dump = validDump();
    dump.collections[0].documents[0].text = "Edited by hand.";
    expect(() => parseDump(JSON.stringify(dump))).toThrow(
      "collections[0].documents[0].contentHash: does not match the SHA-256 of the document's text; was the text edited?",
    );
  });

  it("refuses unknown fields, so a typo is not silently dropped", () => {
    const dump = { ...validDump(), colections: [] };
    expect(() => parseDump(JSON.stringify(dump))).toThrow(/\(the whole file\): Unrecognized key: "colections"/);
  });

  it("refuses a vector holding something other than a number", () => {
    const dump = validDump();
    (dump.collections[0].documents[0].chunks[0] as { vector: unknown }).vector = [1, "x", 0];
    expect(() => parseDump(JSON.stringify(dump))).toThrow("collections[0].documents[0].chunks[0].vector[1]:");
  });
});
