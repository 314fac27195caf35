import { z } from "zod";

/**
 * An exploration as a downloadable JSON file, and back. The file is versioned
 * (`format` + `version`), so a later release can read today's files or say clearly why not.
 * Parsing never throws: a bad file gives `{ ok: false, error }` naming the field, like a bad
 * share link. Cells are carried through as they are: lib/explorations validates them on import.
 */

export const explorationFileFormat = "embeddings-notebook/exploration";
export const explorationFileVersion = 1;

const itemSchema = z.object({
  text: z.string(),
  group: z.string().optional(),
  x: z.number().finite().optional(),
  y: z.number().finite().optional(),
  vector: z.array(z.number().finite()).optional(),
});

const fileSchema = z.object({
  format: z.literal(explorationFileFormat),
  version: z.number().int().min(1),
  title: z.string(),
  model: z.string(),
  slug: z.string().optional(),
  createdAt: z.string().optional(),
  items: z.array(itemSchema),
  cells: z.array(z.unknown()).default([]),
});

export type ExplorationItemExport = z.infer<typeof itemSchema>;

export interface ExplorationExport {
  title: string;
  model: string;
  /** Share slug, when the exploration was saved. */
  slug?: string;
  /** ISO 8601; left out unless given, so the same exploration always exports to the same bytes. */
  createdAt?: string;
  items: ExplorationItemExport[];
  /** Notebook cells (map, heatmap, notes…), opaque here. Default []. */
  cells?: unknown[];
}

export type ParseResult = { ok: true; value: Required<Pick<ExplorationExport, "cells">> & ExplorationExport } | { ok: false; error: string };

/**
 * Exploration → JSON text with the format header first and keys in a fixed order.
 * @param indent spaces per level, default 2 (0 for one line).
 */
export function toJson(exploration: ExplorationExport, indent = 2): string {
  const file = {
    format: explorationFileFormat,
    version: explorationFileVersion,
    title: exploration.title,
    model: exploration.model,
    ...(exploration.slug !== undefined ? { slug: exploration.slug } : {}),
    ...(exploration.createdAt !== undefined ? { createdAt: exploration.createdAt } : {}),
    items: exploration.items.map((item) => ({
      text: item.text,
      ...(item.group !== undefined ? { group: item.group } : {}),
      ...(item.x !== undefined ? { x: item.x } : {}),
      ...(item.y !== undefined ? { y: item.y } : {}),
      ...(item.vector !== undefined ? { vector: item.vector } : {}),
    })),
    cells: exploration.cells ?? [],
  };
  return JSON.stringify(file, null, indent || undefined) + (indent ? "\n" : "");
}

/** JSON text → exploration, or the first problem found. Never throws. */
export function parseExplorationJson(text: string): ParseResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `Not valid JSON: ${(error as Error).message}.` };
  }
  const version = (data as { version?: unknown } | null)?.version;
  if (typeof version === "number" && version > explorationFileVersion) {
    return { ok: false, error: `This file is version ${version}, newer than this app reads (${explorationFileVersion}); update the app to open it.` };
  }
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.length > 0 ? issue.path.join(".") : "file";
    return { ok: false, error: `${path}: ${issue.message}.` };
  }
  const { format: _format, version: _version, ...value } = parsed.data;
  return { ok: true, value };
}
