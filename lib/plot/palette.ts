/**
 * Categorical colours for groups, one set per theme. Based on Tableau 10 (distinct hues, familiar
 * order), tuned so every colour keeps at least 3:1 contrast against the surface it is drawn on
 * (WCAG's bar for graphics): the light set is darker (Tableau's yellow, pink and grey vanish on
 * white), the dark set lighter (its blue sinks into #1b1c1f).
 */

export type Theme = "light" | "dark";

export const categoricalPalette: Record<Theme, readonly string[]> = {
  light: ["#3e6fb0", "#d9731c", "#d23f45", "#2f8f88", "#3f8f3a", "#b08a00", "#9a5a9a", "#d0587a", "#8a5e45", "#6f7378"],
  dark: ["#7ea6e0", "#f5a05a", "#f27c7e", "#72cbc2", "#86c574", "#e8c75a", "#c99bd0", "#ff9fb7", "#c9a186", "#aeb3ba"],
};

/** Colour of group `group` (cycles after 10 groups). */
export function groupColor(group: number, theme: Theme = "light"): string {
  const colors = categoricalPalette[theme];
  return colors[((group % colors.length) + colors.length) % colors.length];
}

/** CSS custom property holding the colour of palette slot `slot` (0–9). */
export function paletteVariable(slot: number): string {
  return `--map-c${slot % categoricalPalette.light.length}`;
}

/**
 * CSS declaring `--map-c0` … `--map-c9` on `selector`, switching with `prefers-color-scheme`, so
 * SVG fills follow the theme without JavaScript and canvas reads them with getComputedStyle.
 */
export function paletteCss(selector: string): string {
  const declarations = (theme: Theme) =>
    categoricalPalette[theme].map((color, slot) => `${paletteVariable(slot)}: ${color};`).join(" ");
  return `${selector} { ${declarations("light")} }\n@media (prefers-color-scheme: dark) { ${selector} { ${declarations("dark")} } }`;
}
