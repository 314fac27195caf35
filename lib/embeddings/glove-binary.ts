import { randomBytes } from "node:crypto";
import { mkdir, open, rename, stat, unlink } from "node:fs/promises";
import path from "node:path";

/**
 * The GloVe binary: a vocabulary in frequency order and its vectors, laid out so that loading is
 * one file read, one string split and a Float32Array view over the bytes (no number parsing).
 *
 *   offset     size      field
 *   0          8         magic "GLOVEBIN"
 *   8          4         format version, uint32 LE (= 1)
 *   12         4         word count n, uint32 LE
 *   16         4         dimensions d, uint32 LE
 *   20         4         byte length w of the words section, uint32 LE
 *   24         w         the words, UTF-8, each followed by "\n", most frequent first
 *   24 + w     0–3       zero padding, so the vectors start at a multiple of 4 (Float32Array needs it)
 *   aligned    4·n·d     the vectors, float32 LE, row i belongs to word i
 *
 * Float32 because GloVe's published values have at most 6 significant digits: float32 keeps them
 * to within 1e-7 relative error, halves float64's size, and is what pgvector stores anyway.
 */
export const GLOVE_BINARY_MAGIC = "GLOVEBIN";
export const GLOVE_BINARY_VERSION = 1;
export const GLOVE_BINARY_HEADER_BYTES = 24;

/** Words in frequency order and their vectors, row-major: word i owns `vectors[i*dims .. (i+1)*dims)`. */
export interface GloveTable {
  words: string[];
  dims: number;
  vectors: Float32Array;
}

/** What the header says, and where the sections start. */
export interface GloveBinaryHeader {
  version: number;
  wordCount: number;
  dims: number;
  wordsByteLength: number;
  vectorsOffset: number;
  /** The exact size a complete file with this header has. */
  byteLength: number;
}

const hostIsLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const rebuildHint = 'delete it and run "npx tsx scripts/prepare-glove.ts" to rebuild it';

function alignTo4(n: number): number {
  return (n + 3) & ~3;
}

/** Serialises a table. Throws when words are empty, duplicated or contain "\n", or vectors are not finite. */
export function encodeGloveBinary({ words, dims, vectors }: GloveTable): Buffer {
  if (!Number.isInteger(dims) || dims < 1 || dims > 0xffff_ffff) {
    throw new Error(`GloVe binary: dims must be a positive integer, got ${dims}.`);
  }
  if (vectors.length !== words.length * dims) {
    throw new Error(
      `GloVe binary: expected ${words.length} × ${dims} = ${words.length * dims} vector values, got ${vectors.length}.`,
    );
  }
  const seen = new Set<string>();
  for (const [i, word] of words.entries()) {
    if (word === "" || word.includes("\n")) {
      throw new Error(`GloVe binary: words[${i}] ${JSON.stringify(word)} is empty or contains a newline.`);
    }
    if (seen.has(word)) throw new Error(`GloVe binary: words[${i}] ${JSON.stringify(word)} appears twice.`);
    seen.add(word);
  }
  for (let i = 0; i < vectors.length; i++) {
    if (!Number.isFinite(vectors[i])) {
      const row = Math.floor(i / dims);
      throw new Error(`GloVe binary: the vector of ${JSON.stringify(words[row])} has a non-finite value ${vectors[i]}.`);
    }
  }

  const wordsBytes = Buffer.from(words.map((word) => `${word}\n`).join(""), "utf8");
  const vectorsOffset = alignTo4(GLOVE_BINARY_HEADER_BYTES + wordsBytes.length);
  const out = Buffer.alloc(vectorsOffset + vectors.length * 4); // zero-filled, so the padding is 0
  out.write(GLOVE_BINARY_MAGIC, 0, "latin1");
  out.writeUInt32LE(GLOVE_BINARY_VERSION, 8);
  out.writeUInt32LE(words.length, 12);
  out.writeUInt32LE(dims, 16);
  out.writeUInt32LE(wordsBytes.length, 20);
  wordsBytes.copy(out, GLOVE_BINARY_HEADER_BYTES);
  if (hostIsLittleEndian) {
    out.set(new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength), vectorsOffset);
  } else {
    for (let i = 0; i < vectors.length; i++) out.writeFloatLE(vectors[i], vectorsOffset + i * 4);
  }
  return out;
}

/**
 * Reads and checks the header of `bytes` (at least its first 24 bytes). `source` names the file in
 * error messages. Throws when the magic, version or sizes are wrong.
 */
export function decodeGloveBinaryHeader(bytes: Uint8Array, source = "GloVe binary"): GloveBinaryHeader {
  if (bytes.length < GLOVE_BINARY_HEADER_BYTES) {
    throw new Error(
      `${source}: truncated: ${bytes.length} bytes is shorter than the ${GLOVE_BINARY_HEADER_BYTES}-byte header; ${rebuildHint}.`,
    );
  }
  const magic = Buffer.from(bytes.buffer, bytes.byteOffset, 8).toString("latin1");
  if (magic !== GLOVE_BINARY_MAGIC) {
    throw new Error(
      `${source}: not a GloVe binary (starts with ${JSON.stringify(magic)}, expected ${JSON.stringify(GLOVE_BINARY_MAGIC)}); ${rebuildHint}.`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, GLOVE_BINARY_HEADER_BYTES);
  const version = view.getUint32(8, true);
  if (version !== GLOVE_BINARY_VERSION) {
    throw new Error(
      `${source}: format version ${version}, but this code reads version ${GLOVE_BINARY_VERSION}; ${rebuildHint}.`,
    );
  }
  const wordCount = view.getUint32(12, true);
  const dims = view.getUint32(16, true);
  const wordsByteLength = view.getUint32(20, true);
  if (dims === 0) throw new Error(`${source}: corrupt header: 0 dimensions; ${rebuildHint}.`);
  const vectorsOffset = alignTo4(GLOVE_BINARY_HEADER_BYTES + wordsByteLength);
  return { version, wordCount, dims, wordsByteLength, vectorsOffset, byteLength: vectorsOffset + wordCount * dims * 4 };
}

/** Checks that a file of `actual` bytes is exactly as long as its header says. */
function checkLength(header: GloveBinaryHeader, actual: number, source: string): void {
  const { byteLength, wordCount, dims } = header;
  if (actual < byteLength) {
    throw new Error(
      `${source}: truncated: ${wordCount} words × ${dims} dims need ${byteLength} bytes, found ${actual}; ${rebuildHint}.`,
    );
  }
  if (actual > byteLength) {
    throw new Error(
      `${source}: corrupt: ${actual - byteLength} unexpected bytes after the ${wordCount} × ${dims} vectors; ${rebuildHint}.`,
    );
  }
}

/**
 * Parses a whole file's bytes. The returned vectors are a view over `bytes` when it is suitably
 * aligned (no copy), so don't reuse the buffer. `source` names the file in error messages.
 */
export function decodeGloveBinary(bytes: Uint8Array, source = "GloVe binary"): GloveTable {
  const header = decodeGloveBinaryHeader(bytes, source);
  checkLength(header, bytes.length, source);
  const { wordCount, dims, wordsByteLength, vectorsOffset } = header;

  let text: string;
  try {
    text = strictUtf8.decode(bytes.subarray(GLOVE_BINARY_HEADER_BYTES, GLOVE_BINARY_HEADER_BYTES + wordsByteLength));
  } catch {
    throw new Error(`${source}: corrupt words section: invalid UTF-8; ${rebuildHint}.`);
  }
  // Every word ends in "\n", so the split leaves one empty string after the last word.
  const words = text.split("\n");
  if (words.pop() !== "" || words.length !== wordCount || words.includes("")) {
    throw new Error(
      `${source}: corrupt words section: found ${text.split("\n").length - 1} newline-terminated words, header says ${wordCount}; ${rebuildHint}.`,
    );
  }

  const length = wordCount * dims;
  const start = bytes.byteOffset + vectorsOffset;
  let vectors: Float32Array;
  if (hostIsLittleEndian && start % 4 === 0) {
    vectors = new Float32Array(bytes.buffer, start, length);
  } else {
    // Misaligned input (e.g. a slice of a pooled Buffer) or a big-endian host: copy value by value.
    const view = new DataView(bytes.buffer, start, length * 4);
    vectors = new Float32Array(length);
    for (let i = 0; i < length; i++) vectors[i] = view.getFloat32(i * 4, true);
  }
  return { words, dims, vectors };
}

/**
 * Reads and decodes a file (~0.1 s for 200k words); errors name the file and say how to fix it.
 * Reads with one large `read` into an unpooled buffer: `readFile` takes 512 KB steps (twice as
 * slow here), and an unpooled buffer starts at offset 0, so the vectors need no copy.
 */
export async function readGloveBinaryFile(file: string): Promise<GloveTable> {
  const handle = await open(file, "r");
  try {
    const bytes = Buffer.allocUnsafeSlow((await handle.stat()).size);
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) break; // shrank while reading: decoding reports it as truncated
      filled += bytesRead;
    }
    return decodeGloveBinary(bytes.subarray(0, filled), file);
  } finally {
    await handle.close();
  }
}

/**
 * Checks a file's header against its size without reading the rest (a few microseconds, so it can
 * run on every start). Throws what is wrong; a missing file throws Node's ENOENT error.
 */
export async function inspectGloveBinaryFile(file: string): Promise<GloveBinaryHeader> {
  const handle = await open(file, "r");
  try {
    const head = Buffer.alloc(GLOVE_BINARY_HEADER_BYTES);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const header = decodeGloveBinaryHeader(head.subarray(0, bytesRead), file);
    checkLength(header, (await handle.stat()).size, file);
    return header;
  } finally {
    await handle.close();
  }
}

/**
 * Writes a table to `file` atomically: into a temporary file next to it, flushed to disk, then
 * renamed over it. A reader (or a killed writer) never sees a half-written file. Creates the folder.
 */
export async function writeGloveBinaryFile(file: string, table: GloveTable): Promise<{ bytes: number }> {
  const bytes = encodeGloveBinary(table);
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
  try {
    const handle = await open(temporary, "w");
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
  return { bytes: (await stat(file)).size };
}
