import { describe, expect, it } from "vitest";
import { encodeBinaryCopy } from "@/lib/db/pg-copy";

describe("encodeBinaryCopy", () => {
  it("encodeBinaryCopy([]) is the 19-byte header and the -1 trailer", () => {
    const bytes = encodeBinaryCopy([]);
    expect([...bytes]).toEqual([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]);
  });

  it("encodeBinaryCopy(rows) writes each field as a big-endian length and its bytes", () => {
    const bytes = encodeBinaryCopy([[{ int4: -2 }, { text: "é" }, { vector: [1, 0.5] }]]);
    const row = [...bytes.subarray(19, -2)];
    expect(row).toEqual([
      0, 3, // three fields
      0, 0, 0, 4, 0xff, 0xff, 0xff, 0xfe, // int4 -2
      0, 0, 0, 2, 0xc3, 0xa9, // "é" in UTF-8
      0, 0, 0, 12, 0, 2, 0, 0, 0x3f, 0x80, 0, 0, 0x3f, 0, 0, 0, // vector: dims 2, unused 0, 1.0f, 0.5f
    ]);
  });

  it("writes a NULL as length -1 with no bytes, and a float4 as its four big-endian bytes", () => {
    const row = [...encodeBinaryCopy([[null, { float4: -1.5 }]]).subarray(19, -2)];
    expect(row).toEqual([0, 2, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 4, 0xbf, 0xc0, 0, 0]);
    expect(() => encodeBinaryCopy([[{ float4: Number.POSITIVE_INFINITY }]])).toThrow("a real must be finite, not Infinity.");
  });

  it("rejects what PostgreSQL would refuse, naming the value", () => {
    expect(() => encodeBinaryCopy([[{ vector: [0, Number.NaN] }]])).toThrow("vector element 1 is NaN; pgvector takes finite numbers only.");
    expect(() => encodeBinaryCopy([[{ vector: [] }]])).toThrow("a vector must have 1 to 16,000 dimensions, not 0.");
    expect(() => encodeBinaryCopy([[{ int4: 2 ** 31 }]])).toThrow("an int4 must be a whole number within ±2,147,483,647, not 2147483648.");
    expect(() => encodeBinaryCopy([[{ int4: 1.5 }]])).toThrow("not 1.5");
  });
});
