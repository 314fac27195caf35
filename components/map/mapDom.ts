import { mapInstructions } from "./describe";

/**
 * The map's element tree, outside the points themselves:
 *
 *   div.map-view
 *     ul.map-legend                     (legend.ts)
 *     div.map-surface[tabindex=0]       focusable, zoomable, takes the pointer
 *       svg.map-points | canvas         (renderers/)
 *       svg.map-overlay                 axes, neighbour lines, labels (overlay.ts)
 *       button.map-reset                shown once zoomed or panned
 *     p.map-sr-only#…                   instructions, the surface's description
 *     div.map-sr-only[role=status]      live region: hovered / selected point and neighbours
 */
export interface MapElements {
  root: HTMLDivElement;
  surface: HTMLDivElement;
  resetButton: HTMLButtonElement;
  liveRegion: HTMLDivElement;
}

let nextId = 0;

export function createMapElements(document: Document): MapElements {
  const element = <K extends keyof HTMLElementTagNameMap>(tag: K, className: string, parent?: HTMLElement) => {
    const created = document.createElement(tag);
    created.className = className;
    parent?.append(created);
    return created;
  };
  const root = element("div", "map-view");
  const surface = element("div", "map-surface", root);
  surface.tabIndex = 0;
  surface.setAttribute("role", "group");
  surface.setAttribute("aria-roledescription", "map");

  const resetButton = element("button", "map-reset", surface);
  resetButton.type = "button";
  resetButton.textContent = "Reset view";
  resetButton.hidden = true;

  const instructions = element("p", "map-sr-only", root);
  instructions.id = `map-instructions-${++nextId}`;
  instructions.textContent = mapInstructions;
  surface.setAttribute("aria-describedby", instructions.id);

  const liveRegion = element("div", "map-sr-only", root);
  liveRegion.setAttribute("role", "status");
  liveRegion.setAttribute("aria-live", "polite");
  return { root, surface, resetButton, liveRegion };
}
