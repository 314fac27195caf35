import { describe, expect, it } from "vitest";
import { formatItems, parseItems } from "@/lib/explorations/parse";

describe("parseItems(source)", () => {
  it("reads one item per line and starts a group at each ## line", () => {
    const { items, skipped } = parseItems("## animals\ncat\ndog\n\n## vehicles\ncar\n##\nbanana");
    expect(items).toEqual([
      { text: "cat", group: "animals" },
      { text: "dog", group: "animals" },
      { text: "car", group: "vehicles" },
      { text: "banana" },
    ]);
    expect(skipped).toEqual([]);
  });

  it("trims lines, normalises to NFC and ignores blank lines", () => {
    expect(parseItems("  cafe\u0301  \r\n\n\t\n tea").items).toEqual([{ text: "café" }, { text: "tea" }]);
  });

  it("skips a repeated text and says where it first appeared", () => {
    const { items, skipped } = parseItems("cat\ndog\ncat");
    expect(items.map((item) => item.text)).toEqual(["cat", "dog"]);
    expect(skipped).toEqual(['line 3: "cat" is already on line 1']);
  });

  it("treats a line starting with a single # as an item, not a group", () => {
    expect(parseItems("#hashtag").items).toEqual([{ text: "#hashtag" }]);
  });

  it("returns nothing for an empty source", () => {
    expect(parseItems("")).toEqual({ items: [], skipped: [] });
  });
});

describe("formatItems(items)", () => {
  it("round-trips through parseItems, groups and ungrouped items included", () => {
    const items = [{ text: "x" }, { text: "cat", group: "animals" }, { text: "dog", group: "animals" }, { text: "car", group: "vehicles" }, { text: "y" }];
    expect(parseItems(formatItems(items)).items).toEqual(items);
  });

  it("formats an empty list as an empty string", () => {
    expect(formatItems([])).toBe("");
  });
});
