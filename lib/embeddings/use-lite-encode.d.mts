// Types for use-lite-encode.mjs.

/** The package's `Tokenizer.encode`, without its copies: the same ids for every text. */
export function encodeWithoutCopies(tokenizer: unknown): (text: string) => number[];
