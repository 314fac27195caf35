import { describe, expect, it } from "vitest";
import { equaliseAspect, mapScales, paddedDomain, pointRadius, scaleDefaults } from "@/lib/plot/scales";

describe("mapScales", () => {
  it("scaleDefaults: 24 px margins, 5% padding, equal aspect", () => {
    expect(scaleDefaults).toEqual({ margin: { top: 24, right: 24, bottom: 24, left: 24 }, padding: 0.05, equalAspect: true });
  });

  it("mapScales(points, size) keeps every point inside the margins, y pointing up", () => {
    const points = { x: [0, 10, 5], y: [0, 5, 2] };
    const { x, y } = mapScales(points, { width: 400, height: 300 });
    for (let i = 0; i < 3; i++) {
      expect(x(points.x[i])).toBeGreaterThanOrEqual(24);
      expect(x(points.x[i])).toBeLessThanOrEqual(376);
      expect(y(points.y[i])).toBeGreaterThanOrEqual(24);
      expect(y(points.y[i])).toBeLessThanOrEqual(276);
    }
    expect(y(5)).toBeLessThan(y(0));
  });

  it("mapScales(points, size) uses the same pixels per unit on both axes by default", () => {
    const { x, y } = mapScales({ x: [0, 10], y: [0, 1] }, { width: 500, height: 300 });
    expect(x(1) - x(0)).toBeCloseTo(y(0) - y(1), 9);
  });

  it("mapScales(points, { equalAspect: false }) stretches each axis and rounds it with nice()", () => {
    const { x, y } = mapScales({ x: [0.3, 9.7], y: [0.1, 0.9] }, { width: 500, height: 300, equalAspect: false, margin: { top: 0, right: 0, bottom: 0, left: 0 } });
    expect(x.domain()).toEqual([-1, 11]);
    expect(y.domain()).toEqual([0, 1]);
  });

  it("mapScales(points, { margin }) merges a partial margin with the defaults", () => {
    expect(mapScales({ x: [0, 1], y: [0, 1] }, { width: 100, height: 100, margin: { left: 40 } }).margin).toEqual({ top: 24, right: 24, bottom: 24, left: 40 });
  });

  it("paddedDomain ignores non-finite values and never returns an empty span", () => {
    expect(paddedDomain([0, 10, NaN, Infinity], 0.1)).toEqual([-1, 11]);
    expect(paddedDomain([3, 3])).toEqual([2, 4]);
    expect(paddedDomain([])).toEqual([0, 1]);
    expect(paddedDomain(new Float32Array([NaN]))).toEqual([0, 1]);
  });

  it("equaliseAspect widens the narrower domain around its centre", () => {
    expect(equaliseAspect([0, 10], [0, 2], 100, 100)).toEqual([[0, 10], [-4, 6]]);
  });

  it("pointRadius(count) is 6 px for small maps and shrinks to 1.5 px for huge ones", () => {
    expect(pointRadius(7)).toBe(6);
    expect(pointRadius(2000)).toBeLessThan(pointRadius(500));
    expect(pointRadius(10_000)).toBeGreaterThanOrEqual(1.5);
    expect(pointRadius(1e9)).toBe(1.5);
  });
});
