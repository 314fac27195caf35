import type { MapLayout } from "./schemas";

/**
 * Keeps a map stable while its items change: removed items just disappear, new ones are placed
 * onto the existing projection (the projection stays fitted on the texts it was fitted on), and
 * nothing that was already on the map moves. A full re-layout is a separate, explicit action.
 */

export interface LayoutUpdatePlan {
  /** Coordinates of texts already on the map. */
  known: Map<string, [number, number]>;
  /** Texts that need a place on the map, in item order. */
  missing: string[];
  /** Texts the projection was fitted on: what to send as `texts` when placing `missing`. */
  fittedOn: string[];
}

/** What to keep and what to place; null when the layout can't be reused and needs a full fit. */
export function planLayoutUpdate(layout: MapLayout | undefined, layoutTexts: string[], nextTexts: string[]): LayoutUpdatePlan | null {
  if (!layout || layout.points.length !== layoutTexts.length || layoutTexts.length === 0) return null;
  const known = new Map<string, [number, number]>();
  layoutTexts.forEach((text, i) => known.set(text, layout.points[i]));
  return {
    known,
    missing: nextTexts.filter((text) => !known.has(text)),
    fittedOn: layout.fittedOn ?? layoutTexts,
  };
}

/** The layout for `nextTexts` once the missing texts have their `placed` coordinates. */
export function applyLayoutUpdate(
  layout: MapLayout,
  plan: LayoutUpdatePlan,
  nextTexts: string[],
  placed: [number, number][],
): MapLayout {
  const coordinates = new Map(plan.known);
  plan.missing.forEach((text, i) => coordinates.set(text, placed[i]));
  const points = nextTexts.map((text) => {
    const point = coordinates.get(text);
    if (!point) throw new Error(`No coordinates for "${text.slice(0, 40)}": place it before applying the update.`);
    return point;
  });
  const fittedOnItems = plan.fittedOn.length === nextTexts.length && plan.fittedOn.every((text, i) => text === nextTexts[i]);
  return {
    method: layout.method,
    ...(layout.note ? { note: layout.note } : {}),
    points,
    ...(fittedOnItems ? {} : { fittedOn: plan.fittedOn }),
  };
}
