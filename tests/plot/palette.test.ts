import { describe, expect, it } from "vitest";
import { categoricalPalette, groupColor, paletteCss } from "@/lib/plot/palette";

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a: string, b: string) => {
  const [high, low] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (high + 0.05) / (low + 0.05);
};

describe("categoricalPalette", () => {
  it("every colour has at least 3:1 contrast against the app's surfaces in its theme", () => {
    for (const color of categoricalPalette.light) for (const surface of ["#ffffff", "#fbfbfa"]) expect(contrast(color, surface)).toBeGreaterThanOrEqual(3);
    for (const color of categoricalPalette.dark) for (const surface of ["#1b1c1f", "#131416"]) expect(contrast(color, surface)).toBeGreaterThanOrEqual(3);
  });

  it("groupColor(group, theme) cycles after ten groups and defaults to the light theme", () => {
    expect(groupColor(0)).toBe(categoricalPalette.light[0]);
    expect(groupColor(12, "dark")).toBe(categoricalPalette.dark[2]);
  });

  it("paletteCss declares --map-c0…9 and overrides them for dark mode", () => {
    const css = paletteCss(".map-view");
    expect(css).toContain(`--map-c9: ${categoricalPalette.light[9]};`);
    expect(css).toContain(`@media (prefers-color-scheme: dark) { .map-view { --map-c0: ${categoricalPalette.dark[0]};`);
  });
});
