import { PointState, type GroupColumn, type Neighbour } from "@/lib/plot/types";

/**
 * Interaction state → what each point looks like. Pure, so the rules (what is dimmed, which
 * lines are drawn, what a click does) are tested in node and shared by both renderers.
 */

export interface InteractionState {
  count: number;
  hovered: number | null;
  selection: readonly number[];
  highlight: readonly number[];
  neighbours: readonly (readonly Neighbour[])[];
  groups: GroupColumn;
  /** Group picked in the legend: other groups are dimmed. */
  activeGroup: number | null;
}

export interface PointStates {
  /** PointState flags per point. */
  state: Uint8Array;
  /** Points whose neighbour lines are drawn: the hovered point, else the selection. */
  focus: number[];
  /** Neighbours of the focus points, best first, without duplicates or the focus points. */
  focusNeighbours: number[];
}

/** At most this many pinned points show their neighbour lines at once: more is a hairball. */
export const maxFocusPoints = 10;

export function pointStates(input: InteractionState): PointStates {
  const { count, hovered, selection, highlight, neighbours, groups, activeGroup } = input;
  const state = new Uint8Array(count);
  const valid = (index: number) => Number.isInteger(index) && index >= 0 && index < count;
  const focus = (hovered !== null && valid(hovered) ? [hovered] : selection.filter(valid)).slice(0, maxFocusPoints);

  const focusNeighbours: number[] = [];
  for (const point of focus) {
    state[point] |= PointState.focused | PointState.origin;
    for (const neighbour of neighbours[point] ?? []) {
      if (!valid(neighbour.index) || state[neighbour.index] & PointState.focused) continue;
      state[neighbour.index] |= PointState.focused;
      focusNeighbours.push(neighbour.index);
    }
  }
  for (const index of selection) if (valid(index)) state[index] |= PointState.selected;
  for (const index of highlight) if (valid(index)) state[index] |= PointState.highlighted;

  const keepBright = PointState.focused | PointState.selected | PointState.highlighted;
  for (let index = 0; index < count; index++) {
    const outOfGroup = activeGroup !== null && (groups[index] ?? 0) !== activeGroup;
    const outOfFocus = focus.length > 0 && !(state[index] & keepBright);
    if ((outOfGroup && !(state[index] & keepBright)) || outOfFocus) state[index] |= PointState.dimmed;
  }
  return { state, focus, focusNeighbours };
}

/**
 * The selection after a click on `index` (null: the background).
 * Plain click pins that one point, or unpins it when it is the only one pinned; shift-click adds
 * or removes it; a plain click on the background clears, a shift-click there changes nothing.
 */
export function nextSelection(current: readonly number[], index: number | null, additive: boolean): number[] {
  if (index === null) return additive ? [...current] : [];
  if (additive) return current.includes(index) ? current.filter((other) => other !== index) : [...current, index];
  return current.length === 1 && current[0] === index ? [] : [index];
}

/** Whether two index lists hold the same indices in the same order. */
export function sameIndices(a: readonly number[] | undefined, b: readonly number[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((value, position) => value === b[position]);
}
