import { z } from "zod";
import { addDocumentsSchema, collectionLimits, collectionMapSchema, collectionSearchSchema, createCollectionSchema } from "../collections/schemas";
import { generateRequestSchema } from "../embeddings/generation";
import { tokensRequestSchema } from "../embeddings/tokens";
import { searchModes } from "../hybrid-search/modes";
import { importLimits } from "../imports/limits";
import { createExplorationSchema, projectRequestSchema, updateExplorationSchema } from "../explorations/schemas";
import { nextTokensRequestSchema } from "../next-token/generate";
import { embeddingsRequestSchema } from "../openai-api/schema";
import { limits } from "./limits";
import { analogyRequestSchema, embedRequestSchema, searchRequestSchema, similarityRequestSchema } from "./schemas";

/**
 * The OpenAPI 3.1 document of the whole API, generated from the same zod schemas the handlers
 * validate with, so the documentation cannot drift from what is enforced. Response shapes are
 * described here (they are built by hand in the handlers).
 */

type Method = "get" | "post" | "patch" | "delete";

interface Operation {
  method: Method;
  path: string;
  summary: string;
  tag: "Embeddings" | "Explorations" | "Collections" | "OpenAI-compatible" | "Operations";
  body?: z.ZodType;
  query?: { name: string; description: string; schema: Record<string, unknown> }[];
  headers?: { name: string; description: string; schema: Record<string, unknown> }[];
  /** Bearer key needed: "required" for writes, "optional" where public resources need none. */
  auth?: "required" | "optional";
  /** `media`: the body's types when it is a file, not JSON (a download). */
  success: { status: 200 | 201 | 202 | 204; description: string; schema?: z.ZodType; media?: string[] };
  /** A file sent as multipart/form-data (a `file` part and these fields) or as the request body itself (the fields in the query). */
  upload?: { fields: { name: string; description: string; enum?: string[] }[] };
  /** A 202 the operation answers instead when the work goes on in the background. */
  accepted?: { description: string; schema: z.ZodType };
  errors: number[];
  /** The shape of its error replies: the app's (default), or OpenAI's for the /v1 routes. */
  errorShape?: "OpenAIError";
}

const scored = z.object({ text: z.string(), score: z.number().describe("Cosine similarity, −1 to 1.") });
const modelInfo = z.object({
  id: z.string(),
  dims: z.number().int().nullable(),
  kind: z.enum(["sentence", "word", "own"]),
  local: z.boolean(),
  available: z
    .boolean()
    .describe("False when the model cannot run here as configured: a remote model without its token, a local: model whose files are not in MODELS_DIR while MODEL_DOWNLOADS is off."),
  description: z.string(),
  reads: z
    .object({ scripts: z.array(z.string()), languages: z.array(z.string()), note: z.string().optional() })
    .nullable()
    .describe("Unicode scripts (Latin, Han, …) and BCP 47 languages the model reads; null when unknown (remote models)."),
  maxTokens: z
    .number()
    .int()
    .optional()
    .describe("The most tokens of a text the model reads (use-lite 128; local: models their max_seq_length, prefix and special tokens included): the rest of a longer text does not change its vector, and such texts get a `truncated` warning. Absent when there is no limit (word models) or it is unknown (remote models)."),
  download: z
    .object({
      state: z.enum(["absent", "downloading", "ready", "failed"]),
      file: z.string().optional(),
      bytesDone: z.number().int(),
      bytesTotal: z.number().int().nullable(),
      message: z.string().optional(),
    })
    .optional()
    .describe("local: models only: whether the model's files are here, missing, being downloaded (bytes so far of the total, null while unknown), or the last download failed, and why."),
  unindexedTexts: z.number().int().describe("Stored texts not in the HNSW index yet: added when the server is idle; searches scan them exactly meanwhile."),
  vocabulary: z
    .object({ state: z.enum(["absent", "loading", "indexing", "ready"]), wordsLoaded: z.number().int(), wordsTarget: z.number().int() })
    .optional()
    .describe("Word models with a vocabulary (glove-100d, cedict-glove-100d): how far it has been loaded into pgvector."),
});
const point = z.object({ text: z.string(), x: z.number(), y: z.number() });
const llmTokens = z.object({
  tokenizer: z.string(),
  count: z.number().int(),
  tokens: z.array(
    z.object({
      text: z.string().describe('The token\'s text; bytes that are not whole UTF-8 characters in hex, e.g. "<e6 99>".'),
      id: z.number().int(),
      bytes: z.array(z.number().int()).optional().describe("Only for a token that is part of a UTF-8 character: its bytes."),
    }),
  ),
});
const warnings = z
  .array(
    z.discriminatedUnion("code", [
      z.object({
        code: z.literal("unknown_pieces"),
        text: z.string(),
        unknown: z.array(z.string()).describe("The pieces or words the model has no entry for (up to 20)."),
        message: z.string(),
      }),
      z.object({
        code: z.literal("truncated"),
        text: z.string(),
        tokens: z.number().int().describe("The text's tokens, as the model counts them."),
        maxTokens: z.number().int().describe("The most the model reads."),
        readCharacters: z.number().int().describe("About how many of the text's first characters that is: its vector stands for them."),
        message: z.string(),
      }),
    ]),
  )
  .optional()
  .describe("Present when the model embedded some texts without reading all of them (up to 100): some pieces unknown to it, or longer than it reads. Texts it cannot read at all are refused with 400 unreadable:texts.");
const exploration = z.object({
  slug: z.string(),
  title: z.string(),
  model: z.string(),
  items: z.array(z.object({ text: z.string(), group: z.string().optional() })),
  cells: z.array(z.record(z.string(), z.unknown())).describe("Cells with their parameters; map cells carry `layout.points`."),
  version: z.number().int(),
  forkedFrom: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const createdExploration = z.object({ slug: z.string(), editKey: z.string(), url: z.string(), editUrl: z.string(), exploration, warnings });
const collection = z.object({
  id: z.string(),
  name: z.string(),
  model: z.string(),
  public: z.boolean(),
  chunking: z.object({ size: z.number().int(), overlap: z.number().int() }),
  documents: z.number().int(),
  chunks: z.number().int(),
  createdAt: z.string(),
});
const mapState = z
  .object({
    state: z.enum(["empty", "ready", "updating", "outdated"]).describe("empty: no row has a vector; ready: every row with a vector is on the map; updating: a map job is queued or running (job), the points so far are served meanwhile; outdated: rows are off the map and no job is on its way (a small collection is mapped when its map is read)."),
    rows: z.number().int().describe("Rows with a vector, which belong on the map."),
    points: z.number().int().describe("Rows on the map."),
    method: z.enum(["umap", "pca", "imported"]).nullable().describe("umap; pca for up to three rows (or rows all alike); imported: the rows brought their own x and y."),
    seed: z.number().int().nullable(),
    laidOut: z.number().int().nullable().describe("Rows in the last full layout."),
    placedSince: z.number().int().nullable().describe("Rows placed among them since (the others did not move)."),
    laidOutAt: z.string().nullable(),
    seconds: z.number().nullable().describe("How long the last full layout took."),
    note: z.string().nullable(),
    job: z.object({ id: z.string(), state: z.string() }).nullable().describe("The map job on its way."),
    mappedWhenReadUpTo: z.number().int().describe("Collections of up to this many rows are mapped when the map is read; bigger ones by a background job after each change."),
  })
  .describe("The collection's stored map.");
const documentId = z.string().describe("The document's id: 16 random letters, digits, '-' and '_' (opaque; it says nothing about other documents).");
const chunk = z.object({
  chunkId: z.string().describe("The chunk's id: its document's id, '.', its position (e.g. aZ3_x9Kq-LmN0pQr.2)."),
  documentId,
  position: z.number().int().describe("The chunk's place in its document, from 0."),
  text: z.string(),
  metadata: z.record(z.string(), z.unknown()),
});

const searchHit = chunk.extend({
  start: z.number().int().describe("Where the chunk starts in its document's text (UTF-16 offset)."),
  end: z.number().int().describe("Where it ends (exclusive)."),
  score: z.number().describe("vector: cosine similarity; keyword: BM25 score; hybrid: weighted reciprocal-rank-fusion score, 0.1/(5 + vector rank) + 1/(5 + keyword rank)."),
  parts: z.object({
    vector: z
      .object({ score: z.number().describe("Cosine similarity to the question."), rank: z.number().int().nullable().describe("Rank on the vector side; null when not among its best chunks.") })
      .nullable()
      .describe("Null in keyword mode."),
    keyword: z
      .object({ score: z.number().describe("BM25 score."), rank: z.number().int(), terms: z.array(z.string()).describe("The question's terms this chunk holds.") })
      .nullable()
      .describe("Null in vector mode, and when the keyword side did not return the chunk."),
  }),
  highlights: z.array(z.tuple([z.number().int(), z.number().int()])).describe("Spans [start, end) of text holding a term of the question."),
});

const count = z.object({ done: z.number().int(), total: z.number().int().nullable().describe("Null until the job has counted its chunks.") });
const job = z.object({
  id: z.string(),
  kind: z.literal("documents"),
  url: z.string().describe("The job's address: GET for progress, DELETE to cancel."),
  state: z.enum(["queued", "running", "done", "failed", "cancelled"]),
  cancelRequested: z.boolean().describe("A cancel was asked for: the job stops after the document under way."),
  progress: z.object({
    documents: count,
    chunks: count,
    chunksPerSecond: z.number().nullable().describe("Chunks per second of the current run; null until measurable."),
    etaSeconds: z.number().int().nullable().describe("Seconds still needed at that rate; null when unknown or finished."),
  }),
  error: z.object({ code: z.string(), message: z.string() }).nullable().describe("Why a failed job stopped; what it stored stays."),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
const truncatedChunks = z
  .object({ chunks: z.number().int(), maxTokens: z.number().int(), message: z.string() })
  .optional()
  .describe("Present when some of the document's chunks are longer than the model reads (its maxTokens): their vectors stand for their beginnings; keyword search reads them whole.");
const jobWithDocuments = job.extend({
  documents: z
    .array(
      z.object({
        index: z.number().int().describe("The document's place in the upload, from 0."),
        label: z.string().optional().describe("Its metadata's filename or title."),
        status: z.enum(["pending", "added", "duplicate", "failed", "cancelled", "skipped"]).describe("skipped: not processed because the job failed before it."),
        documentId: documentId.optional(),
        chunks: z.number().int().optional(),
        duplicate: z.boolean().optional(),
        truncated: truncatedChunks,
        error: z.object({ code: z.string(), message: z.string() }).optional().describe("failed: why (e.g. unreadable:texts); the job went on."),
      }),
    )
    .describe("Per document, in upload order: added and duplicate carry the same fields as a synchronous upload's reply."),
});

const rowsCount = z.object({ done: z.number().int(), total: z.number().int().nullable().describe("Null until every row has been read and checked.") });
const importJob = job.extend({
  kind: z.literal("import"),
  progress: z.object({
    files: count,
    rows: rowsCount,
    rowsPerSecond: z.number().nullable().describe("Rows per second of the current run; null until measurable."),
    etaSeconds: z.number().int().nullable(),
  }),
  error: z
    .object({ code: z.string(), message: z.string(), details: z.object({ row: z.number().int().optional(), column: z.string().optional(), storedThroughRow: z.number().int().optional() }).optional() })
    .nullable()
    .describe("Why it failed: a bad row names its row and column (nothing is stored then); a failure while storing says which rows are stored."),
});
const importJobWithFiles = importJob.extend({
  files: z.array(
    z.object({
      index: z.number().int(),
      label: z.string().optional().describe("The file's name."),
      status: z.enum(["pending", "imported", "cancelled", "skipped", "discarded"]).describe("skipped: not finished because the import failed (resume goes on with it); discarded: its rows were taken out (discardedRows)."),
      discardedRows: z.number().int().optional(),
      rows: z.number().int().optional(),
      stored: z.number().int().optional(),
      duplicates: z.number().int().optional().describe("Rows whose id the collection already held: not stored again."),
      unreadable: z.object({ count: z.number().int(), rows: z.array(z.number().int()).describe("The first 100 row numbers.") }).optional().describe("Rows stored without a vector: the model cannot read their text. Off the map; found by keyword."),
      truncated: z.object({ rows: z.number().int(), maxTokens: z.number().int(), message: z.string() }).optional(),
    }),
  ),
});
const importMappingField = "The mapping, as JSON: " + JSON.stringify({ text: "description", id: "package", metadata: { section: "string", year: "number" }, vector: "embedding", x: "x", y: "y" }) + ". text: the column embedded and searched; id: unique per row (a row whose id the collection holds is not stored again); metadata: a list of columns, or columns with a type (string, number, boolean, date); vector: the rows' own vectors (own:<name> collections only); x, y: their own map position.";

const slugParam = { name: "slug", description: "The exploration's share slug." };
const idParam = { name: "id", description: "The collection's id." };
const pathParamDescriptions: Record<string, string> = { slug: slugParam.description, id: idParam.description, documentId: "The document's id, as uploads and GET …/documents answer it (404 for any other, and for another collection's).", job: "The job's id.", index: "The point's index in the points' order (0 for the first), as GET …/points sends them." };

export const operations: Operation[] = [
  { method: "get", path: "/api/openapi.json", tag: "Embeddings", summary: "This document", success: { status: 200, description: "OpenAPI 3.1" }, errors: [] },
  { method: "get", path: "/api/health", tag: "Operations", summary: "Liveness: the process answers (touches nothing else; never rate-limited)", success: { status: 200, description: "Up", schema: z.object({ status: z.literal("ok"), uptimeSeconds: z.number().int() }) }, errors: [] },
  { method: "get", path: "/api/ready", tag: "Operations", summary: "Readiness: database reachable, migrations applied, built-in models available, not shutting down. 503 with Retry-After and this same body when a check fails; never rate-limited", success: { status: 200, description: "Every check, each with what it found", schema: z.object({ ready: z.boolean(), checks: z.array(z.object({ name: z.enum(["database", "migrations", "models", "shutdown"]), ok: z.boolean(), detail: z.string() })) }) }, errors: [] },
  { method: "get", path: "/api/models", tag: "Embeddings", summary: "List the embedding models and whether each can run here", success: { status: 200, description: "The models", schema: z.object({ models: z.array(modelInfo) }) }, errors: [503] },
  { method: "post", path: "/api/embed", tag: "Embeddings", summary: "Embed texts (cached per model); vectors are L2-normalised, in input order", body: embedRequestSchema, success: { status: 200, description: "The vectors", schema: z.object({ model: z.string(), dims: z.number().int(), vectors: z.array(z.array(z.number())), warnings }) }, errors: [400, 413, 502, 503, 504] },
  { method: "post", path: "/api/similarity", tag: "Embeddings", summary: "Cosine similarity of every pair of texts", body: similarityRequestSchema, success: { status: 200, description: "Symmetric matrix with 1 on the diagonal", schema: z.object({ model: z.string(), texts: z.array(z.string()), matrix: z.array(z.array(z.number())), warnings }) }, errors: [400, 413, 502, 503, 504] },
  { method: "post", path: "/api/search", tag: "Embeddings", summary: "Nearest texts the caller may read (the examples' items, public collections, what within names) or a word model's vocabulary words to a query, through pgvector", body: searchRequestSchema, success: { status: 200, description: "Best first", schema: z.object({ model: z.string(), results: z.array(scored), warnings }) }, errors: [400, 401, 403, 404, 503] },
  { method: "post", path: "/api/analogy", tag: "Embeddings", summary: "a − b + c (king − man + woman): nearest words (or texts the caller may read), inputs excluded", body: analogyRequestSchema, success: { status: 200, description: "Best first", schema: z.object({ model: z.string(), results: z.array(scored), warnings }) }, errors: [400, 401, 403, 404, 503] },
  { method: "post", path: "/api/tokens", tag: "Embeddings", summary: "How an embedding model (model) or an LLM (tokenizer) splits a text into tokens", body: tokensRequestSchema, success: { status: 200, description: "The tokens with their ids: with model, as below; with tokenizer, { tokenizer, tokens: [{ text, id, bytes? }], count }", schema: z.union([z.object({ model: z.string(), supported: z.boolean(), count: z.number().int(), tokens: z.array(z.object({ text: z.string(), id: z.number().int().nullable(), known: z.boolean(), glosses: z.array(z.string()).optional().describe("cedict-glove-100d: the word's first English glosses, the words its vector is made of.") })), note: z.string().optional() }), llmTokens]) }, errors: [400] },
  { method: "get", path: "/api/tokenizers", tag: "Embeddings", summary: "List the LLM tokenizers POST /api/tokens offers", success: { status: 200, description: "The tokenizers", schema: z.object({ tokenizers: z.array(z.object({ id: z.string(), name: z.string(), models: z.array(z.string()), licence: z.string(), vocabularySize: z.number().int() })) }) }, errors: [] },
  { method: "post", path: "/api/project", tag: "Embeddings", summary: "2-D coordinates by UMAP, PCA or semantic axes; `place` adds texts without moving the others", body: projectRequestSchema, success: { status: 200, description: "Deterministic for the same input", schema: z.object({ model: z.string(), method: z.enum(["umap", "pca", "axes"]), note: z.string().optional(), points: z.array(point), placed: z.array(point).optional(), warnings }) }, errors: [400, 503] },
  { method: "get", path: "/api/generate", tag: "Collections", summary: "Whether a text-generation model is configured (HF_TOKEN or HF_GENERATION_URL), and which", success: { status: 200, description: "Availability", schema: z.object({ available: z.boolean(), model: z.string(), reason: z.string().optional() }) }, errors: [] },
  { method: "post", path: "/api/generate", tag: "Collections", summary: "Send an augmented prompt to the text-generation model; its answer", body: generateRequestSchema, success: { status: 200, description: "The answer", schema: z.object({ model: z.string(), text: z.string() }) }, errors: [400, 429, 502, 503, 504] },
  { method: "get", path: "/api/next-tokens", tag: "Embeddings", summary: "The next-token models, whether each can run here, and how to install or configure it", success: { status: 200, description: "The models; missing: languages with no offline model, and why", schema: z.object({ default: z.string(), models: z.array(z.object({ id: z.string(), label: z.string(), kind: z.enum(["n-gram", "llm"]), languages: z.array(z.string()), available: z.boolean(), install: z.string().optional().describe("When unavailable: the command to run or the variable to set."), description: z.string() })), missing: z.array(z.object({ language: z.string(), note: z.string() })) }) }, errors: [] },
  { method: "post", path: "/api/next-tokens", tag: "Embeddings", summary: "The distribution over the next token; with steps, generation one token at a time (seeded)", body: nextTokensRequestSchema, success: { status: 200, description: "Best first; probabilities sum to at most 1. An empty distribution with a note when the model cannot predict after the last word", schema: z.object({ model: z.string(), label: z.string(), context: z.array(z.string()).describe("The tokens the model read the text as; empty when a remote server does not say."), tokens: z.array(z.object({ text: z.string(), probability: z.number() })), steps: z.array(z.object({ chosen: z.string(), tokens: z.array(z.object({ text: z.string(), probability: z.number() })) })), text: z.string().describe("The text with the chosen tokens appended."), note: z.string().optional() }) }, errors: [400, 502, 503, 504] },
  { method: "post", path: "/api/explorations", tag: "Explorations", summary: "Save an exploration (its maps are computed and stored)", body: createExplorationSchema, success: { status: 201, description: "Share link, and the edit key (shown only now)", schema: createdExploration }, errors: [400, 413, 503] },
  { method: "get", path: "/api/explorations/{slug}", tag: "Explorations", summary: "A saved exploration, coordinates included", success: { status: 200, description: "The exploration", schema: exploration }, errors: [404] },
  { method: "patch", path: "/api/explorations/{slug}", tag: "Explorations", summary: "Edit title, items or cells (send `version` to be refused with 409 if it changed meanwhile)", body: updateExplorationSchema, auth: "required", success: { status: 200, description: "The updated exploration", schema: exploration.extend({ warnings }) }, errors: [400, 401, 403, 404, 409, 503] },
  { method: "delete", path: "/api/explorations/{slug}", tag: "Explorations", summary: "Delete an exploration", auth: "required", success: { status: 204, description: "Deleted" }, errors: [401, 403, 404] },
  { method: "post", path: "/api/explorations/{slug}/fork", tag: "Explorations", summary: "An editable copy under a new slug and edit key", success: { status: 201, description: "The copy", schema: createdExploration }, errors: [404] },
  { method: "post", path: "/api/collections", tag: "Collections", summary: "Create a document collection", body: createCollectionSchema, success: { status: 201, description: "Its id, and its read and write keys (shown only now)", schema: z.object({ id: z.string(), readKey: z.string(), writeKey: z.string(), collection }) }, errors: [400, 503] },
  { method: "get", path: "/api/collections/{id}", tag: "Collections", summary: "A collection's name, model, chunking and counts, and what the presented key may do", auth: "optional", success: { status: 200, description: "The collection", schema: collection.extend({ access: z.enum(["write", "read", "public"]).describe("write: may change it; read: may search it; public: no key needed to search"), map: mapState }) }, errors: [401, 403, 404] },
  { method: "delete", path: "/api/collections/{id}", tag: "Collections", summary: "Delete a collection with all its documents", auth: "required", success: { status: 204, description: "Deleted" }, errors: [401, 403, 404] },
  { method: "post", path: "/api/collections/{id}/documents", tag: "Collections", summary: "Chunk, embed and store documents (an identical document is not stored twice); with Prefer: respond-async, as a background job", body: addDocumentsSchema, auth: "required", headers: [{ name: "Prefer", description: `respond-async: queue the upload as a background job and answer 202 at once; it may then hold up to ${collectionLimits.maxDocumentsPerJob.toLocaleString("en")} documents in ${collectionLimits.maxJobBodyBytes / 1024 / 1024} MB, and its chunks are not limited. Without it the upload is stored before the reply: up to ${collectionLimits.maxDocumentsPerRequest} documents and ${collectionLimits.maxChunksPerRequest.toLocaleString("en")} chunks.`, schema: { type: "string", examples: ["respond-async"] } }], success: { status: 201, description: "Per document: id, chunk count, whether it was a duplicate", schema: z.object({ documents: z.array(z.object({ documentId, chunks: z.number().int(), duplicate: z.boolean(), truncated: truncatedChunks })) }) }, accepted: { description: "Queued as a background job (Prefer: respond-async); Location is the job's address", schema: z.object({ job }) }, errors: [400, 401, 403, 404, 413, 503] },
  { method: "get", path: "/api/collections/{id}/jobs", tag: "Collections", summary: "The collection's background jobs: every unfinished one and the 20 most recent finished, newest first", auth: "optional", success: { status: 200, description: "Jobs with their progress", schema: z.object({ jobs: z.array(job) }) }, errors: [401, 403, 404] },
  { method: "post", path: "/api/collections/{id}/imports", tag: "Collections", summary: `Import a table (CSV, TSV, JSONL or Parquet, up to ${importLimits.maxFileBytes / 1024 ** 3} GB), each row a document of one chunk, as a background job. Every row is checked before any is stored; rows the model cannot read are kept without a vector. A collection holds at most ${importLimits.maxCollectionRows.pglite.toLocaleString("en")} rows on the embedded database, ${importLimits.maxCollectionRows.postgres.toLocaleString("en")} on PostgreSQL.`, auth: "required", query: [{ name: "mapping", description: "With the file as the body: the mapping (see the form field).", schema: { type: "string" } }, { name: "format", description: "With the file as the body: csv, tsv, jsonl or parquet (else from filename or Content-Type).", schema: { type: "string", enum: ["csv", "tsv", "jsonl", "parquet"] } }, { name: "filename", description: "With the file as the body: its name, shown with the job.", schema: { type: "string" } }], upload: { fields: [{ name: "mapping", description: importMappingField }, { name: "format", description: "csv, tsv, jsonl or parquet; default: from the file's name or type.", enum: ["csv", "tsv", "jsonl", "parquet"] }] }, success: { status: 202, description: "Queued; Location is the job's address", schema: z.object({ job: importJob }) }, errors: [400, 401, 403, 404, 413] },
  { method: "post", path: "/api/collections/{id}/jobs/{job}/resume", tag: "Collections", summary: "Resume a failed import: it goes on after the last row it stored (409 for another job, one not failed, or one whose file is gone)", auth: "required", success: { status: 202, description: "Back in the queue; Location is the job's address", schema: z.object({ job: importJobWithFiles }) }, errors: [401, 403, 404, 409] },
  { method: "post", path: "/api/collections/{id}/jobs/{job}/discard", tag: "Collections", summary: "Discard an import that has ended (done, failed or cancelled): the rows it stored are deleted from the collection, and its file removed", auth: "required", success: { status: 200, description: "The job, and how many rows were taken out", schema: z.object({ job: importJobWithFiles, discardedRows: z.number().int() }) }, errors: [401, 403, 404, 409] },
  { method: "get", path: "/api/collections/{id}/jobs/{job}", tag: "Collections", summary: "A job's state and progress (documents and chunks for an upload, files and rows for an import, per second, ETA), and each item's outcome", auth: "optional", success: { status: 200, description: "The job", schema: z.object({ job: z.union([jobWithDocuments, importJobWithFiles]) }) }, errors: [401, 403, 404] },
  { method: "delete", path: "/api/collections/{id}/jobs/{job}", tag: "Collections", summary: "Cancel a job: it stops between documents; those already stored stay (listed as added)", auth: "required", success: { status: 200, description: "Cancelled (or it had finished meanwhile)", schema: z.object({ job: jobWithDocuments }) }, accepted: { description: "Still finishing the document under way after 10 s; it stops after it", schema: z.object({ job: jobWithDocuments }) }, errors: [401, 403, 404, 409] },
  { method: "get", path: "/api/collections/{id}/documents", tag: "Collections", summary: `The documents: preview, size, chunk count and metadata, ${collectionLimits.maxDocumentsPerPage.toLocaleString("en")} at a time (a table imported row by row may hold 100,000)`, auth: "optional", query: [{ name: "limit", description: `Documents per page, 1–${collectionLimits.maxDocumentsPerPage.toLocaleString("en")} (the default).`, schema: { type: "integer", minimum: 1, maximum: collectionLimits.maxDocumentsPerPage } }, { name: "after", description: "The previous page's next: the page after that document.", schema: { type: "string" } }], success: { status: 200, description: "In the order they were added; next is the after of the following page (null on the last), total the documents in the collection", schema: z.object({ next: z.string().nullable(), total: z.number().int(), documents: z.array(z.object({ documentId, preview: z.string(), characters: z.number().int(), chunks: z.number().int(), metadata: z.record(z.string(), z.unknown()), createdAt: z.string() })) }) }, errors: [401, 403, 404] },
  { method: "delete", path: "/api/collections/{id}/documents/{documentId}", tag: "Collections", summary: "Remove a document and its chunks", auth: "required", success: { status: 204, description: "Deleted" }, errors: [401, 403, 404] },
  { method: "get", path: "/api/collections/{id}/chunks", tag: "Collections", summary: "The chunks, in document order", auth: "optional", query: [{ name: "limit", description: "1–2,000, default 500", schema: { type: "integer", minimum: 1, maximum: 2000, default: 500 } }, { name: "offset", description: "Chunks to skip, default 0", schema: { type: "integer", minimum: 0, default: 0 } }], success: { status: 200, description: "A page of chunks", schema: z.object({ chunks: z.array(chunk), limit: z.number().int(), offset: z.number().int() }) }, errors: [400, 401, 403, 404] },
  { method: "get", path: "/api/collections/{id}/export", tag: "Collections", summary: "Every chunk as a row of a file, streamed: id, document, text, x, y (null until the map has a position), one column per metadata key, and with vectors=true the vector (null for a row stored without one). Read back by the collection import; a collection whose documents use more than 1,000 metadata keys is refused (409 conflict:export).", auth: "optional", query: [{ name: "format", description: "csv (RFC 4180, UTF-8, header row; a vector as JSON text), jsonl (one object per line) or parquet (a vector as a list of floats; the collection's id, name, model and dims in the key-value metadata). Required.", schema: { type: "string", enum: ["csv", "jsonl", "parquet"] } }, { name: "vectors", description: "true adds the vector column; default false", schema: { type: "string", enum: ["true", "false"], default: "false" } }], success: { status: 200, description: "The file, as an attachment named after the collection (Content-Disposition with an RFC 5987 filename*); X-Collection-Model and X-Collection-Dims name the vectors' model and dimensions", media: ["text/csv", "application/x-ndjson", "application/vnd.apache.parquet"] }, errors: [400, 401, 403, 404, 409] },
  { method: "post", path: "/api/collections/{id}/map", tag: "Collections", summary: "The collection's stored map: its first chunks with their positions, and a question placed among them", body: collectionMapSchema, auth: "optional", success: { status: 200, description: "The map's state, the first 2,000 chunks on it (document order; the points endpoint has them all) and where the question lands, among its nearest chunks", schema: z.object({ model: z.string(), map: mapState, chunks: z.array(chunk.extend({ x: z.number(), y: z.number() })), question: z.object({ x: z.number(), y: z.number() }).optional() }) }, errors: [400, 401, 403, 404, 503] },
  { method: "get", path: "/api/collections/{id}/points", tag: "Collections", summary: "Every point of the collection's map as binary columns: a uint32 (little-endian) header length, the JSON header { version, count, columns: [{ name, type, offset, … }] }, then float32 x and y in chunk id order and, with color, a uint16 category index (categories in the header, most common first; 65535: none) or a float32 value for a numeric key", auth: "optional", query: [{ name: "color", description: "A metadata key to colour the points by.", schema: { type: "string" } }], success: { status: 200, description: "The points (X-Points-Version and X-Points-Count say their version and number)", media: ["application/octet-stream"] }, errors: [400, 401, 403, 404, 503] },
  { method: "get", path: "/api/collections/{id}/points/{index}", tag: "Collections", summary: "The chunk of one map point, by its index in the points' order (hover, click); 409 when the points have changed since that version", auth: "optional", query: [{ name: "version", description: "The version the index came from (X-Points-Version, or the header's version).", schema: { type: "string" } }], success: { status: 200, description: "The point's chunk and position", schema: chunk.extend({ version: z.string(), index: z.number().int(), x: z.number(), y: z.number() }) }, errors: [400, 401, 403, 404, 409] },
  { method: "post", path: "/api/collections/{id}/map/layout", tag: "Collections", summary: "Lay the whole map out again (UMAP over every row), as a background job; the old points are served until the new ones are written", auth: "required", success: { status: 202, description: "The map job (an equal one already queued is answered instead); Location is its address", schema: z.object({ job }) }, errors: [401, 403, 404, 503] },
  { method: "post", path: "/v1/embeddings", tag: "OpenAI-compatible", summary: "OpenAI's embeddings API over the app's models: set this server's /v1 as an OpenAI client's baseURL", body: embeddingsRequestSchema, errorShape: "OpenAIError", success: { status: 200, description: "One embedding per input, in order; model is the app model that answered", schema: z.object({ object: z.literal("list"), data: z.array(z.object({ object: z.literal("embedding"), index: z.number().int(), embedding: z.union([z.array(z.number()), z.string()]).describe("Numbers, or with encoding_format base64 the little-endian float32 bytes in base64.") })), model: z.string(), usage: z.object({ prompt_tokens: z.number().int().describe("The model's own tokens (use-lite's pieces, GloVe's words); cl100k_base tokens for models whose tokenizer can't run here."), total_tokens: z.number().int() }) }) }, errors: [400, 413, 502, 503, 504] },
  { method: "post", path: "/api/collections/{id}/search", tag: "Collections", summary: "The chunks that best answer a question (hybrid keyword + vector search by default) or are nearest to a vector, best first, optionally filtered by metadata", body: collectionSearchSchema, auth: "optional", success: { status: 200, description: "Best first", schema: z.object({ model: z.string(), mode: z.enum(searchModes), strategy: z.enum(["exact", "hnsw"]).optional().describe("How the vector side searched; absent in keyword mode."), terms: z.array(z.string()).describe("The question's terms as keyword search matched them: words as written, English stems marked ~ (~remov matches removes, removing), Chinese and Japanese words and their character pairs."), results: z.array(searchHit) }) }, errors: [400, 401, 403, 404, 503] },
];

const errorDescriptions: Record<number, string> = {
  400: "Bad input: the message names the field and the problem; unreadable:texts when the model cannot read a text (details.texts, details.readableBy)",
  401: "A key is needed: send Authorization: Bearer <key>",
  403: "The key does not allow this",
  404: "Not found",
  409: "Changed meanwhile: reload and apply the edit again (or, for a job, it has already finished)",
  413: `Too large (request bodies up to ${limits.maxBodyBytes / 1024 / 1024} MB; an upload sent with Prefer: respond-async up to ${collectionLimits.maxJobBodyBytes / 1024 / 1024} MB)`,
  429: "Too many requests: wait as long as Retry-After says",
  502: "The remote model answered badly",
  503: "Not available right now (database down, remote model not configured, local model not installed or still downloading, vocabulary loading); see Retry-After",
  504: "The remote model did not answer in time",
};

function jsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
}

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const uploadBody = (fields: NonNullable<Operation["upload"]>["fields"]) => ({
    required: true,
    content: {
      "multipart/form-data": {
        schema: {
          type: "object",
          required: ["file", "mapping"],
          properties: {
            file: { type: "string", format: "binary", description: "The file, streamed to disk as it arrives (never held in memory)." },
            ...Object.fromEntries(fields.map(({ name, description, enum: values }) => [name, { type: "string", description, ...(values ? { enum: values } : {}) }])),
          },
        },
      },
      "application/octet-stream": { schema: { type: "string", format: "binary", description: `The file itself, with ${fields.map(({ name }) => name).join(", ")} in the query string.` } },
    },
  });
  for (const operation of operations) {
    const parameters = [
      ...[...operation.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
        name,
        in: "path",
        required: true,
        description: pathParamDescriptions[name],
        schema: { type: "string" },
      })),
      ...(operation.query ?? []).map((param) => ({ ...param, in: "query", required: false })),
      ...(operation.headers ?? []).map((param) => ({ ...param, in: "header", required: false })),
    ];
    const responses: Record<string, unknown> = {
      [operation.success.status]: {
        description: operation.success.description,
        ...(operation.success.schema ? { content: { "application/json": { schema: jsonSchema(operation.success.schema, "output") } } } : {}),
        ...(operation.success.media ? { content: Object.fromEntries(operation.success.media.map((type) => [type, { schema: { type: "string", format: "binary" } }])) } : {}),
      },
      ...(operation.accepted
        ? { 202: { description: operation.accepted.description, content: { "application/json": { schema: jsonSchema(operation.accepted.schema, "output") } } } }
        : {}),
    };
    // Every non-GET operation is rate-limited per client (lib/api/rate-limit.ts).
    const errors = operation.method === "get" ? operation.errors : [...new Set([...operation.errors, 429])].sort();
    for (const status of errors) {
      responses[status] = { description: errorDescriptions[status], content: { "application/json": { schema: { $ref: `#/components/schemas/${operation.errorShape ?? "Error"}` } } } };
    }
    paths[operation.path] ??= {};
    paths[operation.path][operation.method] = {
      operationId: `${operation.method}${operation.path.replace(/\/api|[{}]/g, "").replace(/\/(\w)/g, (_, c: string) => c.toUpperCase())}`,
      summary: operation.summary,
      tags: [operation.tag],
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(operation.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(operation.body, "input") } } } } : {}),
      ...(operation.upload ? { requestBody: uploadBody(operation.upload.fields) } : {}),
      ...(operation.auth === "required" ? { security: [{ bearerKey: [] }] } : operation.auth === "optional" ? { security: [{}, { bearerKey: [] }] } : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Embeddings notebook API",
      version: "1.0.0",
      description:
        "Embeddings, similarity, nearest-neighbour search, projections, saved explorations and document collections for retrieval. " +
        "Every error has the shape { error: { code, message, details? } }, except on /v1 routes, which answer in OpenAI's shape { error: { message, type, param, code } }.",
    },
    servers: [{ url: "/" }],
    tags: [
      { name: "Embeddings", description: "Models, vectors, similarity, search, analogies, tokens and projections" },
      { name: "Operations", description: "Health and readiness checks for load balancers and orchestrators" },
      { name: "Explorations", description: "Saved notebooks, shared by slug, changed with the edit key" },
      { name: "Collections", description: "Documents chunked and embedded for retrieval (RAG)" },
      { name: "OpenAI-compatible", description: "The app's models behind OpenAI's API, for existing OpenAI clients" },
    ],
    paths,
    components: {
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: {
                code: { type: "string", description: "type:surface, e.g. bad_request:texts", examples: ["bad_request:texts"] },
                message: { type: "string" },
                details: {
                  type: "object",
                  description:
                    "Particulars for some codes. unreadable:texts: { model, texts (every text refused, up to 2,000), readableBy (models here that read them: built-in ones, and local: models whose files are on disk) }.",
                  additionalProperties: true,
                },
              },
            },
          },
        },
        OpenAIError: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["message", "type", "param", "code"],
              properties: {
                message: { type: "string" },
                type: { type: "string", description: "invalid_request_error (400, 413), requests (429), server_error (5xx)", examples: ["invalid_request_error"] },
                param: { type: ["string", "null"], description: "The request field at fault, e.g. input or model" },
                code: { type: ["string", "null"], description: "model_not_found, rate_limit_exceeded, or the app's type:surface code, e.g. unreadable:texts" },
              },
            },
          },
        },
      },
      securitySchemes: {
        bearerKey: { type: "http", scheme: "bearer", description: "An exploration's edit key, or a collection's read or write key." },
      },
    },
  };
}
