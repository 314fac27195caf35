import { select } from "d3";
import { paletteVariable } from "@/lib/plot/palette";

/**
 * Group legend: one toggle button per group (swatch, name, count). Pressing one dims the other
 * groups; pressing it again, or Escape on the map, shows all. Buttons, so it works from the keyboard.
 */

export interface LegendEntry {
  name: string;
  count: number;
}

export class MapLegend {
  private list: HTMLUListElement;

  constructor(
    container: HTMLElement,
    private onToggle: (group: number) => void,
  ) {
    this.list = document.createElement("ul");
    this.list.className = "map-legend";
    this.list.setAttribute("aria-label", "Groups");
    container.prepend(this.list);
  }

  /** Hidden when there are fewer than two groups: a single swatch explains nothing. */
  render(entries: readonly LegendEntry[], activeGroup: number | null) {
    const shown = entries.length >= 2 ? entries : [];
    this.list.hidden = shown.length === 0;
    this.list.classList.toggle("map-legend-dimmed", activeGroup !== null);
    select(this.list)
      .selectAll<HTMLLIElement, LegendEntry>("li")
      .data(shown)
      .join((enter) => {
        const item = enter.append("li");
        const button = item.append("button").attr("type", "button");
        button.append("span").attr("class", "swatch").attr("aria-hidden", "true");
        button.append("span").attr("class", "name");
        button.append("span").attr("class", "count");
        return item;
      })
      .select("button")
      .attr("data-group", (_, group) => group)
      .attr("aria-pressed", (_, group) => String(activeGroup === group))
      .attr("title", (entry) => `Show only ${entry.name}`)
      .on("click", (_, entry) => this.onToggle(shown.indexOf(entry)))
      .call((button) => button.select(".swatch").style("background", (_, group) => `var(${paletteVariable(group)})`))
      .call((button) => button.select(".name").text((entry) => entry.name))
      .call((button) => button.select(".count").text((entry) => entry.count.toLocaleString("en-US")));
  }

  destroy() {
    this.list.remove();
  }
}
