import { describe, expect, it } from "vitest";
import { labelMeasurer, labelStyle } from "@/components/map/labelLayout";
import { estimateTextWidth } from "@/components/map/labels";

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
});
