import { z } from "zod";
import { limits } from "../api/limits";
import { modelIdSchema, textSchema } from "../api/schemas";
import { searchModes } from "../hybrid-search/modes";

/**
 * What an exploration is made of, as the API accepts it and the database stores it. Cells keep
 * their parameters; map cells also keep the coordinates they were drawn with, so a share link
 * shows exactly the same picture without recomputing.
 */

export const explorationLimits = {
  maxItems: 2_000,
  maxCells: 50,
  maxTitleLength: 200,
  maxGroupLength: 100,
  maxNoteLength: 20_000,
} as const;

const cellId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,40}$/, "must be 1–40 letters, digits, '-' or '_'")
  .describe("Stable id of the cell within its exploration.");

const point = z.tuple([z.number().finite(), z.number().finite()]);

/** Coordinates a map cell was drawn with: one [x, y] per item, in item order. */
export const layoutSchema = z.strictObject({
  method: z.enum(["umap", "pca", "axes"]).describe("Method that actually produced the points (UMAP falls back to PCA on tiny sets)."),
  note: z.string().max(500).optional(),
  points: z.array(point).max(explorationLimits.maxItems),
  fittedOn: z
    .array(textSchema)
    .max(explorationLimits.maxItems)
    .optional()
    .describe("Texts the projection was fitted on, when they differ from the items (points were placed or removed since)."),
});

const axisSchema = z
  .tuple([textSchema, textSchema])
  .refine(([from, to]) => from !== to, "must run between two different texts")
  .describe("[from, to]: the axis runs from the first text to the second.");

export const mapParamsSchema = z.strictObject({
  nNeighbors: z.number().int().min(2).max(100).optional().describe("UMAP: neighbourhood size (default 15, clamped to the number of points − 1)."),
  minDist: z.number().min(0).max(1).optional().describe("UMAP: how tightly points may pack (default 0.1)."),
  seed: z.number().int().min(0).max(2 ** 31 - 1).optional().describe("UMAP: random seed; same inputs and seed give the same layout (default 42)."),
  axes: z
    .strictObject({ x: axisSchema, y: axisSchema.optional() })
    .optional()
    .describe('Semantic axes: e.g. { "x": ["man", "woman"], "y": ["small", "big"] }.'),
});

export const mapCellSchema = z.strictObject({
  id: cellId,
  type: z.literal("map"),
  method: z.enum(["umap", "pca", "axes"]),
  params: mapParamsSchema.default({}),
  layout: layoutSchema.optional(),
});

export const cellSchema = z.discriminatedUnion("type", [
  mapCellSchema,
  z.strictObject({ id: cellId, type: z.literal("heatmap") }),
  z.strictObject({
    id: cellId,
    type: z.literal("neighbours"),
    item: z.string().max(limits.maxTextLength).optional().describe("The item whose neighbours are shown."),
    k: z.number().int().min(1).max(50).default(5),
  }),
  z.strictObject({
    id: cellId,
    type: z.literal("analogy"),
    a: z.string().max(200).default(""),
    b: z.string().max(200).default(""),
    c: z.string().max(200).default(""),
    k: z.number().int().min(1).max(20).default(5),
  }),
  z.strictObject({ id: cellId, type: z.literal("note"), markdown: z.string().max(explorationLimits.maxNoteLength) }),
  z.strictObject({
    id: cellId,
    type: z.literal("tokens"),
    text: z.string().max(limits.maxTextLength).describe("The text whose tokens are shown."),
    tokenizers: z
      .array(z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, "must be \"model\" or a tokenizer id from GET /api/tokenizers"))
      .max(8, "must hold at most 8 tokenizers")
      .optional()
      .describe('Rows to compare, in order: "model" (the notebook\'s embedding model) or a tokenizer id. Absent (cells saved before there was a choice): ["model", "o200k_base", "cl100k_base", "qwen3"].'),
  }),
  z.strictObject({
    id: cellId,
    type: z.literal("next-token"),
    text: z.string().max(limits.maxTextLength).describe("The text so far; it grows as tokens are appended."),
    model: z.string().regex(/^[a-z0-9-]{1,40}$/, "must be a next-token model id").optional().describe("Next-token model from GET /api/next-tokens; default libime-zh."),
    k: z.number().int().min(1).max(50).default(10).describe("Candidates shown."),
    steps: z.number().int().min(1).max(50).default(5).describe("Tokens one press of Generate adds."),
    strategy: z.enum(["greedy", "sample"]).default("greedy"),
    temperature: z.number().gt(0).max(2).default(1),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
  }),
  z.strictObject({
    id: cellId,
    type: z.literal("retrieve"),
    collection: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be a collection id").describe("Collection to search. Its key, if private, is never saved."),
    question: z.string().max(limits.maxTextLength).default(""),
    k: z.number().int().min(1).max(20).default(4),
    mode: z.enum(searchModes).optional().describe("How the collection is searched (see POST /api/collections/{id}/search); default hybrid."),
    template: z.string().max(explorationLimits.maxNoteLength).optional().describe("Prompt template with {{context}} and {{question}}; default the built-in one."),
    tokenizer: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,40}$/, "must be a tokenizer id from GET /api/tokenizers")
      .optional()
      .describe("The LLM tokenizer the augmented prompt's tokens are counted with; default o200k_base."),
  }),
]);

export const itemSchema = z.strictObject({
  text: textSchema,
  group: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(explorationLimits.maxGroupLength, `must be at most ${explorationLimits.maxGroupLength} characters`)
    .optional(),
});

const titleSchema = z
  .string()
  .transform((title) => title.normalize("NFC").trim())
  .pipe(z.string().min(1, "must not be empty").max(explorationLimits.maxTitleLength, `must be at most ${explorationLimits.maxTitleLength} characters`));

const itemsSchema = z
  .array(itemSchema)
  .min(1, "must hold at least one item")
  .max(explorationLimits.maxItems, `must hold at most ${explorationLimits.maxItems} items`)
  .superRefine((items, context) => {
    const seen = new Map<string, number>();
    items.forEach((item, index) => {
      const first = seen.get(item.text);
      if (first !== undefined) {
        context.addIssue({ code: "custom", path: [index, "text"], message: `repeats items[${first}] "${item.text.slice(0, 40)}"; each text may appear once` });
      }
      seen.set(item.text, index);
    });
  });

const cellsSchema = z
  .array(cellSchema)
  .max(explorationLimits.maxCells, `must hold at most ${explorationLimits.maxCells} cells`)
  .superRefine((cells, context) => {
    const ids = new Set<string>();
    cells.forEach((cell, index) => {
      if (ids.has(cell.id)) context.addIssue({ code: "custom", path: [index, "id"], message: `repeats cell id "${cell.id}"` });
      ids.add(cell.id);
      if (cell.type === "map" && cell.method === "axes" && !cell.params.axes) {
        context.addIssue({ code: "custom", path: [index, "params", "axes"], message: 'is needed by the axes method, e.g. { "x": ["man", "woman"] }' });
      }
    });
  });

export const createExplorationSchema = z.strictObject({
  title: titleSchema,
  model: modelIdSchema,
  items: itemsSchema,
  cells: cellsSchema.optional().describe("Default: a UMAP map and a similarity heatmap."),
});

export const updateExplorationSchema = z.strictObject({
  title: titleSchema.optional(),
  items: itemsSchema.optional(),
  cells: cellsSchema.optional(),
  version: z.number().int().min(1).optional().describe("The version this edit is based on; 409 if it is no longer current."),
});

export type Cell = z.infer<typeof cellSchema>;
export type MapCell = z.infer<typeof mapCellSchema>;
export type MapLayout = z.infer<typeof layoutSchema>;
export type MapParams = z.infer<typeof mapParamsSchema>;
export type ExplorationItemInput = z.infer<typeof itemSchema>;
export type CreateExplorationInput = z.infer<typeof createExplorationSchema>;
export type UpdateExplorationInput = z.infer<typeof updateExplorationSchema>;

/** A saved exploration as the API returns it. */
export interface Exploration {
  slug: string;
  title: string;
  model: string;
  items: ExplorationItemInput[];
  cells: Cell[];
  version: number;
  forkedFrom: string | null;
  createdAt: string;
  updatedAt: string;
}

export const defaultCells = (): Cell[] => [
  { id: "map", type: "map", method: "umap", params: {} },
  { id: "heatmap", type: "heatmap" },
];

/** POST /api/project: a map of texts, optionally with new texts placed onto it without moving the rest. */
export const projectRequestSchema = z.strictObject({
  model: modelIdSchema,
  texts: z
    .array(textSchema)
    .min(1, "must hold at least one text")
    .max(explorationLimits.maxItems, `must hold at most ${explorationLimits.maxItems} texts`),
  method: z.enum(["umap", "pca", "axes"]),
  params: mapParamsSchema.default({}),
  place: z
    .array(textSchema)
    .max(100, "must hold at most 100 texts")
    .optional()
    .describe("Texts to add to the map computed for `texts`: placed by UMAP's transform (or the same PCA/axes), existing points unchanged."),
});

export type ProjectRequest = z.infer<typeof projectRequestSchema>;
