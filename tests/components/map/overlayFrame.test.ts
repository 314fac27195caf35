import { describe, expect, it } from "vitest";
import { overlayFrame, shortenedLine, zoomedRadius } from "@/components/map/overlayFrame";
import { pointStates } from "@/components/map/state";
import type { RenderFrame } from "@/lib/plot/types";

const identity = (index: number) => [0, 100][index];

describe("overlayFrame", () => {
  it("zoomedRadius grows with √k up to 6 px, and never shrinks a small map's 6 px points", () => {
    expect(zoomedRadius(1.5, 1)).toBe(1.5);
    expect(zoomedRadius(1.5, 4)).toBe(3);
    expect(zoomedRadius(1.5, 100)).toBe(6);
    expect(zoomedRadius(6, 0.5)).toBeCloseTo(4.24, 2);
  });

  it("shortenedLine stops the given gaps short of both ends", () => {
    expect(shortenedLine(0, 1, 0.5, identity, () => 0, 10, 20)).toEqual({ from: 0, to: 1, x1: 10, y1: 0, x2: 80, y2: 0, score: 0.5 });
  });

  it("shortenedLine collapses to the midpoint when the points are closer than the gaps", () => {
    const line = shortenedLine(0, 1, 0.5, (i) => [0, 10][i], () => 0, 10, 10);
    expect([line.x1, line.x2]).toEqual([5, 5]);
  });

  it("overlayFrame draws one line per neighbour of the hovered point and labels it and its neighbours bold", () => {
    const frame: RenderFrame = {
      baseX: Float32Array.from([100, 200, 300]),
      baseY: Float32Array.from([100, 150, 100]),
      colorSlot: new Uint8Array(3),
      state: new Uint8Array(3),
      transform: { k: 1, x: 0, y: 0 },
      width: 400,
      height: 300,
      radius: 6,
      colors: { palette: ["#000"], text: "#000", surface: "#fff", accent: "#00f" },
      moving: false,
    };
    const neighbours = [[{ index: 1, score: 0.66 }, { index: 2, score: 0.4 }], [], []];
    const states = pointStates({ count: 3, hovered: 0, selection: [], highlight: [], neighbours, groups: [], activeGroup: null });
    frame.state = states.state;
    const overlay = overlayFrame({ frame, states, neighbours, texts: ["cat", "dog", "car"], priority: [0, 1, 2], requiredLabels: 1, labelWidth: (index) => [20, 22, 20][index] });
    expect(overlay.lines.map((line) => [line.from, line.to, line.score])).toEqual([[0, 1, 0.66], [0, 2, 0.4]]);
    expect(overlay.labels.map((label) => label.index).sort()).toEqual([0, 1, 2]);
    expect([...overlay.strong].sort()).toEqual([0, 1, 2]);
    expect(overlay.faint.size).toBe(0);
  });
});
