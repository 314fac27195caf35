import { describe, expect, it } from "vitest";
import { explorationFileFormat, parseExplorationJson, toJson, type ExplorationExport } from "@/lib/export/explorationJson";

const exploration: ExplorationExport = {
  title: "Animals & <things>",
  model: "use-lite",
  slug: "abcdefghijklmnop",
  items: [
    { text: "cat", group: "animals", x: 1.5, y: -2, vector: [0.1, 0.2] },
    { text: 'say "hi"\nthere 🐱' },
  ],
  cells: [{ id: "map", type: "map", method: "umap", params: {} }],
};

describe("toJson / parseExplorationJson", () => {
  it("toJson starts with the format header and is byte-for-byte stable", () => {
    const json = toJson(exploration);
    expect(json.startsWith(`{\n  "format": "${explorationFileFormat}",\n  "version": 1,\n  "title"`)).toBe(true);
    expect(toJson(structuredClone(exploration))).toBe(json);
    expect(toJson(exploration, 0)).not.toContain("\n");
  });

  it("parseExplorationJson(toJson(x)) round-trips, cells included", () => {
    expect(parseExplorationJson(toJson(exploration))).toEqual({ ok: true, value: exploration });
    expect(parseExplorationJson(toJson(exploration, 0))).toEqual({ ok: true, value: exploration });
  });

  it("parseExplorationJson defaults missing cells to []", () => {
    const { cells: _cells, ...withoutCells } = exploration;
    expect(parseExplorationJson(toJson(withoutCells))).toEqual({ ok: true, value: { ...withoutCells, cells: [] } });
  });

  it("parseExplorationJson never throws: bad JSON, wrong format, bad fields, newer versions", () => {
    expect(parseExplorationJson("{nope")).toMatchObject({ ok: false, error: expect.stringMatching(/^Not valid JSON: /) });
    expect(parseExplorationJson("null")).toMatchObject({ ok: false, error: expect.stringMatching(/^file: /) });
    expect(parseExplorationJson('{"format":"other"}')).toMatchObject({ ok: false, error: expect.stringMatching(/^format: /) });
    const badX = toJson(exploration).replace('"x": 1.5', '"x": "1.5"');
    expect(parseExplorationJson(badX)).toMatchObject({ ok: false, error: expect.stringMatching(/^items\.0\.x: /) });
    const newer = toJson(exploration).replace('"version": 1', '"version": 2');
    expect(parseExplorationJson(newer)).toEqual({ ok: false, error: "This file is version 2, newer than this app reads (1); update the app to open it." });
  });

  it("toJson of a huge exploration parses back", () => {
    const items = Array.from({ length: 2000 }, (_, i) => ({ text: `word ${i}`, x: i, y: -(i + 1), vector: [i, i / 3] }));
    const result = parseExplorationJson(toJson({ title: "big", model: "glove-100d", items }));
    expect(result.ok && result.value.items).toEqual(items);
  });
});
