import { paletteCss } from "@/lib/plot/palette";

/** The heatmap's stylesheet, added once. Colours follow the app's CSS variables (light and dark). */

const styleId = "heatmap-view-styles";

export const heatmapCss = `
.heatmap-view { --hm-text: var(--text, #1c1d1f); --hm-muted: var(--muted, #62666d); --hm-surface: var(--surface, #fff);
  --hm-border: var(--border, #e3e4e6); --hm-accent: var(--accent, #3b5bdb); --hm-accent-text: var(--accent-text, #fff);
  position: relative; color: var(--hm-text); font: 12px/1.4 var(--font-sans, system-ui, sans-serif); max-width: 100%; overflow-x: auto; }
@media (prefers-color-scheme: dark) { .heatmap-view { --hm-text: var(--text, #e9eaec); --hm-muted: var(--muted, #9a9ea6);
  --hm-surface: var(--surface, #1b1c1f); --hm-border: var(--border, #2c2e33); --hm-accent: var(--accent, #748ffc);
  --hm-accent-text: var(--accent-text, #0d0f14); } }
${paletteCss(".heatmap-view")}
.heatmap-view svg { display: block; overflow: visible; }
.hm-label { fill: var(--hm-muted); font-size: 12px; }
.hm-label-active { fill: var(--hm-text); font-weight: 600; }
.hm-cell { fill: var(--hm-accent); cursor: default; }
.hm-cell.hm-diagonal { fill: var(--hm-border); fill-opacity: 0.7; }
.hm-cell:focus { outline: none; }
.hm-cell:focus-visible, .hm-cell.hm-hover { stroke: var(--hm-text); stroke-width: 2; }
.hm-value { font-size: 11px; font-variant-numeric: tabular-nums; text-anchor: middle; dominant-baseline: central;
  pointer-events: none; fill: var(--hm-text); }
.hm-value.hm-strong { fill: var(--hm-accent-text); }
.hm-value.hm-diagonal { fill: var(--hm-muted); }
.hm-legend-title { fill: var(--hm-muted); font-size: 11px; }
.hm-legend-tick { fill: var(--hm-muted); font-size: 11px; font-variant-numeric: tabular-nums; }
.hm-legend-frame { fill: none; stroke: var(--hm-border); }
.hm-legend-stop { stop-color: var(--hm-accent); }
.hm-tooltip { position: absolute; pointer-events: none; padding: 5px 9px; border-radius: 6px; white-space: nowrap;
  background: var(--hm-text); color: var(--hm-surface); font-size: 12px; font-variant-numeric: tabular-nums;
  transform: translate(-50%, calc(-100% - 8px)); box-shadow: 0 2px 8px rgb(0 0 0 / 0.18); }
.hm-tooltip strong { font-weight: 600; }
`;

export function ensureHeatmapStyles(document: Document) {
  if (document.getElementById(styleId)) return;
  const style = document.createElement("style");
  style.id = styleId;
  style.textContent = heatmapCss;
  document.head.append(style);
}
