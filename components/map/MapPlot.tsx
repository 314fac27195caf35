"use client";

import { useEffect, useRef, useState } from "react";
import type { MapProps } from "./types";
import { MapView } from "./MapView";

/** MapView's props without the size: the width follows the container, the height is a prop. */
export type MapPlotProps = Omit<MapProps, "width" | "height"> & {
  /** Plot height in CSS pixels. Default 480. */
  height?: number;
  className?: string;
};

/** React wrapper of MapView: mounts it once, forwards prop changes to `update`, measures its width. */
export function MapPlot({ height = 480, className, ...props }: MapPlotProps) {
  const container = useRef<HTMLDivElement>(null);
  const view = useRef<MapView | null>(null);
  const [width, setWidth] = useState(0);

  useEffect(() => {
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry.contentRect.width)));
    observer.observe(container.current!);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (width === 0) return;
    if (view.current) view.current.update({ ...props, width, height });
    else view.current = new MapView(container.current!, { ...props, width, height });
  });

  useEffect(() => () => {
    view.current?.destroy();
    view.current = null;
  }, []);

  return <div ref={container} className={className} style={{ minHeight: height }} />;
}
