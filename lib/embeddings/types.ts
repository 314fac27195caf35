/** What kind of input a model is meant for; drives UI hints and which features apply (analogies need words). */
export type ModelKind = "sentence" | "word";

/** Public description of a model, as listed by `GET /api/models`. */
export interface ModelInfo {
  /** Stable identifier stored with every vector, e.g. `use-lite`, `glove-100d`, `hf:BAAI/bge-small-en-v1.5`. */
  id: string;
  /** Vector length; `null` for a remote model whose dimension is not known until its first answer. */
  dims: number | null;
  kind: ModelKind;
  /** True when the model runs inside this process with no network. */
  local: boolean;
  /** False when the model cannot run here as configured (e.g. a remote model without a token). */
  available: boolean;
  /** One sentence for people: what the model is and where it comes from. */
  description: string;
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
}
