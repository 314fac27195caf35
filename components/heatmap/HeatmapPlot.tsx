"use client";

import { useView } from "../views/useView";
import { HeatmapView, type HeatmapProps } from "./HeatmapView";

export type HeatmapPlotProps = Omit<HeatmapProps, "maxWidth"> & { className?: string };

/** React wrapper of HeatmapView: mounts it once, forwards prop changes, fits it to the container's width. */
export function HeatmapPlot({ className, ...props }: HeatmapPlotProps) {
  const container = useView(
    (element, initial: HeatmapProps) => new HeatmapView(element, initial),
    props,
    (current, width): HeatmapProps => ({ ...current, maxWidth: width }),
  );
  return <div ref={container} className={className} />;
}
