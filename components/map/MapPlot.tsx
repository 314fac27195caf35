"use client";

import { useView } from "../views/useView";
import { MapView } from "./MapView";
import type { MapProps } from "@/lib/plot/types";

/** MapView's props without the size: the width follows the container, the height is a prop. */
export type MapPlotProps = Omit<MapProps, "width" | "height"> & {
  /** Plot height in CSS pixels. Default 480. */
  height?: number;
  className?: string;
};

/** React wrapper of MapView: mounts it once, forwards prop changes to `update`, measures its width. */
export function MapPlot({ height = 480, className, ...props }: MapPlotProps) {
  const container = useView(
    (element, initial: MapProps) => new MapView(element, initial),
    props,
    (current, width): MapProps => ({ ...current, width, height }),
  );
  return <div ref={container} className={className} style={{ minHeight: height }} />;
}
