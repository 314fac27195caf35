/**
 * The tokenizers of real LLMs, as opposed to the embedding models' own (lib/embeddings/tokens.ts).
 * Every tokenizer here is byte-level BPE: a token stands for a run of UTF-8 bytes, which need not be
 * a whole character (cl100k cuts 智, e6 99 ba, into <e6 99> and <ba>).
 */

export interface LlmToken {
  /** What the token stands for; where its bytes are not whole UTF-8 characters, those bytes in hex: "<e6 99>". */
  text: string;
  /** The token's id in the tokenizer's vocabulary: the number the model reads. */
  id: number;
  /** Only when the token is not whole UTF-8 characters: its bytes, e.g. [0xe6, 0x99]. */
  bytes?: number[];
}

export interface TokenizerInfo {
  /** Stable id used by the API: "o200k_base". */
  id: string;
  /** For people: "o200k_base (GPT-4o)". */
  name: string;
  /** LLMs that read text through it. */
  models: string[];
  /** Licence of the vocabulary and the code that ships it. */
  licence: string;
  /** Tokens in the vocabulary, special tokens included. */
  vocabularySize: number;
}

export interface Tokenizer extends TokenizerInfo {
  /** The tokens of `text`, in order; loads the vocabulary on first use (MBs: never at import). */
  encode(text: string): Promise<LlmToken[]>;
}

/** A token from its id and bytes: its text when the bytes are whole characters, else with `bytes`. */
export function tokenFromBytes(id: number, bytes: Uint8Array): LlmToken {
  try {
    return { text: strictDecoder.decode(bytes), id };
  } catch {
    return { text: bytesToDisplayText(bytes), id, bytes: [...bytes] };
  }
}

const strictDecoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Whole UTF-8 characters as text, every other byte as hex in angle brackets: [0x61, 0xe6, 0x99]
 * → "a<e6 99>". Never a U+FFFD: a broken glyph tells a reader nothing about the bytes.
 */
export function bytesToDisplayText(bytes: Uint8Array): string {
  let text = "";
  let stray: string[] = [];
  const flush = () => {
    if (stray.length > 0) text += `<${stray.join(" ")}>`;
    stray = [];
  };
  for (let i = 0; i < bytes.length; ) {
    const length = sequenceLength(bytes, i);
    if (length === 0) {
      stray.push(bytes[i].toString(16).padStart(2, "0"));
      i += 1;
    } else {
      flush();
      text += strictDecoder.decode(bytes.subarray(i, i + length));
      i += length;
    }
  }
  flush();
  return text;
}

/** Length of the valid UTF-8 sequence starting at `start`, or 0 when none starts there. */
function sequenceLength(bytes: Uint8Array, start: number): number {
  const lead = bytes[start];
  const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf5 ? 4 : 0;
  if (length === 0 || start + length > bytes.length) return 0;
  try {
    strictDecoder.decode(bytes.subarray(start, start + length));
    return length;
  } catch {
    return 0;
  }
}
