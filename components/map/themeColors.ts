import { categoricalPalette, paletteVariable } from "@/lib/plot/palette";
import type { RenderColors } from "@/lib/plot/types";

/**
 * The theme's colours, read from the CSS custom properties the stylesheet sets on `.map-view`.
 * Canvas cannot use CSS variables, so they are resolved here (again whenever the colour scheme
 * changes); the SVG renderer uses the same values, so both modes always match.
 */
export function readRenderColors(element: Element): RenderColors {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    palette: categoricalPalette.light.map((fallback, slot) => read(paletteVariable(slot), fallback)),
    text: read("--map-text", "#1c1d1f"),
    surface: read("--map-surface", "#ffffff"),
    accent: read("--map-accent", "#3b5bdb"),
  };
}
