import { z } from "zod";
import { kSchema, modelIdSchema, textSchema } from "../api/schemas";
import { searchModes } from "../hybrid-search/modes";
import type { ChunkHit } from "../hybrid-search/search";
import { chunkSizeRange } from "./chunker";

/** Request schemas and limits of the collections API (also the source of its OpenAPI document). */

export const collectionLimits = {
  maxNameLength: 200,
  maxDocumentsPerRequest: 100,
  /** Characters per document, after NFC normalisation. */
  maxDocumentLength: 200_000,
  /** Chunks embedded per request: bounds how long one upload can take (~270 chunks/s with use-lite). */
  maxChunksPerRequest: 2_000,
  /**
   * An upload sent with `Prefer: respond-async` is stored by a background job (lib/jobs/), one
   * document at a time, so neither its documents' chunks nor its running time are bounded by a
   * request: it may hold up to 1,000 documents in a body of up to 50 MB, of up to
   * `maxDocumentLength` characters each. The body is read whole and parsed before the job is
   * queued (measured: 0.6 s and ~100 MB more memory for 50 MB of JSON), which is what bounds it;
   * 50 MB of text is ~80,000 chunks of 800 characters, hours of embedding at the local models' speed.
   */
  maxDocumentsPerJob: 1_000,
  maxJobBodyBytes: 50 * 1024 * 1024,
  maxMetadataKeys: 20,
  maxMetadataValueLength: 500,
  /** Chunks listed per page by GET …/chunks. */
  maxChunksPerPage: 2_000,
  /** Documents listed per page by GET …/documents (the default page is this long). */
  maxDocumentsPerPage: 1_000,
} as const;

const metadataValue = z.union([
  z.string().max(collectionLimits.maxMetadataValueLength, `must be at most ${collectionLimits.maxMetadataValueLength} characters`),
  z.number().finite(),
  z.boolean(),
]);

// Letters of any script: a table imported with a column 发布日期 keeps it as its key (lib/imports/mapping.ts).
const metadataKey = z.string().regex(/^[\p{L}\p{N}_.-]{1,64}$/u, "keys must be 1–64 letters, digits, '_', '.' or '-'");

export const metadataSchema = z
  .record(metadataKey, metadataValue)
  .refine((value) => Object.keys(value).length <= collectionLimits.maxMetadataKeys, `must have at most ${collectionLimits.maxMetadataKeys} keys`)
  .describe("Flat JSON object of strings, numbers and booleans, e.g. { \"topic\": \"bees\", \"year\": 2024 }.");

export const chunkingSchema = z
  .strictObject({
    size: z
      .number()
      .int()
      .min(chunkSizeRange.min)
      .max(chunkSizeRange.max)
      .optional()
      .describe(`Largest chunk, in characters (${chunkSizeRange.min}–${chunkSizeRange.max.toLocaleString("en")}). Default: what the model reads whole, at most 800 (use-lite: 350, as it reads 128 tokens).`),
    overlap: z
      .number()
      .int()
      .min(0)
      .max(chunkSizeRange.max / 2)
      .optional()
      .describe("Characters of context shared by consecutive chunks, at most size/2 (default: an eighth of size, 100 for 800)."),
  })
  .refine((value) => value.overlap === undefined || value.size === undefined || value.overlap <= value.size / 2, {
    message: "overlap must be at most half of size",
    path: ["overlap"],
  });

export const createCollectionSchema = z.strictObject({
  name: z
    .string()
    .transform((name) => name.normalize("NFC").trim())
    .pipe(z.string().min(1, "must not be empty").max(collectionLimits.maxNameLength, `must be at most ${collectionLimits.maxNameLength} characters`)),
  model: modelIdSchema,
  public: z.boolean().default(false).describe("Public collections can be searched without a key."),
  chunking: chunkingSchema.optional(),
});

const documentText = z
  .string()
  .transform((text) => text.normalize("NFC").replace(/\r\n?/g, "\n").trim())
  .pipe(
    z
      .string()
      .min(1, "must not be empty or whitespace-only")
      .max(collectionLimits.maxDocumentLength, `must be at most ${collectionLimits.maxDocumentLength} characters`)
      .refine((text) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text), "must not contain control characters"),
  );

const documentsSchema = (max: number, beyond: string) =>
  z
    .array(z.strictObject({ text: documentText, metadata: metadataSchema.optional() }))
    .min(1, "must hold at least one document")
    .max(max, `must hold at most ${max.toLocaleString("en")} documents${beyond}`);

export const addDocumentsSchema = z.strictObject({
  documents: documentsSchema(
    collectionLimits.maxDocumentsPerRequest,
    `; send Prefer: respond-async to upload up to ${collectionLimits.maxDocumentsPerJob.toLocaleString("en")} as a background job`,
  ),
});

/** The same body, sent with `Prefer: respond-async`: stored by a background job. */
export const uploadJobSchema = z.strictObject({
  documents: documentsSchema(collectionLimits.maxDocumentsPerJob, "; send the rest as another upload"),
});

export const collectionSearchSchema = z.strictObject({
  query: z
    .union([textSchema, z.array(z.number().finite()).min(1).max(16_000)])
    .describe("A text (embedded with the collection's model) or a vector of the model's dimension."),
  k: kSchema,
  mode: z
    .enum(searchModes)
    .optional()
    .describe(
      "hybrid (default for a text query): the vector and keyword lists fused by reciprocal rank; vector: cosine similarity only (the only mode for a vector query); keyword: BM25 over the chunks' words only (the default for a text query of an own:<name> collection, whose vectors no model here can match a text to).",
    ),
  minScore: z
    .number()
    .finite()
    .min(-1)
    .optional()
    .describe("Leave out chunks scoring below this: a cosine similarity (−1 to 1) in the vector and hybrid modes (a hybrid result's own cosine), a BM25 score (0 and up) in keyword mode."),
  filter: metadataSchema.optional().describe("Only chunks whose document metadata has all these key/value pairs."),
});

export const collectionMapSchema = z.strictObject({
  question: textSchema.optional().describe("Placed on the map of the chunks, which does not move."),
});

export type CreateCollectionInput = z.infer<typeof createCollectionSchema>;
export type AddDocumentsInput = z.infer<typeof addDocumentsSchema>;
export type UploadJobInput = z.infer<typeof uploadJobSchema>;
export type CollectionSearchInput = z.infer<typeof collectionSearchSchema>;
export type Metadata = z.infer<typeof metadataSchema>;

export interface CollectionInfo {
  id: string;
  name: string;
  model: string;
  public: boolean;
  chunking: { size: number; overlap: number };
  documents: number;
  chunks: number;
  createdAt: string;
}

/** What the presented key allows: change (write), search (read), or nothing beyond a public collection. */
export type CollectionAccess = "write" | "read" | "public";

/** A chunk a search found, with why (see ChunkHit). */
export type SearchResult = Omit<ChunkHit, "metadata"> & { metadata: Metadata };
