import { describe, expect, it } from "vitest";
import { createRandom, defaults } from "@/lib/projection/random";

describe("createRandom(seed)", () => {
  it("returns the mulberry32 sequence for the seed", () => {
    const random = createRandom(42);
    expect([random(), random(), random()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
    expect(createRandom(0)()).toBe(0.26642920868471265);
  });

  it("repeats the same sequence for the same seed and another for another seed", () => {
    const a = createRandom(7);
    const b = createRandom(7);
    const c = createRandom(8);
    const first = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(first);
    expect(Array.from({ length: 100 }, () => c())).not.toEqual(first);
  });

  it("returns numbers in [0, 1), spread evenly", () => {
    const random = createRandom(1);
    const values = Array.from({ length: 20_000 }, () => random());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean).toBeCloseTo(0.5, 2);
    const tenths = new Array(10).fill(0);
    for (const value of values) tenths[Math.floor(value * 10)]++;
    for (const count of tenths) expect(Math.abs(count - 2000)).toBeLessThan(200);
  });

  it("uses seed 42 by default", () => {
    expect(defaults).toEqual({ seed: 42 });
    expect(createRandom()()).toBe(createRandom(42)());
  });

  it("throws on a seed that is not a finite number", () => {
    expect(() => createRandom(Number.NaN)).toThrow("seed must be a finite number, got NaN: pass an integer such as 42.");
  });
});
