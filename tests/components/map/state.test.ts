import { describe, expect, it } from "vitest";
import { maxFocusPoints, nextSelection, pointStates, sameIndices, type InteractionState } from "@/components/map/state";
import { PointState } from "@/lib/plot/types";

// cat, dog, pet, car: cat's neighbours are dog and pet; car's is dog.
const base: InteractionState = {
  count: 4,
  hovered: null,
  selection: [],
  highlight: [],
  neighbours: [[{ index: 1, score: 0.66 }, { index: 2, score: 0.61 }], [], [], [{ index: 1, score: 0.41 }]],
  groups: [0, 0, 0, 1],
  activeGroup: null,
};
const { dimmed, focused, selected, highlighted, origin } = PointState;

describe("pointStates", () => {
  it("pointStates with nothing going on leaves every point normal", () => {
    expect(Array.from(pointStates(base).state)).toEqual([0, 0, 0, 0]);
  });

  it("pointStates(hovered) focuses the point and its neighbours and dims the rest", () => {
    const { state, focus, focusNeighbours } = pointStates({ ...base, hovered: 0 });
    expect(Array.from(state)).toEqual([focused | origin, focused, focused, dimmed]);
    expect(focus).toEqual([0]);
    expect(focusNeighbours).toEqual([1, 2]);
  });

  it("pointStates(selection) focuses the pinned points when nothing is hovered", () => {
    const { state, focus } = pointStates({ ...base, selection: [3] });
    expect(focus).toEqual([3]);
    expect(Array.from(state)).toEqual([dimmed, focused, dimmed, focused | origin | selected]);
  });

  it("pointStates(hovered, selection): hover wins the focus, the selection stays bright", () => {
    const { state, focus } = pointStates({ ...base, hovered: 0, selection: [3] });
    expect(focus).toEqual([0]);
    expect(state[3]).toBe(selected);
  });

  it("pointStates(highlight) rings points without dimming others", () => {
    expect(Array.from(pointStates({ ...base, highlight: [2] }).state)).toEqual([0, 0, highlighted, 0]);
  });

  it("pointStates(activeGroup) dims the other groups", () => {
    expect(Array.from(pointStates({ ...base, activeGroup: 1 }).state)).toEqual([dimmed, dimmed, dimmed, 0]);
  });

  it("pointStates ignores out-of-range indices", () => {
    const { state } = pointStates({ ...base, hovered: 9, selection: [-1, 1.5, 7], highlight: [4] });
    expect(Array.from(state)).toEqual([0, 0, 0, 0]);
  });

  it(`pointStates draws neighbour lines for at most ${maxFocusPoints} pinned points`, () => {
    const many = { ...base, count: 20, neighbours: [], groups: [], selection: Array.from({ length: 20 }, (_, i) => i) };
    expect(pointStates(many).focus).toHaveLength(maxFocusPoints);
  });
});

describe("nextSelection", () => {
  it("nextSelection: a click pins the point, a second click unpins it", () => {
    expect(nextSelection([], 2, false)).toEqual([2]);
    expect(nextSelection([2], 2, false)).toEqual([]);
    expect(nextSelection([1, 2], 2, false)).toEqual([2]);
  });

  it("nextSelection: shift-click adds or removes one point", () => {
    expect(nextSelection([1], 2, true)).toEqual([1, 2]);
    expect(nextSelection([1, 2], 1, true)).toEqual([2]);
  });

  it("nextSelection: a click on the background clears, a shift-click there keeps the selection", () => {
    expect(nextSelection([1, 2], null, false)).toEqual([]);
    expect(nextSelection([1, 2], null, true)).toEqual([1, 2]);
  });

  it("sameIndices compares contents and order", () => {
    expect(sameIndices([1, 2], [1, 2])).toBe(true);
    expect(sameIndices([1, 2], [2, 1])).toBe(false);
    expect(sameIndices(undefined, [])).toBe(false);
  });
});
