import { describe, expect, it } from "vitest";
import { layoutLabels, labelMeasurer, labelStyle, type LabelLayoutInput } from "@/components/map/labelLayout";
import { estimateTextWidth } from "@/lib/plot/labels";

describe("labelLayout", () => {
  it("labelMeasurer(texts, font) estimates widths where there is no DOM, and reads each text only when asked", () => {
    const read: number[] = [];
    const texts = new Proxy(["cat", "elephant", "ox"], {
      get: (target, key) => {
        if (typeof key === "string" && /^\d+$/.test(key)) read.push(Number(key));
        return Reflect.get(target, key);
      },
    });
    const width = labelMeasurer(texts, "12px sans-serif");
    expect(read).toEqual([]);
    const first = width(1);
    expect(first).toBeCloseTo(estimateTextWidth("elephant", labelStyle.fontSize), 4);
    expect(width(1)).toBe(first);
    expect(read).toEqual([1]);
    expect(width(2)).toBeLessThan(width(1));
  });

  /** 40,000 points on a 200 × 200 grid, 4 px apart, in an 800 × 800 view; odd indices dimmed. */
  function crowdedGrid(): LabelLayoutInput & { reads: () => number } {
    let reads = 0;
    const count = 40_000;
    return {
      priority: Array.from({ length: count }, (_, index) => index),
      required: 1,
      screenX: (index) => (reads++, 2 + (index % 200) * 4),
      screenY: (index) => 2 + Math.floor(index / 200) * 4,
      labelWidth: () => 20,
      strong: new Set(),
      dimmed: (index) => index % 2 === 1,
      gap: () => 4,
      radius: 1.5,
      width: 800,
      height: 800,
      reads: () => reads,
    };
  }

  it("layoutLabels on a crowded view reads only as much of the priority as it can try", () => {
    const input = crowdedGrid();
    layoutLabels(input);
    // The scan stops at the maxCandidates-th undimmed point, index 2 × maxCandidates − 2; then
    // each candidate's position is read once more. Without the early stop: all 40,000 + 4,000.
    expect(input.reads()).toBe(2 * labelStyle.maxCandidates - 1 + labelStyle.maxCandidates);
  });

  it("layoutLabels on a crowded view labels no dimmed point but the required ones, within its label budget", () => {
    const input = crowdedGrid();
    input.dimmed = (index) => index % 2 === 0; // Point 0 is required and dimmed.
    const placed = layoutLabels(input);
    expect(placed[0].index).toBe(0);
    expect(placed.slice(1).every((label) => label.index % 2 === 1)).toBe(true);
    expect(placed.length).toBeLessThanOrEqual(Math.round((800 * 800) / labelStyle.pixelsPerLabel) + 1);
    expect(placed.length).toBeGreaterThan(12);
  });
});
