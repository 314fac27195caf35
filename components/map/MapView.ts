import { zoomIdentity, type ZoomTransform } from "d3";
import { groupCounts, pointColumns, type PointColumns } from "./columns";
import { describePoint, describeSelection } from "./describe";
import { labelMeasurer, labelStyle } from "./labelLayout";
import { labelPriority } from "@/lib/plot/labels";
import { MapLegend } from "./legend";
import { createMapElements, type MapElements } from "./mapDom";
import { MapOverlay } from "./overlay";
import { overlayFrame, zoomedRadius } from "./overlayFrame";
import { createRenderer, rendererKind } from "./renderers";
import { mapScales, pointRadius, type MapScales } from "@/lib/plot/scales";
import { nextSelection, pointStates, sameIndices, type PointStates } from "./state";
import { ensureMapStyles } from "./styles";
import { readRenderColors } from "./themeColors";
import type { MapProps, PointRenderer, RenderColors, RenderFrame } from "@/lib/plot/types";
import { ZoomControls } from "./zoomControls";

/** Pixels around the pointer within which the nearest point counts as hovered. */
const hitRadius = 14;

/**
 * The scatter-plot map: `new MapView(el, props)`, `update(partial)`, `destroy()`. Framework-free;
 * MapPlot.tsx is its React wrapper. Selection is controlled: clicks call `onSelection` and the
 * host passes the new `selection` back through `update`. Hover, zoom and the legend's group are
 * the view's own state. Any number of changes in one frame cause one redraw (requestAnimationFrame).
 */
export class MapView {
  private props: MapProps;
  private dom: MapElements;
  private legend: MapLegend;
  private overlay: MapOverlay;
  private renderer: PointRenderer;
  private zoom: ZoomControls;
  private transform: ZoomTransform = zoomIdentity;
  private scales!: MapScales;
  private columns!: PointColumns;
  private counts: number[] = [];
  private labelWidth: (index: number) => number = () => 0;
  private states!: PointStates;
  private priority: number[] = [];
  private requiredLabels = 0;
  private hovered: number | null = null;
  private activeGroup: number | null = null;
  private colors!: RenderColors;
  private frameRequest = 0;
  /** A pan or zoom gesture is under way (see RenderFrame.moving). */
  private moving = false;
  private darkQuery = globalThis.matchMedia?.("(prefers-color-scheme: dark)");

  constructor(element: HTMLElement, props: MapProps) {
    this.props = props;
    ensureMapStyles(element.ownerDocument);
    this.dom = createMapElements(element.ownerDocument);
    this.legend = new MapLegend(this.dom.root, (group) => this.toggleGroup(group));
    this.renderer = createRenderer(rendererKind(props), this.dom.surface);
    this.overlay = new MapOverlay(this.dom.surface);
    this.dom.surface.append(this.dom.resetButton); // Above the overlay.
    element.append(this.dom.root);

    this.zoom = new ZoomControls(
      this.dom.surface,
      (transform) => {
        this.transform = transform;
        this.moving = true;
        this.dom.resetButton.hidden = transform.k === 1 && transform.x === 0 && transform.y === 0;
        this.scheduleRender();
      },
      () => {
        this.moving = false;
        this.scheduleRender();
      },
    );
    this.dom.resetButton.addEventListener("click", (event) => {
      event.stopPropagation();
      this.zoom.reset();
    });
    this.dom.surface.addEventListener("pointermove", this.onPointerMove);
    this.dom.surface.addEventListener("pointerleave", this.onPointerLeave);
    this.dom.surface.addEventListener("click", this.onClick);
    this.dom.surface.addEventListener("keydown", this.onKeyDown);
    this.darkQuery?.addEventListener("change", this.onThemeChange);
    this.setData(true);
    // Label widths measured before the web font arrived would be the fallback font's.
    element.ownerDocument.fonts?.ready.then(() => {
      if (!this.dom.root.isConnected) return;
      this.measureLabels();
      this.scheduleRender();
    });
  }

  /** Merges `partial` into the props and redraws on the next frame. */
  update(partial: Partial<MapProps>) {
    const previous = this.props;
    this.props = { ...previous, ...partial };
    const changed = (key: keyof MapProps) => key in partial && partial[key] !== previous[key];
    const kind = rendererKind(this.props);
    if (kind !== this.renderer.kind) {
      this.renderer.destroy();
      this.renderer = createRenderer(kind, this.dom.surface);
      this.renderer.setData(this.props.labels);
    }
    const dataKeys: (keyof MapProps)[] = ["x", "y", "labels", "groups", "groupNames", "width", "height", "axes"];
    if (dataKeys.some(changed)) this.setData(changed("labels"));
    else this.setState();
    if (changed("selection") && !sameIndices(previous.selection, this.props.selection)) {
      this.announce(describeSelection(this.props.selection ?? [], this.props));
    }
  }

  destroy() {
    cancelAnimationFrame(this.frameRequest);
    this.zoom.destroy();
    this.darkQuery?.removeEventListener("change", this.onThemeChange);
    this.renderer.destroy();
    this.overlay.destroy();
    this.legend.destroy();
    this.dom.root.remove();
  }

  private setData(labelsChanged: boolean) {
    const { x, y, groups, groupNames = [], width, height, axes } = this.props;
    const domainKey = () => [...this.scales.x.domain(), ...this.scales.y.domain(), x.length].join();
    const previousDomain = this.scales ? domainKey() : "";
    this.scales = mapScales({ x, y }, { width, height, margin: axes ? { left: 48, bottom: 36 } : undefined });
    this.columns = pointColumns(x, y, groups, this.scales);
    this.counts = groupCounts(groups, this.columns.baseX.length, groupNames.length);
    if (this.hovered !== null && this.hovered >= this.columns.baseX.length) this.hovered = null;
    if (labelsChanged) {
      this.measureLabels();
      this.renderer.setData(this.props.labels);
    }
    this.dom.root.style.width = `${width}px`;
    Object.assign(this.dom.surface.style, { width: `${width}px`, height: `${height}px` });
    this.dom.surface.setAttribute("aria-label", this.props.ariaLabel ?? `Map of ${this.columns.baseX.length} points`);
    this.zoom.resize(width, height);
    // A new layout (another projection, more points) starts from the fitted view; a new selection does not.
    if (previousDomain !== domainKey()) this.zoom.reset(true);
    this.colors = readRenderColors(this.dom.root);
    this.setState();
  }

  private measureLabels() {
    const fontFamily = getComputedStyle(this.dom.root).fontFamily || "sans-serif";
    this.labelWidth = labelMeasurer(this.props.labels, `${labelStyle.fontSize}px ${fontFamily}`);
  }

  /** Recomputes point states and label priority after any interaction, then redraws. */
  private setState() {
    const count = this.columns.baseX.length;
    const { selection = [], highlight = [], neighbours = [], groups = [], groupNames = [] } = this.props;
    const hovered = this.hovered;
    this.states = pointStates({ count, hovered, selection, highlight, neighbours, groups, activeGroup: this.activeGroup });
    const required = hovered !== null ? [hovered, ...selection.filter((index) => index !== hovered)] : [...selection];
    this.priority = labelPriority(count, required, this.states.focusNeighbours, highlight);
    this.requiredLabels = required.length;
    this.legend.render(groupNames.map((name, group) => ({ name, count: this.counts[group] ?? 0 })), this.activeGroup);
    this.scheduleRender();
  }

  private scheduleRender() {
    if (this.frameRequest) return;
    this.frameRequest = requestAnimationFrame(() => {
      this.frameRequest = 0;
      this.render();
    });
  }

  private render() {
    const { width, height } = this.props;
    const frame: RenderFrame = {
      baseX: this.columns.baseX,
      baseY: this.columns.baseY,
      colorSlot: this.columns.colorSlot,
      state: this.states.state,
      transform: { k: this.transform.k, x: this.transform.x, y: this.transform.y },
      width,
      height,
      radius: zoomedRadius(pointRadius(this.columns.baseX.length), this.transform.k),
      colors: this.colors,
      moving: this.moving,
    };
    this.renderer.render(frame);
    const overlay = overlayFrame({
      frame,
      states: this.states,
      neighbours: this.props.neighbours ?? [],
      texts: this.props.labels,
      priority: this.priority,
      requiredLabels: this.requiredLabels,
      labelWidth: this.labelWidth,
    });
    const axes = this.props.axes
      ? { x: this.transform.rescaleX(this.scales.x), y: this.transform.rescaleY(this.scales.y), bottom: height - 28, left: 40 }
      : undefined;
    this.overlay.render({ ...overlay, axes });
  }

  private pointAt(event: MouseEvent): number | null {
    const bounds = this.dom.surface.getBoundingClientRect();
    const [x, y] = this.transform.invert([event.clientX - bounds.left, event.clientY - bounds.top]);
    const found = this.columns.index.find(x, y, hitRadius / this.transform.k);
    return found ?? null;
  }

  private setHovered(index: number | null) {
    if (index === this.hovered) return;
    this.hovered = index;
    this.dom.surface.toggleAttribute("data-hovering", index !== null);
    if (index !== null) this.announce(describePoint(index, this.props));
    this.props.onHover?.(index);
    this.setState();
  }

  private onPointerMove = (event: PointerEvent) => {
    if (event.buttons !== 0) return; // Panning: keep the emphasis steady.
    this.setHovered(this.pointAt(event));
  };

  private onPointerLeave = () => this.setHovered(null);

  private onClick = (event: MouseEvent) => {
    if (event.detail > 1) return; // The second click of a double-click zooms; it must not unpin.
    const index = this.pointAt(event);
    this.props.onSelection?.(nextSelection(this.props.selection ?? [], index, event.shiftKey));
  };

  private onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== "Escape") return;
    this.setHovered(null);
    if (this.activeGroup !== null) this.toggleGroup(this.activeGroup);
    if ((this.props.selection ?? []).length > 0) this.props.onSelection?.([]);
  };

  private toggleGroup(group: number) {
    this.activeGroup = this.activeGroup === group ? null : group;
    this.setState();
  }

  private onThemeChange = () => {
    this.colors = readRenderColors(this.dom.root);
    this.scheduleRender();
  };

  private announce(message: string) {
    this.dom.liveRegion.textContent = message;
  }
}
