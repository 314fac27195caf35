/** Request limits, enforced by the API schemas and documented in the README. */
export const limits = {
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: 5 * 1024 * 1024,
  /** Texts per embed / similarity request. */
  maxTexts: 2_000,
  /** Characters per text (after NFC normalisation and trimming). */
  maxTextLength: 10_000,
  /** Texts per similarity request: the reply is an n×n matrix. */
  maxSimilarityTexts: 500,
  /** Results per search. */
  maxK: 100,
  defaultK: 10,
  /** Deepest nesting of arrays and objects in a request body; real requests need 5 or fewer. */
  maxJsonDepth: 32,
  /** Longest model id accepted, e.g. `hf:BAAI/bge-small-en-v1.5`. */
  maxModelIdLength: 100,
} as const;
