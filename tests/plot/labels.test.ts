import { describe, expect, it } from "vitest";
import { estimateTextWidth, labelDefaults, labelPriority, placeLabels, type LabelCandidate } from "@/lib/plot/labels";

const bounds = { x0: 0, y0: 0, x1: 400, y1: 300 };
const label = (index: number, x: number, y: number, width = 40): LabelCandidate => ({ index, x, y, width, height: 16 });

describe("placeLabels", () => {
  it("labelDefaults: offset 8, right → left → top → bottom, nothing required, 2 px padding, no cap", () => {
    expect(labelDefaults).toEqual({ offset: 8, sides: ["right", "left", "top", "bottom"], required: 0, padding: 2, maxLabels: Infinity });
  });

  it("placeLabels puts a lone label right of its point, vertically centred", () => {
    const [placed] = placeLabels([label(0, 100, 100)], { bounds });
    expect(placed).toMatchObject({ index: 0, side: "right", x: 108, y: 100, box: { x0: 108, y0: 92, x1: 148, y1: 108 } });
  });

  it("placeLabels moves a colliding label to the next free side", () => {
    const placed = placeLabels([label(0, 100, 100), label(1, 110, 100)], { bounds });
    expect(placed.map((p) => p.side)).toEqual(["right", "left"]);
  });

  it("placeLabels culls a label with no free side, keeping the earlier (higher priority) one", () => {
    const crowd = [label(7, 100, 100), label(3, 100, 100)];
    expect(placeLabels(crowd, { bounds, sides: ["right"] }).map((p) => p.index)).toEqual([7]);
  });

  it("placeLabels shows the first `required` labels even when they collide", () => {
    const crowd = [label(0, 100, 100), label(1, 100, 100), label(2, 100, 100)];
    expect(placeLabels(crowd, { bounds, sides: ["right"], required: 2 }).map((p) => p.index)).toEqual([0, 1]);
  });

  it("placeLabels keeps labels inside the bounds: at the right edge the label goes left", () => {
    const [placed] = placeLabels([label(0, 390, 100)], { bounds });
    expect(placed.side).toBe("left");
    expect(placed.box.x1).toBeLessThanOrEqual(400);
  });

  it("placeLabels avoids obstacles such as points", () => {
    const obstacle = { x0: 105, y0: 95, x1: 115, y1: 105 };
    expect(placeLabels([label(0, 100, 100)], { bounds, obstacles: [obstacle] })[0].side).toBe("left");
  });

  it("placeLabels stops at maxLabels", () => {
    const many = Array.from({ length: 20 }, (_, i) => label(i, 20 + (i % 4) * 90, 20 + Math.floor(i / 4) * 50));
    expect(placeLabels(many, { bounds, maxLabels: 5 })).toHaveLength(5);
  });

  it("placeLabels never returns overlapping boxes", () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const many = Array.from({ length: 500 }, (_, i) => label(i, random() * 400, random() * 300, 20 + random() * 60));
    const placed = placeLabels(many, { bounds });
    expect(placed.length).toBeGreaterThan(10);
    for (const a of placed) {
      for (const b of placed) {
        if (a === b) continue;
        const overlap = a.box.x0 < b.box.x1 && b.box.x0 < a.box.x1 && a.box.y0 < b.box.y1 && b.box.y0 < a.box.y1;
        expect(overlap).toBe(false);
      }
    }
  });
});

describe("labelPriority", () => {
  it("labelPriority(count, ...first) lists the given indices first, then the rest in order, each once", () => {
    expect(labelPriority(6, 4, [2, 4], null, [5, 9, -1])).toEqual([4, 2, 5, 0, 1, 3]);
  });

  it("labelPriority(count) is the identity order", () => {
    expect(labelPriority(3)).toEqual([0, 1, 2]);
  });
});

describe("estimateTextWidth", () => {
  it("estimateTextWidth grows with length and font size, wide letters wider than narrow ones", () => {
    expect(estimateTextWidth("", 12)).toBe(0);
    expect(estimateTextWidth("banana", 12)).toBeGreaterThan(estimateTextWidth("cat", 12));
    expect(estimateTextWidth("cat", 24)).toBeCloseTo(2 * estimateTextWidth("cat", 12));
    expect(estimateTextWidth("mmm", 12)).toBeGreaterThan(estimateTextWidth("iii", 12));
  });
});
