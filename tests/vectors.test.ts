import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cosine, cosineMatrix, dot, fromSql, mean, norm, normalize, toFloat32Decimal, toSql } from "@/lib/vectors";

describe("normalize(vector)", () => {
  it("scales to unit length and keeps direction", () => {
    const unit = normalize([3, 4]);
    expect(unit[0]).toBeCloseTo(0.6, 6);
    expect(unit[1]).toBeCloseTo(0.8, 6);
    expect(norm(unit)).toBeCloseTo(1, 6);
  });

  it("rounds to float32 printed as its shortest decimal, as pgvector returns it", () => {
    const unit = normalize([1, 1, 1, 1]);
    expect(unit).toEqual([0.5, 0.5, 0.5, 0.5]);
    const third = normalize([1, 1, 1])[0];
    expect(Math.fround(third)).toBe(Math.fround(1 / Math.sqrt(3)));
    expect(String(third)).toBe("0.57735026");
  });

  it("throws on a zero vector, which has no direction", () => {
    expect(() => normalize([0, 0])).toThrow(/no direction/);
  });

  it("normalises huge and tiny vectors without overflow or underflow", () => {
    expect(normalize([1e308, 1e308])).toEqual(normalize([1, 1]));
    expect(normalize([5e-324, 0])).toEqual([1, 0]);
  });

  it("throws on non-finite values", () => {
    expect(() => normalize([Number.NaN, 1])).toThrow(/no direction/);
  });
});

describe("toFloat32Decimal(value)", () => {
  it("returns the shortest decimal that reads back as the same float32", () => {
    expect(toFloat32Decimal(0.1)).toBe(0.1);
    expect(toFloat32Decimal(0.04419417306780815)).toBe(0.044194173);
    expect(toFloat32Decimal(-2.5)).toBe(-2.5);
    expect(toFloat32Decimal(0)).toBe(0);
  });

  it("never changes a value's float32", () => {
    for (let i = 1; i < 2000; i++) {
      const value = Math.sin(i) * 10 ** ((i % 9) - 4);
      expect(Math.fround(toFloat32Decimal(value))).toBe(Math.fround(value));
    }
  });

  it("finds the fewest digits, as trying 1, 2, … 9 digits in turn does", () => {
    const fewestByScan = (value: number) => {
      const single = Math.fround(value);
      if (single === 0) return single;
      for (let digits = 1; digits < 9; digits++) {
        const candidate = Number(single.toPrecision(digits));
        if (Math.fround(candidate) === single) return candidate;
      }
      return Number(single.toPrecision(9));
    };
    const shortDecimal = fc.tuple(fc.integer({ min: -99_999, max: 99_999 }), fc.integer({ min: -12, max: 6 })).map(([m, e]) => m * 10 ** e);
    fc.assert(
      fc.property(fc.oneof(fc.float({ noNaN: true, noDefaultInfinity: true }), fc.double({ min: -1, max: 1, noNaN: true }), shortDecimal), (value) => {
        expect(toFloat32Decimal(value)).toBe(fewestByScan(value));
      }),
      { numRuns: 20_000 },
    );
  });
});

describe("cosine(a, b)", () => {
  it("is 1 for the same direction, 0 for orthogonal, -1 for opposite", () => {
    expect(cosine([1, 1, 1], [2, 2, 2])).toBeCloseTo(1, 12);
    expect(cosine([1, 0], [0, 1])).toBe(0);
    expect(cosine([1, 2], [-1, -2])).toBeCloseTo(-1, 12);
  });

  it("orders [1,1,1] nearer to [1,1,2] than to [2,2,-2]", () => {
    expect(cosine([1, 1, 1], [1, 1, 2])).toBeGreaterThan(cosine([1, 1, 1], [2, 2, -2]));
  });

  it("is 0 when a vector is zero", () => {
    expect(cosine([0, 0], [1, 1])).toBe(0);
  });

  it("throws on mismatched dimensions", () => {
    expect(() => dot([1, 2], [1, 2, 3])).toThrow(/Dimension mismatch: 2 vs 3/);
  });
});

describe("cosineMatrix(vectors)", () => {
  it("is symmetric with an exact 1 on the diagonal", () => {
    const matrix = cosineMatrix([
      [1, 1, 1],
      [1, 1, 2],
      [2, 2, 2],
    ]);
    expect(matrix.map((row, i) => row[i])).toEqual([1, 1, 1]);
    expect(matrix[0][1]).toBe(matrix[1][0]);
    expect(matrix[0][2]).toBeCloseTo(1, 12);
    expect(matrix[0][1]).toBeCloseTo(4 / Math.sqrt(3 * 6), 12);
  });

  it("returns an empty matrix for no vectors", () => {
    expect(cosineMatrix([])).toEqual([]);
  });
});

describe("mean(vectors)", () => {
  it("averages element-wise", () => {
    expect(mean([[1, 2], [3, 6]])).toEqual([2, 4]);
  });

  it("throws on an empty list and on mixed dimensions", () => {
    expect(() => mean([])).toThrow(/zero vectors/);
    expect(() => mean([[1], [1, 2]])).toThrow(/Dimension mismatch/);
  });
});

describe("toSql(vector) / fromSql(text)", () => {
  it("round-trips pgvector's text form", () => {
    for (const vector of [[1, 2, 3], [0.125, -2.5e-7, 1e10], [], Array.from({ length: 2000 }, (_, i) => i / 7)]) {
      expect(fromSql(toSql(vector))).toEqual(vector);
    }
    expect(toSql([1, 1, 2])).toBe("[1,1,2]");
  });

  it("reads what PostgreSQL prints, spaces and exponents included", () => {
    expect(fromSql("[1, 2.5,-3e-05]")).toEqual([1, 2.5, -0.00003]);
  });

  it("rejects anything else with a clear error", () => {
    for (const bad of ["1,2,3", "[1,x]", "{1,2}", "[1,,2]", ""]) {
      expect(() => fromSql(bad)).toThrow(/Not a pgvector value/);
    }
  });
});
