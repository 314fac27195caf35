"use client";

import { useEffect, useRef, useState } from "react";
import { HeatmapView, type HeatmapProps } from "./HeatmapView";

export type HeatmapPlotProps = Omit<HeatmapProps, "maxWidth"> & { className?: string };

/** React wrapper of HeatmapView: mounts it once, forwards prop changes, fits it to the container's width. */
export function HeatmapPlot({ className, ...props }: HeatmapPlotProps) {
  const container = useRef<HTMLDivElement>(null);
  const view = useRef<HeatmapView | null>(null);
  const [width, setWidth] = useState(0);

  useEffect(() => {
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry.contentRect.width)));
    observer.observe(container.current!);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (width === 0) return;
    if (view.current) view.current.update({ ...props, maxWidth: width });
    else view.current = new HeatmapView(container.current!, { ...props, maxWidth: width });
  });

  useEffect(() => () => {
    view.current?.destroy();
    view.current = null;
  }, []);

  return <div ref={container} className={className} />;
}
