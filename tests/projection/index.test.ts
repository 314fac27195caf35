import { describe, expect, it } from "vitest";
import { defaults, project } from "@/lib/projection";
import { projectOnAxes } from "@/lib/projection/axes";
import { pca } from "@/lib/projection/pca";
import { fitUmap } from "@/lib/projection/umap";
import { clusteredVectors } from "./fixtures";

const vectors = clusteredVectors(40, 8, 3, 21);
const toXY = ([x, y]: [number, number]) => ({ x, y });

describe("project(vectors, { method: \"umap\" })", () => {
  it("returns UMAP's points as { x, y } and places new vectors with transform", async () => {
    const result = await project(vectors, { method: "umap", nEpochs: 60 });
    const direct = await fitUmap(vectors, { nEpochs: 60 });
    expect(result.method).toBe("umap");
    expect(result.points).toEqual(direct.points.map(toXY));
    expect(result.place([vectors[2]])).toEqual(direct.transform([vectors[2]]).map(toXY));
  });

  it("reports UMAP's PCA fallback as method \"pca\" with its note", async () => {
    const result = await project(vectors.slice(0, 3));
    expect(result.method).toBe("pca");
    expect(result.note).toMatch(/UMAP needs at least 4 points/);
  });

  it("uses UMAP when no method is given", async () => {
    expect(defaults).toEqual({ method: "umap" });
    const result = await project(vectors, { nEpochs: 30 });
    expect(result.method).toBe("umap");
  });
});

describe("project(vectors, { method: \"pca\" })", () => {
  it("returns PCA's points, the variance explained, and places new vectors by projection", async () => {
    const result = await project(vectors, { method: "pca" });
    const { points, model } = pca(vectors);
    expect(result.points).toEqual(points.map(toXY));
    const explained = (model.explainedVarianceRatio[0] + model.explainedVarianceRatio[1]) * 100;
    expect(result.note).toBe(`The two components explain ${explained.toFixed(1)}% of the variance.`);
    expect(result.place([vectors[5]])).toEqual([result.points[5]]);
  });

  it("says when the vectors do not vary", async () => {
    const result = await project([[1, 2], [1, 2]], { method: "pca" });
    expect(result.points).toEqual([{ x: 0, y: 0 }, { x: 0, y: 0 }]);
    expect(result.note).toBe("The vectors do not vary: every point is at the origin.");
  });
});

describe("project(vectors, { method: \"axes\" })", () => {
  it("returns axis coordinates and says what y means without a y axis", async () => {
    const axis = [vectors[0], vectors[1]] as const;
    const result = await project(vectors, { method: "axes", x: axis });
    expect(result.method).toBe("axes");
    expect(result.points).toEqual(projectOnAxes(vectors, { x: axis }).points.map(toXY));
    expect(result.note).toBe("y is the main direction of variation left after the x axis.");
    expect(result.place([vectors[1]])).toEqual([result.points[1]]);
  });

  it("has no note when both axes are given", async () => {
    const result = await project(vectors, { method: "axes", x: [vectors[0], vectors[1]], y: [vectors[2], vectors[3]] });
    expect(result.note).toBeUndefined();
    expect(result.points[2].y).toBeCloseTo(-1, 12);
  });
});

describe("project(vectors, options) edge cases", () => {
  it("returns no points for no vectors, and refuses to place onto that empty map", async () => {
    const result = await project([], { method: "pca" });
    expect(result.points).toEqual([]);
    expect(() => result.place([[1, 2]])).toThrow(
      "Nothing has been projected yet: project at least one vector before placing more.",
    );
  });

  it("throws on an unknown method", async () => {
    await expect(project(vectors, { method: "tsne" } as never)).rejects.toThrow(
      'method must be "umap", "pca" or "axes", got "tsne".',
    );
  });
});
