import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  decodeGloveBinary,
  decodeGloveBinaryHeader,
  encodeGloveBinary,
  GLOVE_BINARY_HEADER_BYTES,
  inspectGloveBinaryFile,
  readGloveBinaryFile,
  writeGloveBinaryFile,
  type GloveTable,
} from "../../lib/embeddings/glove-binary";

// Three 3-d words whose vectors are obvious; 0.1 is not exact in float32, so it checks rounding.
const fixture: GloveTable = {
  words: ["the", "cat", "dog"],
  dims: 3,
  vectors: Float32Array.from([1, 1, 1, 1, 1, 2, 2, 2, 0.1]),
};

function roundTrip(table: GloveTable): GloveTable {
  return decodeGloveBinary(encodeGloveBinary(table));
}

describe("encodeGloveBinary / decodeGloveBinary", () => {
  test("round-trips words in order and vectors exactly", () => {
    const decoded = roundTrip(fixture);
    expect(decoded.words).toEqual(["the", "cat", "dog"]);
    expect(decoded.dims).toBe(3);
    expect(Array.from(decoded.vectors)).toEqual([1, 1, 1, 1, 1, 2, 2, 2, Math.fround(0.1)]);
  });

  test("writes the documented header: magic, version 1, word count, dims, words length", () => {
    const bytes = encodeGloveBinary(fixture);
    expect(bytes.subarray(0, 8).toString("latin1")).toBe("GLOVEBIN");
    expect([8, 12, 16, 20].map((offset) => bytes.readUInt32LE(offset))).toEqual([1, 3, 3, "the\ncat\ndog\n".length]);
    expect(decodeGloveBinaryHeader(bytes)).toEqual({
      version: 1,
      wordCount: 3,
      dims: 3,
      wordsByteLength: 12,
      vectorsOffset: 36,
      byteLength: 36 + 9 * 4,
    });
  });

  test("round-trips an empty word list", () => {
    const bytes = encodeGloveBinary({ words: [], dims: 100, vectors: new Float32Array(0) });
    expect(bytes.length).toBe(GLOVE_BINARY_HEADER_BYTES);
    const decoded = decodeGloveBinary(bytes);
    expect(decoded).toEqual({ words: [], dims: 100, vectors: new Float32Array(0) });
  });

  test("round-trips unicode words and pads the words section to 4 bytes", () => {
    const words = ["café", "東京", "🐱", "naïve", "x"];
    const table = { words, dims: 2, vectors: Float32Array.from({ length: 10 }, (_, i) => i - 4.5) };
    const bytes = encodeGloveBinary(table);
    const header = decodeGloveBinaryHeader(bytes);
    expect(header.wordsByteLength).toBe(Buffer.byteLength(words.join("\n") + "\n"));
    expect(header.wordsByteLength % 4).not.toBe(0);
    expect(header.vectorsOffset % 4).toBe(0);
    expect(roundTrip(table)).toEqual(table);
  });

  test("shares memory with an aligned buffer and copies from a misaligned one", () => {
    const bytes = encodeGloveBinary(fixture);
    expect(decodeGloveBinary(bytes).vectors.buffer).toBe(bytes.buffer);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const decoded = decodeGloveBinary(shifted.subarray(1));
    expect(decoded.vectors.buffer).not.toBe(shifted.buffer);
    expect(decoded.vectors).toEqual(fixture.vectors);
  });

  test("round-trips a large table (10,000 words × 100 dims)", () => {
    const words = Array.from({ length: 10_000 }, (_, i) => `w${i}`);
    const vectors = Float32Array.from({ length: 1_000_000 }, (_, i) => Math.sin(i));
    const decoded = roundTrip({ words, dims: 100, vectors });
    expect(decoded.words).toEqual(words);
    // Buffer.equals, because toEqual walks a million elements one by one and takes seconds.
    const decodedBytes = Buffer.from(decoded.vectors.buffer, decoded.vectors.byteOffset, decoded.vectors.byteLength);
    expect(decodedBytes.equals(Buffer.from(vectors.buffer))).toBe(true);
  });

  test("rejects a vector array of the wrong length", () => {
    expect(() => encodeGloveBinary({ words: ["a"], dims: 3, vectors: new Float32Array(2) })).toThrow(
      "GloVe binary: expected 1 × 3 = 3 vector values, got 2.",
    );
  });

  test("rejects empty, multi-line and duplicate words", () => {
    const vectors = new Float32Array(2);
    expect(() => encodeGloveBinary({ words: ["a", ""], dims: 1, vectors })).toThrow('words[1] "" is empty');
    expect(() => encodeGloveBinary({ words: ["a\nb", "c"], dims: 1, vectors })).toThrow("contains a newline");
    expect(() => encodeGloveBinary({ words: ["a", "a"], dims: 1, vectors })).toThrow('words[1] "a" appears twice');
  });

  test("rejects non-finite values and non-positive dims", () => {
    expect(() => encodeGloveBinary({ words: ["a", "b"], dims: 1, vectors: Float32Array.from([0, NaN]) })).toThrow(
      'the vector of "b" has a non-finite value NaN',
    );
    expect(() => encodeGloveBinary({ words: [], dims: 0, vectors: new Float32Array(0) })).toThrow(
      "dims must be a positive integer, got 0",
    );
  });
});

describe("decodeGloveBinary on broken input", () => {
  const bytes = encodeGloveBinary(fixture);

  test("names the source and says a truncated file is truncated", () => {
    expect(() => decodeGloveBinary(bytes.subarray(0, bytes.length - 1), "data/g.bin")).toThrow(
      "data/g.bin: truncated: 3 words × 3 dims need 72 bytes, found 71; delete it and run",
    );
    expect(() => decodeGloveBinary(bytes.subarray(0, 10), "data/g.bin")).toThrow(
      "data/g.bin: truncated: 10 bytes is shorter than the 24-byte header",
    );
    expect(() => decodeGloveBinary(new Uint8Array(0), "data/g.bin")).toThrow("data/g.bin: truncated: 0 bytes");
  });

  test("rejects trailing bytes", () => {
    expect(() => decodeGloveBinary(Buffer.concat([bytes, Buffer.from([0])]), "g.bin")).toThrow(
      "g.bin: corrupt: 1 unexpected bytes after the 3 × 3 vectors",
    );
  });

  test("rejects a wrong magic", () => {
    const wrong = Buffer.from(bytes);
    wrong.write("GLOVEBIM", 0, "latin1");
    expect(() => decodeGloveBinary(wrong, "g.bin")).toThrow(
      'g.bin: not a GloVe binary (starts with "GLOVEBIM", expected "GLOVEBIN")',
    );
    expect(() => decodeGloveBinary(Buffer.from('{"precision":8,"l2NormIndex":100}'), "g.json")).toThrow(
      'g.json: not a GloVe binary (starts with "{\\"precis", expected "GLOVEBIN")',
    );
  });

  test("rejects another format version", () => {
    const newer = Buffer.from(bytes);
    newer.writeUInt32LE(2, 8);
    expect(() => decodeGloveBinary(newer, "g.bin")).toThrow("g.bin: format version 2, but this code reads version 1");
  });

  test("rejects a words section whose word count disagrees with the header", () => {
    const corrupt = Buffer.from(bytes);
    corrupt[GLOVE_BINARY_HEADER_BYTES + 3] = "_".charCodeAt(0); // "the\n" → "the_"
    expect(() => decodeGloveBinary(corrupt, "g.bin")).toThrow(
      "g.bin: corrupt words section: found 2 newline-terminated words, header says 3",
    );
  });

  test("rejects invalid UTF-8 in the words section", () => {
    const corrupt = Buffer.from(bytes);
    corrupt[GLOVE_BINARY_HEADER_BYTES] = 0xff;
    expect(() => decodeGloveBinary(corrupt, "g.bin")).toThrow("g.bin: corrupt words section: invalid UTF-8");
  });
});

describe("GloVe binary files", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "glove-binary-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("writeGloveBinaryFile then readGloveBinaryFile round-trips, creating the folder and leaving no temp file", async () => {
    const file = path.join(dir, "nested", "g.bin");
    const { bytes } = await writeGloveBinaryFile(file, fixture);
    expect(bytes).toBe(72);
    expect(await readdir(path.dirname(file))).toEqual(["g.bin"]);
    expect(await readGloveBinaryFile(file)).toEqual(fixture);
    expect(await inspectGloveBinaryFile(file)).toMatchObject({ wordCount: 3, dims: 3, byteLength: 72 });
  });

  test("writeGloveBinaryFile leaves an existing file intact when the new table is invalid", async () => {
    const file = path.join(dir, "keep.bin");
    await writeGloveBinaryFile(file, fixture);
    await expect(writeGloveBinaryFile(file, { words: ["a"], dims: 2, vectors: new Float32Array(1) })).rejects.toThrow(
      "expected 1 × 2 = 2 vector values",
    );
    expect(await readGloveBinaryFile(file)).toEqual(fixture);
    expect(await readdir(dir)).not.toContainEqual(expect.stringMatching(/\.tmp$/));
  });

  test("readGloveBinaryFile and inspectGloveBinaryFile name a truncated file", async () => {
    const file = path.join(dir, "short.bin");
    await writeFile(file, encodeGloveBinary(fixture).subarray(0, 50));
    await expect(readGloveBinaryFile(file)).rejects.toThrow(`${file}: truncated: 3 words × 3 dims need 72 bytes, found 50`);
    await expect(inspectGloveBinaryFile(file)).rejects.toThrow(`${file}: truncated: 3 words × 3 dims need 72 bytes`);
  });

  test("inspectGloveBinaryFile reports a missing file as ENOENT", async () => {
    await expect(inspectGloveBinaryFile(path.join(dir, "absent.bin"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  test("a written file's bytes equal encodeGloveBinary's", async () => {
    const file = path.join(dir, "same.bin");
    await writeGloveBinaryFile(file, fixture);
    expect(Buffer.compare(await readFile(file), encodeGloveBinary(fixture))).toBe(0);
  });
});
