import { describe, expect, it } from "vitest";
import { applyLayoutUpdate, planLayoutUpdate } from "@/lib/explorations/reconcile";
import type { MapLayout } from "@/lib/explorations/schemas";

const layout: MapLayout = { method: "umap", points: [[0, 0], [1, 1], [2, 2]] };
const texts = ["cat", "dog", "car"];

describe("planLayoutUpdate(layout, layoutTexts, nextTexts)", () => {
  it("keeps known points and lists only new texts to place, fitted on the original texts", () => {
    const plan = planLayoutUpdate(layout, texts, ["cat", "dog", "car", "truck"])!;
    expect(plan.missing).toEqual(["truck"]);
    expect(plan.fittedOn).toEqual(texts);
    expect(plan.known.get("dog")).toEqual([1, 1]);
  });

  it("keeps the earlier fit when the layout already had points placed onto it", () => {
    const placedBefore: MapLayout = { method: "umap", points: [[0, 0], [1, 1], [2, 2], [3, 3]], fittedOn: texts };
    const plan = planLayoutUpdate(placedBefore, [...texts, "truck"], [...texts, "truck", "bus"])!;
    expect(plan.fittedOn).toEqual(texts);
    expect(plan.missing).toEqual(["bus"]);
  });

  it("asks for a full fit when there is no layout or it does not match its texts", () => {
    expect(planLayoutUpdate(undefined, texts, texts)).toBeNull();
    expect(planLayoutUpdate(layout, ["cat"], texts)).toBeNull();
  });
});

describe("applyLayoutUpdate(layout, plan, nextTexts, placed)", () => {
  it("adds placed points without moving existing ones and records what the fit was on", () => {
    const next = ["cat", "dog", "car", "truck"];
    const plan = planLayoutUpdate(layout, texts, next)!;
    const updated = applyLayoutUpdate(layout, plan, next, [[2.5, 2.1]]);
    expect(updated.points).toEqual([[0, 0], [1, 1], [2, 2], [2.5, 2.1]]);
    expect(updated.fittedOn).toEqual(texts);
  });

  it("drops removed items and reorders with the items", () => {
    const next = ["car", "cat"];
    const plan = planLayoutUpdate(layout, texts, next)!;
    const updated = applyLayoutUpdate(layout, plan, next, []);
    expect(updated.points).toEqual([[2, 2], [0, 0]]);
    expect(updated.fittedOn).toEqual(texts);
  });

  it("omits fittedOn when the items are exactly what the projection was fitted on", () => {
    const plan = planLayoutUpdate(layout, texts, texts)!;
    expect(applyLayoutUpdate(layout, plan, texts, [])).toEqual(layout);
  });

  it("throws when a missing text was not placed", () => {
    const plan = planLayoutUpdate(layout, texts, [...texts, "truck"])!;
    expect(() => applyLayoutUpdate(layout, plan, [...texts, "truck"], [])).toThrow(/No coordinates for "truck"/);
  });
});
