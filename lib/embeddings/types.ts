/** What kind of input a model is meant for; drives UI hints and which features apply (analogies need words). */
/** `own`: vectors imported with a collection's rows (lib/embeddings/own/), which no model here makes. */
export type ModelKind = "sentence" | "word" | "own";

/**
 * What a model can read. `scripts` are Unicode script names (`Latin`, `Han`, …) and `languages`
 * BCP 47 codes (`en`, `zh`); `note` says how, in one sentence, where that is not obvious (a
 * dictionary bridge, a byte-level tokenizer).
 */
export interface ModelReads {
  scripts: string[];
  languages: string[];
  note?: string;
}

/** Public description of a model, as listed by `GET /api/models`. */
export interface ModelInfo {
  /** Stable identifier stored with every vector, e.g. `use-lite`, `glove-100d`, `hf:BAAI/bge-small-en-v1.5`. */
  id: string;
  /** Vector length; `null` for a model whose dimension is not known until its first answer. */
  dims: number | null;
  kind: ModelKind;
  /** True when the model runs inside this process with no network. */
  local: boolean;
  /** False when the model cannot run here as configured (e.g. a remote model without a token). */
  available: boolean;
  /** One sentence for people: what the model is and where it comes from. */
  description: string;
  /** Scripts and languages the model reads; `null` when unknown (a remote model). */
  reads: ModelReads | null;
  /**
   * The most tokens of a text the model reads; the rest of a longer text does not change its
   * vector (texts that long get a `truncated` warning). Absent when there is no such limit (word
   * models average every word) or it is not known here (remote models).
   */
  maxTokens?: number;
  /**
   * For a model whose files are fetched once (`local:` models): whether they are here (`ready`),
   * missing (`absent`), on their way (`downloading`, with the file under way and bytes so far of
   * `bytesTotal`, `null` while unknown) or the last attempt `failed` (`message` says why).
   */
  download?: {
    state: "absent" | "downloading" | "ready" | "failed";
    file?: string;
    bytesDone: number;
    bytesTotal: number | null;
    message?: string;
  };
}

/**
 * How a model reads one text. `unknown` lists the pieces or words it has no entry for, in order of
 * first appearance, without repeats; `readable` is false when nothing in the text is known, so its
 * vector would say nothing about it (use-lite gives every such text the same vector).
 */
export interface TextReading {
  readable: boolean;
  unknown: string[];
  /**
   * For a text longer than the model's `maxTokens`: its token count, and about how many of its
   * first characters the model reads. Absent when the model reads all of it.
   */
  truncated?: { tokens: number; readCharacters: number };
}

/**
 * One embedding model behind one interface. Implementations load lazily (the first `embed` pays the
 * load), are safe to call concurrently, and return vectors in input order.
 *
 * Vectors need not be normalised: the embedding service L2-normalises everything it stores.
 * Texts arrive already validated (non-empty, trimmed, within limits).
 */
export interface EmbeddingModel {
  info(): ModelInfo;
  embed(texts: string[]): Promise<number[][]>;
  /**
   * How the model reads each text, in input order, without embedding it. Models that can tell
   * implement it; the embedding service then refuses unreadable texts and warns about unknown
   * pieces before anything is embedded or stored.
   */
  read?(texts: string[]): Promise<TextReading[]>;
  /**
   * The words a word model offers for scope "vocabulary" (nearest words, analogies), loaded into
   * pgvector once per database and searched there through HNSW. Models without one search only
   * the texts embedded so far.
   */
  vocabulary?: ModelVocabulary;
}

/** One vocabulary word. `rank` 1 is the most common; ranks run 1, 2, 3, … without gaps. */
export interface VocabularyEntry {
  word: string;
  rank: number;
  /** Raw or unit length (the loader normalises); may be a view into shared storage: read it, don't keep it. */
  vector: Float32Array;
}

/** A model's vocabulary, as the loader (lib/embeddings/vocabulary.ts) reads it. */
export interface ModelVocabulary {
  /**
   * How many words go into pgvector, known without loading the model, so a status report costs
   * nothing. The loader stores `min(wordsTarget(), words.wordCount)`.
   */
  wordsTarget(): number;
  /** The words, loaded on first call (later calls share the load). */
  load(): Promise<VocabularyWords>;
  /**
   * The vocabulary words a query text stands for, as the vocabulary spells them, so that a
   * search leaves the query's own words out of its answers ("King" → ["king"]; 國王 → ["国王"]).
   */
  wordsIn(text: string): Promise<string[]>;
}

export interface VocabularyWords {
  wordCount: number;
  /** The first `limit` words, most common first, in arrays of `batchSize`. */
  batches(options: { limit: number; batchSize: number }): Iterable<VocabularyEntry[]>;
}

/**
 * Models addressed by a prefix and a name, made on first use: e.g. `hf:<owner/name>` runs remotely.
 * `create` gets the whole id and throws `bad_request:model` when the name is malformed.
 */
export interface ModelFamily {
  prefix: string;
  /** How to write an id, for error messages: "hf:<owner/name> for a Hugging Face model". */
  usage: string;
  create(id: string): EmbeddingModel;
  /** Ids GET /api/models lists even before anyone used them (suggestions, models found on disk). */
  listed(): string[];
  /** True when GET /api/models must not list the ids people used (they name private collections' vectors). */
  unlisted?: boolean;
}

/** One token of a text as an embedding model sees it (POST /api/tokens with `model`). */
export interface ModelToken {
  /** The piece or word as the model sees it: "▁cat", "t", "cat"; for an unknown piece, the text it stands for. */
  text: string;
  /** use-lite: the piece's row in the vocabulary (0 = unknown). glove-100d: frequency rank (1 = "the"), null when unknown. */
  id: number | null;
  /** False when the model has no entry for it: use-lite's unknown piece, or a word GloVe lacks. */
  known: boolean;
  /** cedict-glove-100d, Chinese words: the first English glosses the word is read as, e.g. 猫 → ["cat", …]. */
  glosses?: string[];
}
