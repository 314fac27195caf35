import KDBush from "kdbush";
import { categoricalPalette } from "@/lib/plot/palette";
import type { MapScales } from "@/lib/plot/scales";
import type { GroupColumn, NumberColumn } from "@/lib/plot/types";

/**
 * The columns the renderers read, computed once per data change (not per frame): positions in
 * pixels at zoom 1, the palette slot of every point, and a k-d tree over those positions for
 * hit-testing the pointer in O(log n) in both modes. The tree is built on first use (the first
 * pointer move, not the first plot). kdbush rather than d3's quadtree: a flat typed-array tree,
 * built for 1,000,000 points in a fraction of the second a quadtree of linked nodes needs.
 */

export interface PointColumns {
  baseX: Float32Array;
  baseY: Float32Array;
  colorSlot: Uint8Array;
  /** Points with finite coordinates, by their zoom-1 pixel position. */
  index: PointIndex;
}

export interface PointIndex {
  /** Points indexed (those with finite coordinates). */
  size: number;
  /** The point nearest (x, y) within `radius` (zoom-1 px), or null; the lower index on a tie. */
  find(x: number, y: number, radius: number): number | null;
}

export function pointColumns(x: NumberColumn, y: NumberColumn, groups: GroupColumn | undefined, scales: MapScales): PointColumns {
  const count = Math.min(x.length, y.length);
  const baseX = new Float32Array(count);
  const baseY = new Float32Array(count);
  const colorSlot = new Uint8Array(count);
  const slots = categoricalPalette.light.length;
  for (let index = 0; index < count; index++) {
    baseX[index] = Number.isFinite(x[index]) ? scales.x(x[index]) : NaN;
    baseY[index] = Number.isFinite(y[index]) ? scales.y(y[index]) : NaN;
    colorSlot[index] = (groups?.[index] ?? 0) % slots;
  }
  let index: PointIndex | undefined;
  return {
    baseX,
    baseY,
    colorSlot,
    get index() {
      index ??= pointIndex(baseX, baseY);
      return index;
    },
  };
}

function pointIndex(baseX: Float32Array, baseY: Float32Array): PointIndex {
  const finite: number[] = [];
  for (let point = 0; point < baseX.length; point++) if (baseX[point] === baseX[point] && baseY[point] === baseY[point]) finite.push(point);
  const tree = new KDBush(Math.max(1, finite.length), 64, Float32Array);
  for (const point of finite) tree.add(baseX[point], baseY[point]);
  if (finite.length === 0) tree.add(NaN, NaN); // kdbush wants one item; NaN is never within a radius.
  tree.finish();
  return {
    size: finite.length,
    find(x, y, radius) {
      let best: number | null = null;
      let bestDistance = Infinity;
      for (const item of tree.within(x, y, radius)) {
        const point = finite[item];
        if (point === undefined) continue;
        const distance = (baseX[point] - x) ** 2 + (baseY[point] - y) ** 2;
        if (distance < bestDistance || (distance === bestDistance && point < best!)) {
          best = point;
          bestDistance = distance;
        }
      }
      return best;
    },
  };
}

/** Number of points in each group, for the legend. */
export function groupCounts(groups: GroupColumn | undefined, count: number, groupCount: number): number[] {
  const counts = new Array<number>(groupCount).fill(0);
  for (let index = 0; index < count; index++) {
    const group = groups?.[index] ?? 0;
    if (group < groupCount) counts[group]++;
  }
  return counts;
}
