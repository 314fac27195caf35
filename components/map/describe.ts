import type { GroupColumn, Neighbour } from "@/lib/plot/types";

/**
 * Sentences for the map's live region, so a screen reader hears what a sighted reader sees when
 * hovering or pinning: the point, its group and its nearest neighbours with their cosine.
 */

export interface DescribeInput {
  labels: readonly string[];
  groups?: GroupColumn;
  groupNames?: readonly string[];
  neighbours?: readonly (readonly Neighbour[])[];
}

/** "cat (animals). Nearest: dog 0.66, pet 0.61." Neighbours are listed best first, at most 5. */
export function describePoint(index: number, input: DescribeInput): string {
  const label = input.labels[index] ?? `Point ${index + 1}`;
  const groupName = input.groupNames?.[input.groups?.[index] ?? 0];
  const nearest = (input.neighbours?.[index] ?? [])
    .slice(0, 5)
    .map((neighbour) => `${input.labels[neighbour.index] ?? `point ${neighbour.index + 1}`} ${neighbour.score.toFixed(2)}`);
  return [
    groupName ? `${label} (${groupName}).` : `${label}.`,
    nearest.length > 0 ? `Nearest: ${nearest.join(", ")}.` : "",
  ]
    .filter(Boolean)
    .join(" ");
}

/** "Selected cat (animals). Nearest: …", "Selected 3 points: cat, dog, car." or "Selection cleared." */
export function describeSelection(selection: readonly number[], input: DescribeInput): string {
  if (selection.length === 0) return "Selection cleared.";
  if (selection.length === 1) return `Selected ${describePoint(selection[0], input)}`;
  const names = selection.slice(0, 10).map((index) => input.labels[index] ?? `point ${index + 1}`);
  const more = selection.length > 10 ? ` and ${selection.length - 10} more` : "";
  return `Selected ${selection.length} points: ${names.join(", ")}${more}.`;
}

/** Instructions read with the map's name. */
export const mapInstructions =
  "Scroll or use + and − to zoom, drag or use the arrow keys to pan, 0 to reset the view. " +
  "Click a point to pin it, shift-click to add, Escape to clear.";
