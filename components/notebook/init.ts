import { formatItems } from "@/lib/explorations/parse";
import type { Cell, Exploration } from "@/lib/explorations/schemas";

/**
 * How a notebook opens. Plain data and functions (no "use client"), so server pages can build it
 * and pass it to the client notebook.
 */

export interface Saved {
  slug: string;
  version: number;
  /** Present when this browser may edit. */
  editKey?: string;
}

export interface NotebookInit {
  title: string;
  model: string;
  source: string;
  cells: Cell[];
  saved?: Saved;
  /** Run as soon as the notebook opens (examples, saved explorations). */
  autoRun?: boolean;
}

export function initFromExploration(exploration: Exploration, editKey?: string): NotebookInit {
  return {
    title: exploration.title,
    model: exploration.model,
    source: formatItems(exploration.items),
    cells: exploration.cells,
    saved: { slug: exploration.slug, version: exploration.version, editKey },
    autoRun: true,
  };
}
