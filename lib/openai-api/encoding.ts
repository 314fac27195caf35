/**
 * The reply of POST /v1/embeddings in OpenAI's shape. With `base64`, each vector is its float32
 * values as little-endian bytes, base64-encoded: what the openai SDK asks for when its caller sets
 * no encoding_format, and decodes with a Float32Array. A server that answered such a request with
 * a float array would make the SDK read it as bytes and hand back a vector a quarter as long.
 */

export type EncodingFormat = "float" | "base64";

export interface EmbeddingsResponse {
  object: "list";
  data: { object: "embedding"; index: number; embedding: number[] | string }[];
  /** The app model that answered (use-lite for text-embedding-3-small, unless an alias says otherwise). */
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

/** `vector` as little-endian float32 bytes in base64 (4 bytes a value, whatever the machine's byte order). */
export function toBase64Float32(vector: readonly number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((value, i) => bytes.writeFloatLE(value, i * 4));
  return bytes.toString("base64");
}

/** The inverse of `toBase64Float32`; throws when the length is not a whole number of float32 values. */
export function fromBase64Float32(text: string): number[] {
  const bytes = Buffer.from(text, "base64");
  if (bytes.length % 4 !== 0) throw new Error(`base64 embedding is ${bytes.length} bytes, not a multiple of 4`);
  return Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
}

export function embeddingsResponse({
  model,
  vectors,
  format,
  promptTokens,
}: {
  model: string;
  vectors: number[][];
  format: EncodingFormat;
  promptTokens: number;
}): EmbeddingsResponse {
  return {
    object: "list",
    data: vectors.map((vector, index) => ({ object: "embedding", index, embedding: format === "base64" ? toBase64Float32(vector) : vector })),
    model,
    // Embedding reads the prompt only: there are no completion tokens.
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}
