import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/api/errors";
import { checkMapping, importMappingSchema, metadataKey, RowMapper, type ImportMapping } from "@/lib/imports/mapping";
import type { ColumnInfo } from "@/lib/imports/types";

const columns: ColumnInfo[] = [
  { name: "description", kind: "string" },
  { name: "package", kind: "string" },
  { name: "section", kind: "string" },
  { name: "year", kind: "number" },
  { name: "embedding", kind: "vector", dims: 3 },
  { name: "x", kind: "number" },
  { name: "y", kind: "number" },
  { name: "Release Date", kind: "date" },
];

const mapping = (input: unknown): ImportMapping => importMappingSchema.parse(input);

function thrown(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected an AppError");
}

describe("importMappingSchema", () => {
  it("needs a text or a vector column, and x with y", () => {
    expect(importMappingSchema.safeParse({ metadata: ["section"] }).error?.issues[0].message).toBe("name a text column, a vector column, or both");
    expect(importMappingSchema.safeParse({ text: "description", x: "x" }).error?.issues[0].message).toBe("x and y go together: name both or neither");
    expect(mapping({ text: "description" }).metadata).toEqual([]);
  });
});

describe("checkMapping(mapping, columns)", () => {
  it("names a column the file does not have, and lists the ones it has", () => {
    const error = thrown(() => checkMapping(mapping({ text: "descr" }), columns));
    expect(error.code).toBe("bad_request:mapping");
    expect(error.message).toMatch(/^mapping\.text names column "descr", which the file does not have; its columns are "description", "package"/);
  });

  it("refuses two metadata columns kept under one key, and a vector column of something else", () => {
    const twice = thrown(() => checkMapping(mapping({ text: "description", metadata: ["Release Date", "Release_Date"] }), [...columns, { name: "Release_Date", kind: "string" }]));
    expect(twice.message).toBe('Metadata columns "Release Date" and "Release_Date" would both be kept as "Release_Date"; keep one of them.');
    const notVector = thrown(() => checkMapping(mapping({ vector: "section" }), columns));
    expect(notVector.message).toBe('mapping.vector names column "section", whose first rows hold string values, not lists of numbers.');
  });

  it("accepts a mapping of the file's columns", () => {
    expect(() => checkMapping(mapping({ text: "description", id: "package", metadata: { section: "string", year: "number" }, vector: "embedding", x: "x", y: "y" }), columns)).not.toThrow();
  });
});

describe("RowMapper", () => {
  it("maps a row: text, id (also kept as metadata), typed metadata, vector and position", () => {
    const mapper = new RowMapper(mapping({ text: "description", id: "package", metadata: { section: "string", year: "number", "Release Date": "date" }, vector: "embedding", x: "x", y: "y" }));
    const mapped = mapper.map({
      row: 1,
      values: { description: "  Cafe\u0301 notes\r\nsecond line ", package: 42, section: "utils", year: "2021", embedding: "[0.1, 0.2, 0.3]", x: "1.5", y: -2, "Release Date": "2024-05-31" },
    });
    expect(mapped).toEqual({
      row: 1,
      text: "Café notes\nsecond line",
      id: "42",
      metadata: { section: "utils", year: 2021, Release_Date: "2024-05-31T00:00:00.000Z", id: "42" },
      vector: [0.1, 0.2, 0.3],
      position: { x: 1.5, y: -2 },
    });
    expect(mapper.dims).toBe(3);
  });

  it("gives a row with both position cells empty no position (an export made before the map had a layout), and refuses one empty cell", () => {
    const mapper = new RowMapper(mapping({ text: "t", x: "x", y: "y" }));
    expect(mapper.map({ row: 1, values: { t: "a", x: "", y: null } }).position).toBeNull();
    expect(mapper.map({ row: 2, values: { t: "b", x: 0, y: "0.5" } }).position).toEqual({ x: 0, y: 0.5 });
    expect(thrown(() => mapper.map({ row: 3, values: { t: "c", x: "1", y: "" } })).message).toBe('row 3: column "y" holds "", not a finite number.');
  });

  it("names the row and the column of a vector of the wrong length, as the issue's example does", () => {
    const mapper = new RowMapper(mapping({ vector: "vector" }), 384);
    const error = thrown(() => mapper.map({ row: 4812, values: { vector: Array.from({ length: 383 }, () => 0.5) } }));
    expect(error).toMatchObject({ code: "bad_request:row", status: 400, details: { row: 4812, column: "vector" } });
    expect(error.message).toBe('row 4,812: column "vector" has 383 numbers, expected 384.');
  });

  it("takes the first vector's length for the rest, and refuses zero vectors and what is not a list of numbers", () => {
    const mapper = new RowMapper(mapping({ vector: "v" }));
    mapper.map({ row: 1, values: { v: [1, 2] } });
    expect(thrown(() => mapper.map({ row: 2, values: { v: [1, 2, 3] } })).message).toBe('row 2: column "v" has 3 numbers, expected 2.');
    expect(thrown(() => mapper.map({ row: 3, values: { v: [0, 0] } })).message).toBe('row 3: column "v" is all zeros, which has no direction to compare.');
    expect(thrown(() => mapper.map({ row: 4, values: { v: "[1, NaN]" } })).message).toBe('row 4: column "v" holds "[1, NaN]", not a list of numbers.');
    expect(thrown(() => mapper.map({ row: 5, values: { v: null } })).message).toBe('row 5: column "v" holds nothing, not a list of numbers.');
  });

  it("refuses an empty text, and values that do not convert to the metadata's type", () => {
    const mapper = new RowMapper(mapping({ text: "t", metadata: { n: "number", b: "boolean", d: "date" } }));
    expect(thrown(() => mapper.map({ row: 7, values: { t: "   " } })).message).toBe('row 7: column "t" is empty; every row needs its text.');
    expect(thrown(() => mapper.map({ row: 8, values: { t: "ok", n: "12abc" } })).message).toBe('row 8: column "n" holds "12abc", not a number.');
    expect(thrown(() => mapper.map({ row: 9, values: { t: "ok", b: "maybe" } })).message).toBe('row 9: column "b" holds "maybe", not a boolean (true/false, yes/no, 1/0).');
    expect(thrown(() => mapper.map({ row: 10, values: { t: "ok", d: "last tuesday" } })).message).toMatch(/^row 10: column "d" holds "last tuesday", not a date/);
    expect(mapper.map({ row: 11, values: { t: "ok", n: "", b: "Yes", d: null } }).metadata).toEqual({ b: true });
  });

  it("keeps untyped metadata as the file has it, and refuses objects there", () => {
    const mapper = new RowMapper(mapping({ text: "t", metadata: ["a", "b"] }));
    expect(mapper.map({ row: 1, values: { t: "x", a: "12", b: true } }).metadata).toEqual({ a: "12", b: true });
    expect(thrown(() => mapper.map({ row: 2, values: { t: "x", a: { nested: 1 } } })).message).toBe('row 2: column "a" holds an object; metadata keeps texts, numbers and booleans.');
  });
});

describe("metadataKey(column)", () => {
  it("keeps letters of every script, digits, '_', '.' and '-', and replaces the rest", () => {
    expect(metadataKey("Release Date")).toBe("Release_Date");
    expect(metadataKey("发布日期")).toBe("发布日期");
    expect(metadataKey("价格 (元)")).toBe("价格__元_");
    expect(metadataKey("a.b-c_d")).toBe("a.b-c_d");
  });
});
