import { AppError } from "../api/errors";

/**
 * Token-id input, decoded honestly. OpenAI's embedding models (text-embedding-3-*, ada-002) read
 * cl100k_base tokens, and clients that send ids count with that tokenizer (LangChain for Python
 * does by default, and uses cl100k_base for any model name tiktoken doesn't know). This app's
 * models read text, so the ids are turned back into the exact text they were cut from: byte-level
 * BPE is lossless, so decode(encode(text)) is that text. Ids that are not text tokens, or whose
 * bytes are not whole UTF-8 (an array cut in the middle of a character), are refused, never
 * patched with U+FFFD.
 */

type Ranks = readonly (string | readonly number[])[];

let loading: Promise<Ranks> | undefined;

/** cl100k_base's vocabulary: the bytes of each token, by id (~1 MB, loaded on the first id input). */
function loadRanks(): Promise<Ranks> {
  loading ??= import("gpt-tokenizer/bpeRanks/cl100k_base")
    .then((module) => module.default as Ranks)
    .catch((error: unknown) => {
      loading = undefined; // a failed load is not kept: the next request tries again
      throw error;
    });
  return loading;
}

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * The texts that `input` (one array of cl100k_base ids, or several) stands for, in order. Throws
 * `bad_request:input` naming the input and the id at fault.
 */
export async function decodeTokenInputs(input: number[] | number[][]): Promise<string[]> {
  const nested = Array.isArray(input[0]);
  const inputs = nested ? (input as number[][]) : [input as number[]];
  const ranks = await loadRanks();
  return inputs.map((ids, index) => {
    const where = nested ? `input[${index}]` : "input";
    const parts: Uint8Array[] = ids.map((id, i) => {
      const entry = ranks[id];
      if (entry === undefined) {
        throw new AppError("bad_request:input", `${where}[${i}] is ${id}, not a cl100k_base text token (0–${ranks.length - 1}); token ids are read as cl100k_base, the tokenizer of OpenAI's embedding models.`);
      }
      return typeof entry === "string" ? encoder.encode(entry) : Uint8Array.from(entry);
    });
    const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    parts.reduce((offset, part) => (bytes.set(part, offset), offset + part.length), 0);
    try {
      return strictDecoder.decode(bytes);
    } catch {
      throw new AppError("bad_request:input", `${where}'s token ids do not decode to whole UTF-8 characters (cut in the middle of one?); send the text itself, or ids that end on a character boundary.`);
    }
  });
}
