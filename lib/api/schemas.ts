import { z } from "zod";
import { limits } from "./limits";

/**
 * Request schemas: the one place bodies are validated. Unknown fields are rejected (a typo such as
 * `text` for `texts` should fail loudly, not be ignored).
 */

// C0 controls other than tab, line feed and carriage return, and DEL: never meaningful in a text.
const controlCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** A user text of at most `maxLength` characters: NFC-normalised and trimmed, then checked for emptiness, length and controls. */
export const textSchemaOfLength = (maxLength: number) =>
  z
    .string()
    .transform((text) => text.normalize("NFC").trim())
    .pipe(
      z
        .string()
        .min(1, "must not be empty or whitespace-only")
        .max(maxLength, `must be at most ${maxLength} characters`)
        .refine((text) => !controlCharacters.test(text), "must not contain control characters"),
    );

/** A user text: at most `limits.maxTextLength` characters. */
export const textSchema = textSchemaOfLength(limits.maxTextLength);

export const modelIdSchema = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(limits.maxModelIdLength, `must be at most ${limits.maxModelIdLength} characters`)
  .optional()
  .describe("Model id from GET /api/models: use-lite (default), glove-100d, cedict-glove-100d, hf:<owner/name> (remote) or local:<owner/name> (ONNX, in this process).");

const textsSchema = (max: number) =>
  z
    .array(textSchema)
    .min(1, "must hold at least one text")
    .max(max, `must hold at most ${max} texts`);

/** How many results a search returns, best first. */
export const kSchema = z
  .number()
  .int("must be a whole number")
  .min(1, "must be at least 1")
  .max(limits.maxK, `must be at most ${limits.maxK}`)
  .default(limits.defaultK)
  .describe(`How many results, best first (1–${limits.maxK}; default ${limits.defaultK}).`);

export const embedRequestSchema = z.strictObject({
  model: modelIdSchema,
  texts: textsSchema(limits.maxTexts).describe("Texts to embed, in order; duplicates allowed."),
});

export const similarityRequestSchema = z.strictObject({
  model: modelIdSchema,
  texts: textsSchema(limits.maxSimilarityTexts).describe("Texts to compare pairwise."),
});

/** Sources a `texts` search may name beyond what everyone reads (the examples, public collections). */
export const withinLimits = { maxExplorations: 20, maxCollections: 20, maxIdLength: 64, maxKeyLength: 128 } as const;

const sourceIdSchema = (what: string) =>
  z.string().min(1, "must not be empty").max(withinLimits.maxIdLength, `must be at most ${withinLimits.maxIdLength} characters`).describe(what);

/**
 * What scope `texts` may read besides the built-in examples' items and public collections' chunks:
 * saved explorations by slug (holding the share link is reading it) and collections by id with a
 * read or write key. Nothing else anyone embedded is ever searched.
 */
export const withinSchema = z
  .strictObject({
    explorations: z
      .array(sourceIdSchema("An exploration's slug, as in its share link /s/<slug>."))
      .max(withinLimits.maxExplorations, `must hold at most ${withinLimits.maxExplorations} slugs`)
      .default([])
      .describe(`Saved explorations whose items are searched too, by slug (at most ${withinLimits.maxExplorations}).`),
    collections: z
      .array(
        z.strictObject({
          id: sourceIdSchema("The collection's id."),
          key: z
            .string()
            .min(1, "must not be empty")
            .max(withinLimits.maxKeyLength, `must be at most ${withinLimits.maxKeyLength} characters`)
            .optional()
            .describe("Its read or write key; needed for a private collection."),
        }),
      )
      .max(withinLimits.maxCollections, `must hold at most ${withinLimits.maxCollections} collections`)
      .default([])
      .describe(`Collections whose chunks are searched too (at most ${withinLimits.maxCollections}); they must use the search's model. Public collections are searched without being named.`),
  })
  .describe("Scope texts only: explorations and private collections to search besides the examples' items and public collections' chunks.");

const textsScopeDescription =
  "texts: the texts the caller may read (the built-in examples' items, public collections' chunks, and what `within` names) that have been embedded with the model; vocabulary: the word model's vocabulary (glove-100d: GloVe's English words; cedict-glove-100d: Chinese headwords).";

export const searchRequestSchema = z.strictObject({
  model: modelIdSchema,
  query: textSchema.describe("Text to find neighbours of."),
  k: kSchema,
  scope: z.enum(["texts", "vocabulary"]).default("texts").describe(textsScopeDescription),
  within: withinSchema.optional(),
});

export const analogyRequestSchema = z.strictObject({
  model: modelIdSchema.describe("Model id; default glove-100d, the word model analogies are known for."),
  a: textSchema.describe("a in a − b + c: king in king − man + woman."),
  b: textSchema.describe("b in a − b + c: man."),
  c: textSchema.describe("c in a − b + c: woman."),
  k: kSchema,
  scope: z
    .enum(["texts", "vocabulary"])
    .optional()
    .describe(`Where answers come from; default vocabulary for a model that has one (glove-100d, cedict-glove-100d), texts for other models. ${textsScopeDescription}`),
  within: withinSchema.optional(),
});

export type EmbedRequest = z.infer<typeof embedRequestSchema>;
export type SimilarityRequest = z.infer<typeof similarityRequestSchema>;
export type SearchRequest = z.infer<typeof searchRequestSchema>;
export type AnalogyRequest = z.infer<typeof analogyRequestSchema>;
export type SearchWithin = z.infer<typeof withinSchema>;
