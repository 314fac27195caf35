import { describe, expect, it } from "vitest";
import { categoricalPalette } from "@/lib/plot/palette";
import { mapToSvg, type MapSvgInput } from "@/lib/export/mapSvg";
import { xmlProblems } from "./wellFormed";

const animals: MapSvgInput = {
  x: [1.2, 1.8, 0.6, 1.5, 4.2, 4.8, 3.0],
  y: [2.1, 2.4, 2.6, 1.6, 0.5, 0.9, 3.5],
  labels: ["cat", "dog", "animal", "pet", "car", "truck", "banana"],
  groups: [0, 0, 0, 0, 1, 1, 1],
  groupNames: ["animals", "things"],
  width: 640,
  height: 400,
  title: "Animals & things",
};

describe("mapToSvg", () => {
  it("mapToSvg of a tiny 3-point map is exactly this SVG", () => {
    const svg = mapToSvg({ x: [0, 1, 2], y: [0, 2, 1], labels: ["a", "b", "c"], groups: [0, 1, 1], groupNames: ["one", "two"], width: 200, height: 160, title: "Tiny" });
    expect(svg).toMatchInlineSnapshot(`
      "<svg xmlns="http://www.w3.org/2000/svg" width="200" height="160" viewBox="0 0 200 160" role="img" aria-labelledby="map-title">
      <title id="map-title">Tiny</title>
      <style>
      text { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, "Noto Sans CJK SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", sans-serif; font-size: 12px; fill: #1c1d1f; }
      .title { font-size: 16px; font-weight: 600; }
      .legend { fill: #62666d; }
      .label { dominant-baseline: central; paint-order: stroke; stroke: #ffffff; stroke-width: 3px; stroke-linejoin: round; }
      </style>
      <rect width="200" height="160" fill="#ffffff"/>
      <text class="title" x="16" y="28">Tiny</text>
      <g>
      <circle cx="20" cy="50" r="4" fill="#3e6fb0"/>
      <text class="legend" x="28" y="54">one</text>
      <circle cx="67.44" cy="50" r="4" fill="#d9731c"/>
      <text class="legend" x="75.44" y="54">two</text>
      </g>
      <g fill-opacity="0.88">
      <circle cx="72.73" cy="133.27" r="6" fill="#3e6fb0"/>
      <circle cx="100" cy="78.73" r="6" fill="#d9731c"/>
      <circle cx="127.27" cy="106" r="6" fill="#d9731c"/>
      </g>
      <g>
      <text class="label" x="82.73" y="133.27">a</text>
      <text class="label" x="110" y="78.73">b</text>
      <text class="label" x="137.27" y="106">c</text>
      </g>
      </svg>
      "
    `);
  });

  it("mapToSvg draws every point, and labels them when there is room", () => {
    const svg = mapToSvg(animals);
    expect(svg.match(/<circle [^>]*r="6"/g)).toHaveLength(7);
    for (const label of animals.labels) expect(svg).toContain(`>${label}</text>`);
    expect(svg).toContain(`fill="${categoricalPalette.light[1]}"`);
  });

  it("mapToSvg keeps Chinese labels as text and names CJK fonts to draw them", () => {
    const svg = mapToSvg({ x: [0, 1, 2], y: [0, 1, 0], labels: ["猫", "宠物", "香蕉"], width: 400, height: 300, title: "猫和宠物" });
    for (const label of ["猫", "宠物", "香蕉"]) expect(svg).toContain(`>${label}</text>`);
    expect(svg).toContain(">猫和宠物</text>");
    expect(svg).toMatch(/font-family: [^;]*"Noto Sans CJK SC"/);
    expect(xmlProblems(svg)).toEqual([]);
  });

  it("mapToSvg escapes every label, group name and the title", () => {
    const svg = mapToSvg({
      ...animals,
      labels: ["<script>alert(1)</script>", 'say "hi"', "R&D", "it's", "a<b", "x>y", "🐱"],
      groupNames: ["<b>bold</b>", "&amp;"],
      title: "</svg><script>",
    });
    expect(svg).not.toContain("<script");
    expect(svg).toContain(">&lt;script&gt;alert(1)&lt;/script&gt;</text>");
    expect(svg).toContain(">say &quot;hi&quot;</text>");
    expect(svg).toContain(">R&amp;D</text>");
    expect(svg).toContain(">&lt;b&gt;bold&lt;/b&gt;</text>");
    expect(svg).toContain(">&amp;amp;</text>");
    expect(svg).toContain("<title id=\"map-title\">&lt;/svg&gt;&lt;script&gt;</title>");
    expect(xmlProblems(svg)).toEqual([]);
  });

  it("mapToSvg output is well-formed XML for light and dark themes", () => {
    expect(xmlProblems(mapToSvg(animals))).toEqual([]);
    const dark = mapToSvg({ ...animals, theme: "dark" });
    expect(xmlProblems(dark)).toEqual([]);
    expect(dark).toContain(`fill="${categoricalPalette.dark[0]}"`);
  });

  it("mapToSvg rounds every number to at most 2 decimals and gives the same bytes every time", () => {
    const svg = mapToSvg(animals);
    expect(svg.match(/="-?\d+\.\d{3,}"/)).toBeNull();
    expect(mapToSvg(structuredClone(animals))).toBe(svg);
  });

  it("mapToSvg handles an empty map and skips points without finite coordinates", () => {
    expect(xmlProblems(mapToSvg({ x: [], y: [], labels: [], width: 100, height: 100 }))).toEqual([]);
    const svg = mapToSvg({ x: [0, NaN, 1], y: [0, 1, 1], labels: ["a", "nan", "c"], width: 100, height: 100 });
    expect(svg.match(/<circle /g)).toHaveLength(2);
    expect(svg).not.toContain("NaN");
  });

  it("mapToSvg culls labels that would overlap on a crowded map", () => {
    const count = 300;
    const svg = mapToSvg({
      x: Array.from({ length: count }, (_, i) => (i % 20) / 20),
      y: Array.from({ length: count }, (_, i) => Math.floor(i / 20) / 15),
      labels: Array.from({ length: count }, (_, i) => `label number ${i}`),
      width: 300,
      height: 200,
    });
    const labels = svg.match(/class="label"/g) ?? [];
    expect(labels.length).toBeGreaterThan(0);
    expect(labels.length).toBeLessThan(count);
  });
});

describe("xmlProblems (test helper)", () => {
  it("xmlProblems finds unbalanced tags and raw specials", () => {
    expect(xmlProblems("<a><b></a>")).not.toEqual([]);
    expect(xmlProblems("<a>x & y</a>")).not.toEqual([]);
    expect(xmlProblems("<a>x < y</a>")).not.toEqual([]);
    expect(xmlProblems('<a b="1"><c/>&amp;</a>')).toEqual([]);
  });
});
