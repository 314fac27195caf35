import { createHash } from "node:crypto";
import { z } from "zod";

/**
 * The dump file: one JSON object with a versioned header, then every exploration and collection
 * (and, optionally, the embeddings cache). Keys appear only as the SHA-256 hashes the database
 * holds, so edit links and read/write keys keep working after a move and the file never carries a
 * secret that opens anything by itself. A reader refuses any other format or version.
 *
 * Version 2 adds each document's public id (its id in the API), so clients' stored document and
 * chunk ids keep working after a move. Version 1 files, which have none, still import: their
 * documents get new ids.
 */

export const dumpFormat = "embeddings-notebook/dump";
/** The version this app writes. */
export const dumpVersion = 2;
/** The versions this app reads. */
export const readableDumpVersions = [1, 2] as const;

const isoDate = z.iso.datetime({ offset: true });
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, "must be a SHA-256 hash (64 lowercase hex digits)");
const vector = z.array(z.number().finite()).min(1, "must hold at least one number");
const jsonObject = z.record(z.string(), z.unknown());

export const dumpedExplorationSchema = z.strictObject({
  slug: z.string().regex(/^[A-Za-z0-9_-]{16}$/, "must be 16 letters, digits, '_' or '-' (a slug this app made)"),
  editKeyHash: sha256Hex,
  title: z.string().min(1),
  model: z.string().min(1),
  /** Stored as they are, coordinates included: the share page draws them without recomputing. */
  cells: z.array(jsonObject),
  version: z.number().int().min(1),
  forkedFrom: z.string().nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
  items: z.array(z.strictObject({ text: z.string().min(1), group: z.string().nullable() })),
});

export const dumpedChunkSchema = z.strictObject({
  position: z.number().int().min(0),
  text: z.string().min(1),
  start: z.number().int().min(0),
  end: z.number().int().min(0),
  metadata: jsonObject,
  /** Absent in a dump made without `--vectors`: the importer embeds the text again. */
  vector: vector.optional(),
});

export const dumpedDocumentSchema = z
  .strictObject({
    /** Absent in version 1 files: the importer gives the document a new one. */
    publicId: z.string().regex(/^[A-Za-z0-9_-]{16}$/, "must be 16 letters, digits, '_' or '-' (a document id this app made)").optional(),
    contentHash: sha256Hex,
    text: z.string().min(1),
    metadata: jsonObject,
    createdAt: isoDate,
    chunks: z.array(dumpedChunkSchema),
  })
  // The hash is what dedupes uploads; a text edited by hand without it would let duplicates in.
  .refine((document) => createHash("sha256").update(document.text).digest("hex") === document.contentHash, {
    message: "does not match the SHA-256 of the document's text; was the text edited?",
    path: ["contentHash"],
  });

export const dumpedCollectionSchema = z
  .strictObject({
    publicId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1–64 letters, digits, '_' or '-'"),
    name: z.string().min(1),
    model: z.string().min(1),
    public: z.boolean(),
    readKeyHash: sha256Hex,
    writeKeyHash: sha256Hex,
    chunking: z.strictObject({ size: z.number().int().min(1), overlap: z.number().int().min(0) }),
    createdAt: isoDate,
    documents: z.array(dumpedDocumentSchema),
  })
  .superRefine((collection, context) => {
    // The database keeps a document id once per collection; a repeat would fail the import half-way.
    const seen = new Set<string>();
    collection.documents.forEach((document, d) => {
      if (document.publicId === undefined) return;
      if (seen.has(document.publicId)) context.addIssue({ code: "custom", path: ["documents", d, "publicId"], message: `repeats the id of an earlier document of this collection` });
      seen.add(document.publicId);
    });
    // One model, one dimension: a vector of another length would fail the database's check mid-import.
    let dims: number | undefined;
    collection.documents.forEach((document, d) =>
      document.chunks.forEach((chunk, c) => {
        if (!chunk.vector) return;
        dims ??= chunk.vector.length;
        if (chunk.vector.length !== dims) {
          context.addIssue({
            code: "custom",
            path: ["documents", d, "chunks", c, "vector"],
            message: `has ${chunk.vector.length} numbers where the collection's other vectors have ${dims}`,
          });
        }
      }),
    );
  });

export const dumpedEmbeddingSchema = z.strictObject({ model: z.string().min(1), text: z.string().min(1), vector });

export const dumpSchema = z.strictObject({
  format: z.literal(dumpFormat),
  version: z.literal(readableDumpVersions),
  exportedAt: isoDate,
  withVectors: z.boolean(),
  explorations: z.array(dumpedExplorationSchema),
  collections: z.array(dumpedCollectionSchema),
  /** The shared embeddings cache, only in a dump made with `--cache`. */
  embeddings: z.array(dumpedEmbeddingSchema).optional(),
});

export type Dump = z.infer<typeof dumpSchema>;
export type DumpHeader = Pick<Dump, "format" | "version" | "exportedAt" | "withVectors">;
export type DumpedExploration = z.infer<typeof dumpedExplorationSchema>;
export type DumpedCollection = z.infer<typeof dumpedCollectionSchema>;
export type DumpedDocument = z.infer<typeof dumpedDocumentSchema>;
export type DumpedChunk = z.infer<typeof dumpedChunkSchema>;
export type DumpedEmbedding = z.infer<typeof dumpedEmbeddingSchema>;

/**
 * Reads a dump from its JSON text. Throws one error naming every problem by its path
 * (`collections[0].documents[2].contentHash: …`); the header is checked first, so a file from
 * another program or a newer version says so instead of listing a hundred field errors.
 */
export function parseDump(text: string): Dump {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`The dump is not valid JSON (${(error as Error).message}); was the file cut short?`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error("The dump must be a JSON object with a format, a version, explorations and collections.");
  }
  const header = value as Record<string, unknown>;
  if (header.format !== dumpFormat) {
    throw new Error(`This is not an embeddings-notebook dump: format is ${JSON.stringify(header.format) ?? "missing"}, expected "${dumpFormat}".`);
  }
  if (!(readableDumpVersions as readonly unknown[]).includes(header.version)) {
    throw new Error(
      `This dump has version ${JSON.stringify(header.version) ?? "missing"}; this app reads versions ${readableDumpVersions.join(" and ")}. Export it again with this version of the app.`,
    );
  }
  const parsed = dumpSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 20).map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
    const more = parsed.error.issues.length > 20 ? `\n  … and ${parsed.error.issues.length - 20} more` : "";
    throw new Error(`The dump is invalid; nothing was imported:\n  ${problems.join("\n  ")}${more}`);
  }
  return parsed.data;
}

function formatPath(path: PropertyKey[]): string {
  if (path.length === 0) return "(the whole file)";
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`)).join("");
}
