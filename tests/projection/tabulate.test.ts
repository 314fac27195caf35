import { describe, expect, it } from "vitest";
import { tabulate } from "@/lib/projection/tabulate";

describe("tabulate(fn)", () => {
  it("matches smooth powers of x within 1e-4 relative from 2^−40 to 2^40", () => {
    for (const b of [0.79, 0.895, 1.93]) {
      const fn = (x: number) => (2 * b * Math.pow(x, b - 1)) / (1.58 * Math.pow(x, b) + 1);
      const table = tabulate(fn);
      for (let e = -40; e < 40; e += 0.37) {
        const x = 2 ** e;
        expect(Math.abs(table(x) / fn(x) - 1)).toBeLessThan(1e-4);
      }
    }
  });

  it("is exact at the start of every piece", () => {
    const table = tabulate(Math.sqrt);
    expect(table(1)).toBe(1);
    expect(table(4)).toBe(2);
    expect(table(1 + 1 / 64)).toBe(Math.sqrt(1 + 1 / 64));
  });

  it("calls fn itself outside the table and for x ≤ 0 or NaN", () => {
    const fn = (x: number) => x * 3;
    const table = tabulate(fn);
    for (const x of [2 ** -41, 2 ** 40, 1e300, 0, -1, Number.NaN, Infinity]) expect(table(x)).toBe(fn(x));
  });
});
