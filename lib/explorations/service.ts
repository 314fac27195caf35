import { AppError } from "../api/errors";
import type { Database } from "../db/connection";
import {
  deleteExplorationBySlug,
  getExplorationBySlug,
  insertExploration,
  updateExplorationBySlug,
  type ExplorationRow,
} from "../db/exploration-queries";
import type { TextWarning } from "../embeddings/readability";
import { embedTexts } from "../embeddings/service";
import { createSecretKey, createSlug, hashKey, isWellFormedSlug, keyMatches } from "../keys";
import { computeLayout } from "./layout";
import {
  cellSchema,
  defaultCells,
  type Cell,
  type CreateExplorationInput,
  type Exploration,
  type ExplorationItemInput,
  type UpdateExplorationInput,
} from "./schemas";

/**
 * Saving, reading, editing and forking explorations. Anyone with the slug may read; changing or
 * deleting needs the edit key, which only the creator received. Map cells are stored with their
 * coordinates so a share link shows the same picture without recomputing.
 */

export interface CreatedExploration {
  exploration: Exploration;
  /** Shown once, to the creator; only its hash is stored. */
  editKey: string;
  /** Items the model embedded without knowing all their pieces. */
  warnings: TextWarning[];
}

export async function createExploration(
  db: Database,
  input: CreateExplorationInput,
  { forkedFrom }: { forkedFrom?: string } = {},
): Promise<CreatedExploration> {
  // Embedding first validates every item with the model (e.g. GloVe's unknown words) before anything is written.
  const { model, warnings } = await embedTexts(db, { model: input.model, texts: input.items.map((item) => item.text) });
  const cells = await withLayouts(db, { model: model.id, items: input.items, cells: input.cells ?? defaultCells() });
  const editKey = createSecretKey();
  const row = await insertExploration(db, {
    slug: createSlug(),
    editKeyHash: hashKey(editKey),
    title: input.title,
    model: model.id,
    cells,
    items: input.items,
    forkedFrom,
  });
  return { exploration: toExploration(row), editKey, warnings };
}

export async function readExploration(db: Database, { slug }: { slug: string }): Promise<Exploration> {
  return toExploration(await findOrThrow(db, slug));
}

export async function updateExploration(
  db: Database,
  { slug, editKey, changes }: { slug: string; editKey: string | null; changes: UpdateExplorationInput },
): Promise<{ exploration: Exploration; warnings: TextWarning[] }> {
  const current = await findOrThrow(db, slug);
  authorize(current, editKey);
  if (changes.version !== undefined && changes.version !== current.version) throw staleVersion(current.version, changes.version);
  // Nothing to change: no new version, so another client holding this one is not sent a 409 for nothing.
  if (changesNothing(changes, current)) return { exploration: toExploration(current), warnings: [] };
  const items = changes.items ?? current.items.map(toItem);
  const { warnings } = changes.items ? await embedTexts(db, { model: current.model, texts: items.map((item) => item.text) }) : { warnings: [] };
  const itemsChanged = changes.items !== undefined && !sameTexts(changes.items, current.items);
  const baseCells = changes.cells ?? parseStoredCells(current.cells).map((cell) => (itemsChanged ? dropLayout(cell) : cell));
  const cells = changes.cells || itemsChanged ? await withLayouts(db, { model: current.model, items, cells: baseCells }) : undefined;
  const updated = await updateExplorationBySlug(db, {
    slug,
    expectedVersion: current.version,
    changes: { title: changes.title, cells, items: changes.items },
  });
  if (!updated) throw staleVersion(current.version + 1, current.version);
  return { exploration: toExploration(updated), warnings };
}

export async function deleteExploration(db: Database, { slug, editKey }: { slug: string; editKey: string | null }): Promise<void> {
  authorize(await findOrThrow(db, slug), editKey);
  await deleteExplorationBySlug(db, { slug });
}

/** An editable copy under a new slug and key; the coordinates come along unchanged. */
export async function forkExploration(db: Database, { slug }: { slug: string }): Promise<CreatedExploration> {
  const source = await findOrThrow(db, slug);
  const editKey = createSecretKey();
  const row = await insertExploration(db, {
    slug: createSlug(),
    editKeyHash: hashKey(editKey),
    title: source.title,
    model: source.model,
    cells: source.cells,
    items: source.items,
    forkedFrom: source.slug,
  });
  return { exploration: toExploration(row), editKey, warnings: [] };
}

async function findOrThrow(db: Database, slug: string): Promise<ExplorationRow> {
  const row = isWellFormedSlug(slug) ? await getExplorationBySlug(db, { slug }) : null;
  if (!row) throw new AppError("not_found:exploration", `No exploration has the slug "${slug.slice(0, 40)}".`);
  return row;
}

function authorize(row: ExplorationRow, editKey: string | null): void {
  if (editKey === null) {
    throw new AppError("unauthorized:exploration", "Changing an exploration needs its edit key: send Authorization: Bearer <editKey>.", {
      headers: { "WWW-Authenticate": "Bearer" },
    });
  }
  if (!keyMatches(editKey, row.editKeyHash)) {
    throw new AppError("forbidden:exploration", "This edit key does not belong to this exploration.");
  }
}

function staleVersion(current: number, sent: number): AppError {
  return new AppError(
    "conflict:version",
    `This exploration changed since version ${sent} (it is now at version ${current}); reload it and apply your edit again.`,
  );
}

/** Fills in coordinates for every map cell that has none matching the items. */
async function withLayouts(
  db: Database,
  { model, items, cells }: { model: string; items: ExplorationItemInput[]; cells: Cell[] },
): Promise<Cell[]> {
  const texts = items.map((item) => item.text);
  return Promise.all(
    cells.map(async (cell) => {
      if (cell.type !== "map" || cell.layout?.points.length === items.length) return cell;
      const { layout } = await computeLayout(db, { model, texts, method: cell.method, params: cell.params });
      return { ...cell, layout };
    }),
  );
}

function dropLayout(cell: Cell): Cell {
  if (cell.type !== "map") return cell;
  const { layout: _dropped, ...rest } = cell;
  return rest;
}

// Stored cells were validated on the way in; parsing again keeps old rows readable if the schema grows defaults.
function parseStoredCells(value: unknown): Cell[] {
  return Array.isArray(value) ? value.flatMap((cell) => {
    const parsed = cellSchema.safeParse(cell);
    return parsed.success ? [parsed.data] : [];
  }) : [];
}

function changesNothing(changes: UpdateExplorationInput, current: ExplorationRow): boolean {
  const sameTitle = changes.title === undefined || changes.title === current.title;
  const sameItems =
    changes.items === undefined ||
    (sameTexts(changes.items, current.items) && changes.items.every((item, i) => (item.group ?? null) === current.items[i].group));
  // Layouts are computed here, not sent: cells are compared without them.
  const withoutLayouts = (cells: Cell[]) => JSON.stringify(cells.map(dropLayout));
  const sameCells = changes.cells === undefined || withoutLayouts(changes.cells) === withoutLayouts(parseStoredCells(current.cells));
  return sameTitle && sameItems && sameCells;
}

function sameTexts(a: ExplorationItemInput[], b: { text: string }[]): boolean {
  return a.length === b.length && a.every((item, i) => item.text === b[i].text);
}

function toItem(item: { text: string; group: string | null }): ExplorationItemInput {
  return item.group === null ? { text: item.text } : { text: item.text, group: item.group };
}

function toExploration(row: ExplorationRow): Exploration {
  return {
    slug: row.slug,
    title: row.title,
    model: row.model,
    items: row.items.map(toItem),
    cells: parseStoredCells(row.cells),
    version: row.version,
    forkedFrom: row.forkedFrom,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
