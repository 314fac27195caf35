import { describe, expect, it } from "vitest";
import { TILE, tileProducts } from "@/lib/projection/tile-products";
import { randomUnitVectors } from "./fixtures";

/** Every tile of the upper triangle, as computed by the kNN, gathered into a full n × n matrix. */
function allProducts(data: Float64Array, n: number, columns: number, kernel: "wasm" | "js"): Float64Array {
  const products = tileProducts(data, n, columns, kernel);
  const result = new Float64Array(n * n);
  for (let a0 = 0; a0 < n; a0 += TILE) {
    const a1 = Math.min(a0 + TILE, products.rows);
    for (let b0 = a0; b0 < n; b0 += TILE) {
      const b1 = Math.min(b0 + TILE, products.rows);
      products.compute(a0, a1, b0, b1);
      for (let i = a0; i < Math.min(a1, n); i++) {
        for (let j = b0; j < Math.min(b1, n); j++) result[i * n + j] = result[j * n + i] = products.tile[(i - a0) * TILE + (j - b0)];
      }
    }
  }
  return result;
}

describe("tileProducts(data, n, columns, kernel)", () => {
  it("uses WebAssembly SIMD by default in Node", () => {
    expect(tileProducts(new Float64Array(4), 2, 2).kernel).toBe("wasm");
  });

  it.each([
    [150, 24],
    [9, 5],
    [67, 1],
    [4, 130],
  ])("gives every row product within Float32 rounding, both kernels alike (n = %i, %i columns)", (n, columns) => {
    const vectors = randomUnitVectors(n, columns, n + columns);
    const data = Float64Array.from(vectors.flat());
    const wasm = allProducts(data, n, columns, "wasm");
    const js = allProducts(data, n, columns, "js");
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const exact = vectors[i].reduce((sum, value, d) => sum + value * vectors[j][d], 0);
        expect(Math.abs(wasm[i * n + j] - exact)).toBeLessThan(1e-6);
        expect(Math.abs(js[i * n + j] - exact)).toBeLessThan(1e-6);
      }
    }
  });

  it("pads rows and columns to multiples of 4 with zeros", () => {
    const products = tileProducts(Float64Array.from([1, 2, 3, 4, 5]), 1, 5);
    expect([products.rows, products.columns]).toEqual([4, 8]);
    products.compute(0, 4, 0, 4);
    expect(Array.from(products.tile.subarray(0, 4))).toEqual([55, 0, 0, 0]);
  });
});
