import { describe, expect, it } from "vitest";
import { cellOpacity, heatmapDefaults, heatmapGeometry, intensity, similarityDomain, truncateLabel, validateHeatmap } from "@/components/heatmap/layout";

// cat, dog, truck: cat~dog 0.66, cat~truck 0.39, dog~truck 0.40.
const matrix = [
  [1, 0.66, 0.39],
  [0.66, 1, 0.4],
  [0.39, 0.4, 1],
];

describe("heatmap layout", () => {
  it("heatmapDefaults: 12–44 px cells, values from 30 px, accent opacity 0.06–0.95", () => {
    expect(heatmapDefaults).toEqual({
      maxCellSize: 44,
      minCellSize: 12,
      valueCellSize: 30,
      fontSize: 12,
      maxLabelCharacters: 18,
      opacityRange: [0.06, 0.95],
      strongThreshold: 0.55,
      legendWidth: 160,
      legendHeight: 8,
    });
  });

  it("similarityDomain(matrix) spans the off-diagonal values only", () => {
    expect(similarityDomain(matrix)).toEqual([0.39, 0.66]);
  });

  it("similarityDomain falls back to [0, 1] without pairs and widens a single value", () => {
    expect(similarityDomain([[1]])).toEqual([0, 1]);
    expect(similarityDomain([])).toEqual([0, 1]);
    expect(similarityDomain([[1, 0.5], [0.5, 1]])).toEqual([0.45, 0.5]);
  });

  it("intensity and cellOpacity map the domain onto the ramp and clamp outside it", () => {
    expect(intensity(0.39, [0.39, 0.66])).toBe(0);
    expect(intensity(1, [0.39, 0.66])).toBe(1);
    expect(intensity(NaN, [0, 1])).toBe(0);
    expect(cellOpacity(0.66, [0.39, 0.66])).toBeCloseTo(0.95);
    expect(cellOpacity(0, [0.39, 0.66])).toBeCloseTo(0.06);
  });

  it("truncateLabel cuts long labels with an ellipsis, counting characters not UTF-16 units", () => {
    expect(truncateLabel("cat")).toBe("cat");
    expect(truncateLabel("a".repeat(30))).toBe(`${"a".repeat(17)}…`);
    expect(truncateLabel("🐱🐶🐭", 2)).toBe("🐱…");
  });

  it("heatmapGeometry shrinks cells to fit maxWidth, within 12–44 px, and prints values only in big cells", () => {
    const labels = Array.from({ length: 10 }, (_, i) => `word ${i}`);
    expect(heatmapGeometry(labels).cell).toBe(44);
    const narrow = heatmapGeometry(labels, 300);
    expect(narrow.cell).toBeLessThan(44);
    expect(narrow.left + narrow.cell * 10).toBeLessThanOrEqual(300);
    expect(heatmapGeometry(labels, 10).cell).toBe(12);
    expect(heatmapGeometry(labels, 10).showValues).toBe(false);
  });

  it("heatmapGeometry stands column labels upright in cells too narrow for slanted ones to clear each other", () => {
    const words = ["cat", "kitten", "dog", "puppy", "animal", "pet", "banana", "apple", "bread", "car", "truck", "bus", "bicycle"];
    const wide = heatmapGeometry(words, 900, true);
    expect(wide.columnLabelAngle).toBe(-45);
    expect(wide.labelFontSize).toBe(heatmapDefaults.fontSize);
    // Slanted labels one cell apart are cell × sin 45° apart across their lines: more than a line.
    expect(wide.cell * Math.SQRT1_2).toBeGreaterThan(wide.labelFontSize);

    const phone = heatmapGeometry(words, 293, true); // a 390 px screen, less the page's margins
    expect(phone.columnLabelAngle).toBe(-90);
    expect(phone.labelFontSize).toBeLessThan(phone.cell);
    expect(phone.width).toBeLessThanOrEqual(293);
  });

  it("heatmapGeometry puts the legend's caption under the bar when beside it would pass maxWidth", () => {
    const labels = ["cat", "dog", "truck"];
    const roomy = heatmapGeometry(labels, 900);
    expect(roomy.legendTitleBelow).toBe(false);
    const narrow = heatmapGeometry(labels, 300);
    expect(narrow.legendTitleBelow).toBe(true);
    expect(narrow.width).toBeLessThanOrEqual(300);
    // The caption's line is added under the bar.
    expect(narrow.height - narrow.legendY).toBeGreaterThan(roomy.height - roomy.legendY);
  });

  it("validateHeatmap names what is wrong", () => {
    expect(() => validateHeatmap(["a", "b"], [[1, 0]], [0, 1])).toThrow("matrix must be 2×2 (one row and one column per label), got 1 rows.");
    expect(() => validateHeatmap(["a", "b"], [[1, 0], [0, 1]], [0, 0])).toThrow("order must list each index 0…1 exactly once, got [0, 0].");
    expect(() => validateHeatmap(["a", "b"], [[1, 0], [0, 1]], [1, 0])).not.toThrow();
  });
});
