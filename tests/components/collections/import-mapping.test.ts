import { describe, expect, it } from "vitest";
import { ownVectorsName } from "@/components/collections/CreateCollectionForm";
import { defaultMapping, mappingProblems, previewCell, toMappingInput, type MappingChoice } from "@/components/collections/importMapping";
import { importMappingSchema } from "@/lib/imports/mapping";
import type { ColumnInfo, ImportRow } from "@/lib/imports/types";

const columns: ColumnInfo[] = [
  { name: "ID", kind: "number" },
  { name: "标题", kind: "string" },
  { name: "正文", kind: "string" },
  { name: "年份", kind: "number" },
  { name: "embedding", kind: "vector", dims: 3 },
  { name: "x", kind: "number" },
  { name: "y", kind: "number" },
  { name: "tags", kind: "other" },
];
const rows: ImportRow[] = [
  { row: 1, values: { ID: 1, 标题: "猫", 正文: "猫是一种小型食肉动物。", 年份: 2021, embedding: [1, 0, 0], x: 0.5, y: 1, tags: { a: 1 } } },
  { row: 2, values: { ID: 2, 标题: "狗的故事", 正文: "狗是人类的朋友。", 年份: 2019, embedding: [0, 1, 0], x: 1, y: 2, tags: { b: 2 } } },
];

describe("defaultMapping(columns, rows)", () => {
  it("pre-selects the longest text, an id named id, the vector, x and y, and the rest as typed metadata", () => {
    expect(defaultMapping(columns, rows, { maxMetadataKeys: 20 })).toEqual({
      text: "正文",
      id: "ID",
      vector: "embedding",
      x: "x",
      y: "y",
      metadata: { 标题: "string", 年份: "number" },
    });
  });

  it("chooses nothing it has no column for, and keeps metadata within the limit (the id counts as one)", () => {
    const plain: ColumnInfo[] = [
      { name: "id", kind: "string" },
      { name: "a", kind: "boolean" },
      { name: "b", kind: "date" },
      { name: "c", kind: "empty" },
      { name: "x", kind: "number" },
    ];
    expect(defaultMapping(plain, [], { maxMetadataKeys: 3 })).toEqual({ text: "", id: "id", vector: "", x: "", y: "", metadata: { a: "boolean", b: "date" } });
  });

  it("takes a column named like an id (ticket_id) only when its values in the preview are present and unique", () => {
    const ids: ColumnInfo[] = [
      { name: "parent_id", kind: "string" },
      { name: "ticket_id", kind: "string" },
      { name: "body", kind: "string" },
    ];
    const sample = (parents: string[]) => parents.map((parent, i) => ({ row: i + 1, values: { parent_id: parent, ticket_id: `T-${i}`, body: "some text" } }));
    expect(defaultMapping(ids, sample(["a", "a"]), { maxMetadataKeys: 20 }).id).toBe("ticket_id");
    expect(defaultMapping(ids, sample(["a", "b"]), { maxMetadataKeys: 20 }).id).toBe("parent_id");
  });
});

describe("mappingProblems(choice)", () => {
  const choice: MappingChoice = { text: "正文", id: "", vector: "", x: "", y: "", metadata: {} };

  it("asks for a vector column in an own-vectors collection, for text or vector, and for x with y", () => {
    expect(mappingProblems(choice, { ownVectors: false, maxMetadataKeys: 20 })).toEqual([]);
    expect(mappingProblems(choice, { ownVectors: true, maxMetadataKeys: 20 })).toEqual(["This collection holds your own vectors: choose the column that holds each row's vector."]);
    expect(mappingProblems({ ...choice, text: "", x: "x" }, { ownVectors: false, maxMetadataKeys: 20 })).toEqual([
      "Choose a text column, a vector column, or both.",
      "x and y go together: choose both or neither.",
    ]);
    const mixed: ColumnInfo[] = [{ name: "embedding", kind: "vector" }];
    expect(mappingProblems({ ...choice, vector: "embedding" }, { ownVectors: true, maxMetadataKeys: 20, columns: mixed, rowsRead: 200 })).toEqual([
      'Column "embedding" holds vectors of different lengths in the first 200 rows; every row\'s vector must have the same length.',
    ]);
    expect(mappingProblems({ ...choice, vector: "embedding" }, { ownVectors: true, maxMetadataKeys: 20, columns: mixed, rowsRead: 0 })).toEqual([]);
    expect(mappingProblems({ ...choice, id: "ID", metadata: { a: "string", b: "string" } }, { ownVectors: false, maxMetadataKeys: 2 })).toEqual([
      "A row keeps at most 2 metadata values (the id counts as one); 3 are chosen.",
    ]);
  });
});

describe("toMappingInput(choice)", () => {
  it("leaves out what is not chosen, and is a mapping the server's schema accepts", () => {
    const input = toMappingInput({ text: "正文", id: "", vector: "embedding", x: "x", y: "y", metadata: { 年份: "number" } });
    expect(input).toEqual({ text: "正文", vector: "embedding", x: "x", y: "y", metadata: { 年份: "number" } });
    expect(importMappingSchema.parse(input)).toEqual(input);
  });
});

describe("previewCell(value)", () => {
  it("summarises vectors (as arrays or JSON text), cuts long texts, and shows nothing as empty", () => {
    expect(previewCell([0.123456, -1, 2, 3])).toBe("[0.123, -1, 2, …] (4)");
    expect(previewCell("[0.5, 0.25]")).toBe("[0.5, 0.25] (2)");
    expect(previewCell("x".repeat(100), 10)).toBe(`${"x".repeat(9)}…`);
    expect(previewCell(null)).toBe("");
    expect(previewCell({ a: 1 })).toBe('{"a":1}');
  });
});

describe("ownVectorsName(name)", () => {
  it("turns a collection name into an own:<name> name, keeping letters of any script", () => {
    expect(ownVectorsName("Papers 2024 (MiniLM)")).toBe("papers-2024-minilm");
    expect(ownVectorsName("论文 向量")).toBe("论文-向量");
    expect(ownVectorsName("  !!! ")).toBe("vectors");
    expect(ownVectorsName("a".repeat(80))).toHaveLength(64);
  });
});
