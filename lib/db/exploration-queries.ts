import type { Database } from "./connection";
import type { Prisma } from "./generated/prisma/client";

/** Queries for saved explorations. Multi-row writes (an exploration and its items) are transactions. */

export interface ExplorationRow {
  slug: string;
  editKeyHash: string;
  title: string;
  model: string;
  cells: unknown;
  version: number;
  forkedFrom: string | null;
  createdAt: Date;
  updatedAt: Date;
  items: { text: string; group: string | null }[];
}

const withItems = { items: { orderBy: { position: "asc" }, select: { text: true, group: true } } } as const;

/** Items as rows: their place in the list becomes `position`; a missing group is NULL. */
export function itemRows(items: { text: string; group?: string | null }[]) {
  return items.map((item, position) => ({ position, text: item.text, group: item.group ?? null }));
}

export async function insertExploration(
  db: Database,
  exploration: {
    slug: string;
    editKeyHash: string;
    title: string;
    model: string;
    cells: unknown;
    items: { text: string; group?: string | null }[];
    forkedFrom?: string | null;
  },
): Promise<ExplorationRow> {
  return db.prisma.exploration.create({
    data: {
      slug: exploration.slug,
      editKeyHash: exploration.editKeyHash,
      title: exploration.title,
      model: exploration.model,
      cells: exploration.cells as Prisma.InputJsonValue,
      forkedFrom: exploration.forkedFrom ?? null,
      items: { createMany: { data: itemRows(exploration.items) } },
    },
    include: withItems,
  });
}

export async function getExplorationBySlug(db: Database, { slug }: { slug: string }): Promise<ExplorationRow | null> {
  return db.prisma.exploration.findUnique({ where: { slug }, include: withItems });
}

/**
 * Applies an edit if the exploration is still at `expectedVersion` (when given), bumping the
 * version; replaces the items when given. Returns null when the version check failed.
 */
export async function updateExplorationBySlug(
  db: Database,
  {
    slug,
    expectedVersion,
    changes,
  }: {
    slug: string;
    expectedVersion?: number;
    changes: { title?: string; cells?: unknown; items?: { text: string; group?: string | null }[] };
  },
): Promise<ExplorationRow | null> {
  return db.prisma.$transaction(async (tx) => {
    const updated = await tx.exploration.updateMany({
      where: { slug, ...(expectedVersion === undefined ? {} : { version: expectedVersion }) },
      data: {
        ...(changes.title === undefined ? {} : { title: changes.title }),
        ...(changes.cells === undefined ? {} : { cells: changes.cells as Prisma.InputJsonValue }),
        version: { increment: 1 },
        updatedAt: new Date(),
      },
    });
    if (updated.count === 0) return null;
    const row = await tx.exploration.findUniqueOrThrow({ where: { slug }, select: { id: true } });
    if (changes.items) {
      await tx.explorationItem.deleteMany({ where: { explorationId: row.id } });
      await tx.explorationItem.createMany({ data: itemRows(changes.items).map((item) => ({ ...item, explorationId: row.id })) });
    }
    return tx.exploration.findUniqueOrThrow({ where: { slug }, include: withItems });
  });
}

export async function deleteExplorationBySlug(db: Database, { slug }: { slug: string }): Promise<boolean> {
  const deleted = await db.prisma.exploration.deleteMany({ where: { slug } });
  return deleted.count > 0;
}
