import { describe, expect, it } from "vitest";
import { groupCounts, pointColumns } from "@/components/map/columns";
import { mapScales } from "@/lib/plot/scales";

describe("columns", () => {
  it("pointColumns scales positions once, cycles colours over 10 slots and indexes only finite points", () => {
    const x = [0, 1, NaN, 2];
    const y = [0, 1, 1, 2];
    const scales = mapScales({ x, y }, { width: 200, height: 200 });
    const columns = pointColumns(x, y, [0, 11, 2, 3], scales);
    expect(columns.baseX[1]).toBeCloseTo(scales.x(1), 4);
    expect(columns.baseY[3]).toBeCloseTo(scales.y(2), 4);
    expect(Number.isNaN(columns.baseX[2])).toBe(true);
    expect(Array.from(columns.colorSlot)).toEqual([0, 1, 2, 3]);
    expect(columns.index.size).toBe(3);
    expect(columns.index.find(scales.x(2), scales.y(2), 5)).toBe(3);
    expect(columns.index.find(scales.x(2) + 3, scales.y(2), 5)).toBe(3);
    expect(columns.index.find(scales.x(2) + 30, scales.y(2), 5)).toBeNull();
  });

  it("the index finds the nearest point, the lower index on a tie, among a million", () => {
    const count = 1_000_000;
    const x = Float32Array.from({ length: count }, (_, i) => i % 1000);
    const y = Float32Array.from({ length: count }, (_, i) => Math.floor(i / 1000));
    const scales = mapScales({ x, y }, { width: 1000, height: 1000 });
    const columns = pointColumns(x, y, undefined, scales);
    const [px, py] = [columns.baseX[500_250], columns.baseY[500_250]];
    expect(columns.index.find(px + 0.01, py - 0.01, 4)).toBe(500_250);
    const duplicate = pointColumns([1, 1, 2], [1, 1, 2], undefined, mapScales({ x: [1, 1, 2], y: [1, 1, 2] }, { width: 100, height: 100 }));
    expect(duplicate.index.find(duplicate.baseX[0], duplicate.baseY[0], 4)).toBe(0);
  });

  it("groupCounts counts points per group, ignoring unknown groups", () => {
    expect(groupCounts([0, 1, 1, 5], 4, 2)).toEqual([1, 2]);
    expect(groupCounts(undefined, 3, 1)).toEqual([3]);
  });
});
