import type { LlmToken } from "./types";
import { tokenFromBytes } from "./types";

/** What gpt-tokenizer's encoding modules and rank tables export, as far as this app uses them. */
interface Encoding {
  encode(text: string, options: { disallowedSpecial: Set<string> }): number[];
}
type Ranks = readonly (string | readonly number[])[];

const encoder = new TextEncoder();

/**
 * `encode` for one of gpt-tokenizer's encodings. A token's bytes come from the rank table (the
 * vocabulary: a string where the bytes are valid UTF-8, else the bytes). Special-token text such as
 * "<|endoftext|>" in the input is read as plain text, as the API of a chat model does with user text.
 */
export function bpeEncoder(load: () => Promise<[Encoding, Ranks]>): (text: string) => Promise<LlmToken[]> {
  let loaded: Promise<[Encoding, Ranks]> | undefined;
  return async (text) => {
    // A failed load is not kept: the next call tries again (e.g. after `npm install`).
    loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    const [encoding, ranks] = await loaded;
    return encoding.encode(text, { disallowedSpecial: new Set() }).map((id) => {
      const entry = ranks[id];
      return tokenFromBytes(id, typeof entry === "string" ? encoder.encode(entry) : Uint8Array.from(entry));
    });
  };
}
