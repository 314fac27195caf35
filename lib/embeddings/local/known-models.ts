import type { ModelReads } from "../types";

/** How a model turns token vectors into one vector per text. */
export type Pooling = "mean" | "cls";

/**
 * What is known about a model without reading its files: the Xenova conversions on the hub ship
 * config.json, the tokenizer and onnx/, but not sentence-transformers' module files
 * (1_Pooling/config.json, modules.json, sentence_bert_config.json) that would say how to pool.
 * Files in the model's directory win over this table; see settings.ts.
 */
export interface KnownModel {
  /** For people: what the model is, in a few words (the description adds "runs locally" and the languages). */
  summary: string;
  dims: number;
  pooling: Pooling;
  /** Whether sentence-transformers L2-normalises the model's output (the service normalises anyway). */
  normalize: boolean;
  /**
   * Put before every text. The service embeds texts symmetrically (a text is compared with texts, not
   * a question with passages), so e5 models get `query: ` on every text, as their model card advises
   * for symmetric tasks (similarity, clustering); `passage: ` is never used.
   */
  prefix: string;
  /** Tokens per text, special tokens included, that the model was trained with (its sentence-transformers max_seq_length). */
  maxLength: number;
  reads: ModelReads;
  /** Approximate size of what a download fetches (the quantized ONNX file and the tokenizer), for people. */
  downloadMB: number;
}

/** XLM-RoBERTa's ~100 languages, by their main scripts; the languages list names the commonest. */
const xlmRobertaReads: ModelReads = {
  scripts: ["Latin", "Cyrillic", "Greek", "Han", "Hiragana", "Katakana", "Hangul", "Arabic", "Hebrew", "Devanagari", "Thai"],
  languages: ["en", "zh", "ja", "ko", "de", "fr", "es", "it", "pt", "ru", "ar", "hi", "tr", "pl", "nl", "vi", "th", "id"],
  note: "A SentencePiece vocabulary of 250,000 pieces shared by about 100 languages.",
};

/** The models suggested in GET /api/models and the README, by repo id. */
export const knownModels: Readonly<Record<string, KnownModel>> = {
  "Xenova/multilingual-e5-small": {
    summary: "multilingual-e5-small (Microsoft; ONNX by Xenova), 384 dimensions, sentences in about 100 languages",
    dims: 384,
    pooling: "mean",
    normalize: true,
    prefix: "query: ",
    maxLength: 512,
    reads: { ...xlmRobertaReads, note: `${xlmRobertaReads.note} Every text gets e5's "query: " prefix (its advice for symmetric similarity).` },
    downloadMB: 135,
  },
  "Xenova/paraphrase-multilingual-MiniLM-L12-v2": {
    summary: "paraphrase-multilingual-MiniLM-L12-v2 (sentence-transformers; ONNX by Xenova), 384 dimensions, paraphrases in 50+ languages",
    dims: 384,
    pooling: "mean",
    normalize: false,
    prefix: "",
    maxLength: 128,
    reads: xlmRobertaReads,
    downloadMB: 135,
  },
  "Xenova/all-MiniLM-L6-v2": {
    summary: "all-MiniLM-L6-v2 (sentence-transformers; ONNX by Xenova), 384 dimensions, English sentences",
    dims: 384,
    pooling: "mean",
    normalize: true,
    prefix: "",
    maxLength: 256,
    reads: { scripts: ["Latin"], languages: ["en"], note: "BERT's English WordPiece vocabulary (30,522 pieces); other scripts are mostly unknown pieces." },
    downloadMB: 24,
  },
  "Xenova/bge-small-zh-v1.5": {
    summary: "bge-small-zh-v1.5 (BAAI; ONNX by Xenova), 512 dimensions, Chinese sentences",
    dims: 512,
    pooling: "cls",
    normalize: true,
    prefix: "",
    maxLength: 512,
    reads: { scripts: ["Han", "Latin"], languages: ["zh", "en"], note: "Chinese BERT vocabulary: one piece per Han character, some English words." },
    downloadMB: 25,
  },
};

export function knownModel(repoId: string): KnownModel | undefined {
  return Object.hasOwn(knownModels, repoId) ? knownModels[repoId] : undefined;
}
