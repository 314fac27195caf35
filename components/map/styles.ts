import { paletteCss } from "@/lib/plot/palette";

/**
 * The map's stylesheet, added to the document once. Colours come from the app's CSS variables
 * (--text, --surface, --accent…, see app/globals.css) with fallbacks, so the view follows the
 * light/dark theme and still looks right outside the app (tests, exports, other hosts).
 */

const styleId = "map-view-styles";

export const mapCss = `
.map-view { --map-text: var(--text, #1c1d1f); --map-muted: var(--muted, #62666d); --map-surface: var(--surface, #fff);
  --map-border: var(--border, #e3e4e6); --map-accent: var(--accent, #3b5bdb);
  color: var(--map-text); font: 12px/1.4 var(--font-sans, system-ui, sans-serif); }
@media (prefers-color-scheme: dark) { .map-view { --map-text: var(--text, #e9eaec); --map-muted: var(--muted, #9a9ea6);
  --map-surface: var(--surface, #1b1c1f); --map-border: var(--border, #2c2e33); --map-accent: var(--accent, #748ffc); } }
${paletteCss(".map-view")}
.map-surface { position: relative; background: var(--map-surface); border: 1px solid var(--map-border);
  border-radius: var(--radius, 10px); overflow: hidden; cursor: grab; touch-action: none; outline: none; }
.map-surface:focus-visible { box-shadow: 0 0 0 2px var(--map-accent); }
.map-surface[data-hovering] { cursor: pointer; }
.map-surface:active { cursor: grabbing; }
.map-points, .map-overlay { position: absolute; inset: 0; display: block; }
.map-overlay, .map-points-top { pointer-events: none; }
.map-overlay { overflow: visible; }
.map-label { fill: var(--map-text); font-size: 12px; dominant-baseline: central; paint-order: stroke;
  stroke: var(--map-surface); stroke-width: 3px; stroke-linejoin: round; }
.map-label-strong { font-weight: 600; font-size: 13px; }
.map-label-faint { opacity: 0.35; }
.map-neighbour-line { stroke: var(--map-text); stroke-opacity: 0.45; stroke-width: 1.25; }
.map-neighbour-score { fill: var(--map-muted); font-size: 11px; font-variant-numeric: tabular-nums; text-anchor: middle;
  dominant-baseline: central; paint-order: stroke; stroke: var(--map-surface); stroke-width: 4px; stroke-linejoin: round; }
.map-axis text { fill: var(--map-muted); font-size: 10px; font-variant-numeric: tabular-nums; }
.map-axis line { stroke: var(--map-border); }
.map-legend { display: flex; flex-wrap: wrap; gap: 4px 6px; margin: 0 0 8px; padding: 0; list-style: none; }
.map-legend button { display: inline-flex; align-items: center; gap: 6px; padding: 3px 10px 3px 8px; font: inherit;
  font-weight: 500; color: var(--map-text); background: transparent; border: 1px solid var(--map-border);
  border-radius: 999px; cursor: pointer; }
.map-legend button:hover { background: color-mix(in srgb, var(--map-text) 6%, transparent); }
.map-legend button[aria-pressed="true"] { border-color: var(--map-text); }
.map-legend button:focus-visible { outline: 2px solid var(--map-accent); outline-offset: 1px; }
.map-legend .swatch { width: 9px; height: 9px; border-radius: 50%; }
.map-legend .count { color: var(--map-muted); font-variant-numeric: tabular-nums; }
.map-legend-dimmed button[aria-pressed="false"] { opacity: 0.55; }
.map-reset { position: absolute; top: 8px; right: 8px; padding: 3px 10px; font: inherit; font-size: 12px; font-weight: 500;
  color: var(--map-text); background: var(--map-surface); border: 1px solid var(--map-border); border-radius: 6px; cursor: pointer; }
.map-reset:hover { border-color: var(--map-muted); }
.map-reset:focus-visible { outline: 2px solid var(--map-accent); outline-offset: 1px; }
.map-sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
`;

/** Adds the stylesheet to `document` unless it is there already. */
export function ensureMapStyles(document: Document) {
  if (document.getElementById(styleId)) return;
  const style = document.createElement("style");
  style.id = styleId;
  style.textContent = mapCss;
  document.head.append(style);
}
