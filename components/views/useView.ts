"use client";

import { useEffect, useRef, useState, type RefObject } from "react";

/** What the D3 views share: made once on an element, then updated and finally destroyed. */
export interface View<Props> {
  update(props: Partial<Props>): void;
  destroy(): void;
}

/**
 * Mounts a view class in a container once its width is known, forwards every render's props to
 * `update`, follows the container's width with a ResizeObserver, and destroys the view on unmount.
 * `withWidth` turns the component's input and the measured width into the view's props.
 */
export function useView<Props, Input>(
  create: (element: HTMLElement, props: Props) => View<Props>,
  input: Input,
  withWidth: (input: Input, width: number) => Props,
): RefObject<HTMLDivElement | null> {
  const container = useRef<HTMLDivElement>(null);
  const view = useRef<View<Props> | null>(null);
  const [width, setWidth] = useState(0);

  useEffect(() => {
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry.contentRect.width)));
    observer.observe(container.current!);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (width === 0) return;
    const next = withWidth(input, width);
    if (view.current) view.current.update(next);
    else view.current = create(container.current!, next);
  });

  useEffect(
    () => () => {
      view.current?.destroy();
      view.current = null;
    },
    [],
  );

  return container;
}
