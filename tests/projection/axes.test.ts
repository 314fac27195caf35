import { describe, expect, it } from "vitest";
import { defaults, projectOnAxes } from "@/lib/projection/axes";

const e1 = [1, 0, 0];
const e2 = [0, 1, 0];
const e3 = [0, 0, 1];
const origin = [0, 0, 0];

function expectPointsClose(actual: [number, number][], expected: [number, number][]) {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((point, i) => {
    expect(point[0]).toBeCloseTo(expected[i][0], 12);
    expect(point[1]).toBeCloseTo(expected[i][1], 12);
  });
}

describe("projectOnAxes(vectors, { x, y })", () => {
  it("maps from to −1, to to +1 and the midpoint to 0 on both axes", () => {
    const result = projectOnAxes([e1, e2, [0.5, 0.5, 0], e3], { x: [e1, e2], y: [origin, e3] });
    expect(result.y).toBe("axis");
    expectPointsClose(result.points, [
      [-1, -1],
      [1, -1],
      [0, -1],
      [0, 1],
    ]);
  });

  it("counts in half-distances between the ends, beyond them too", () => {
    // mid = (½, ½, 0), d = (−1, 1, 0): ((v − mid) · d) / (|d|² / 2) = (−1.5 − 1.5) / 1 = −3.
    const { points } = projectOnAxes([[2, -1, 0]], { x: [e1, e2], y: [origin, [0, 0, 4]] });
    expectPointsClose(points, [[-3, -1]]);
  });

  it("measures y along its own direction, not orthogonalised against x", () => {
    const { points } = projectOnAxes([e1, e2], { x: [origin, e1], y: [origin, [1, 1, 0]] });
    // e1 is half-way along y's direction (1, 1, 0): coordinate 0, like mid.
    expectPointsClose(points, [
      [1, 0],
      [-1, 0],
    ]);
  });
});

describe("projectOnAxes(vectors, { x })", () => {
  it("spreads y along the main direction the x axis leaves unexplained, in x's units", () => {
    const result = projectOnAxes([e1, e2, [0, 0, 2], [0, 0, -2]], { x: [e1, e2] });
    expect(result.y).toBe("residual");
    // Residuals: e1 and e2 both become (½, ½, 0); the z spread of ±2 dominates. |d| / 2 = √2 / 2.
    expectPointsClose(result.points, [
      [-1, 0],
      [1, 0],
      [0, 2 * Math.SQRT2],
      [0, -2 * Math.SQRT2],
    ]);
  });

  it("sets y to 0 when nothing varies off the x axis, or there is one vector", () => {
    const onAxis = projectOnAxes([e1, e2, [0.5, 0.5, 0]], { x: [e1, e2] });
    expect(onAxis.y).toBe("none");
    expectPointsClose(onAxis.points, [
      [-1, 0],
      [1, 0],
      [0, 0],
    ]);
    const single = projectOnAxes([e3], { x: [e1, e2] });
    expect(single.y).toBe("none");
    expect(single.points).toEqual([[0, 0]]);
    expect(projectOnAxes([], { x: [e1, e2] }).points).toEqual([]);
  });

  it("has documented defaults", () => {
    expect(defaults).toEqual({ seed: 42 });
  });
});

describe("projectOnAxes(vectors, options).place(newVectors)", () => {
  it("places new vectors with the same axes and scaling, without moving the fitted points", () => {
    const vectors = [e1, e2, [0, 0, 2], [0, 0, -2]];
    const result = projectOnAxes(vectors, { x: [e1, e2] });
    const before = structuredClone(result.points);
    expect(result.place(vectors)).toEqual(result.points);
    expectPointsClose(result.place([[0, 0, 1]]), [[0, Math.SQRT2]]);
    expect(result.points).toEqual(before);
  });

  it("throws on new vectors of another dimension", () => {
    const result = projectOnAxes([e1], { x: [e1, e2] });
    expect(() => result.place([[1, 2]])).toThrow("newVectors[0] has 2 dimensions, expected 3");
  });
});

describe("projectOnAxes(vectors, options) errors", () => {
  it("throws when an axis has the same vector at both ends", () => {
    expect(() => projectOnAxes([e1], { x: [e1, e1] })).toThrow(
      "x axis: from and to are the same vector, so it has no direction. Pick two different ends.",
    );
    expect(() => projectOnAxes([e1], { x: [e1, e2], y: [e3, e3] })).toThrow("y axis: from and to are the same vector");
  });

  it("throws when vectors and axis ends differ in dimension", () => {
    expect(() => projectOnAxes([[1, 0]], { x: [e1, e2] })).toThrow("vectors[0] has 2 dimensions, expected 3");
    expect(() => projectOnAxes([e1], { x: [e1, e2], y: [[0, 0], [1, 1]] })).toThrow("y[0] has 2 dimensions, expected 3");
  });

  it("throws when x is not a pair", () => {
    expect(() => projectOnAxes([e1], { x: [e1] as unknown as [number[], number[]] })).toThrow(
      "x must be a pair [from, to] of vectors.",
    );
  });
});
