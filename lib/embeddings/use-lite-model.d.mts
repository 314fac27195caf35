// Types for use-lite-model.mjs (plain JavaScript, loaded by path in a worker thread).

export interface UseLiteModel {
  /** One row of `dims` values per text, in order, as one Float32Array. */
  embed(texts: string[]): Promise<{ dims: number; values: Float32Array }>;
}

/** `attention: "xnnpack"` (default) runs the tuned kernels and tokenizer; `"tfjs"` the packages as they ship. */
export function loadUseLiteModel(options?: { attention?: "xnnpack" | "tfjs" }): Promise<UseLiteModel>;
