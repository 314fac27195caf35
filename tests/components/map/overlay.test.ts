import { describe, expect, it } from "vitest";
import { placeScores, scorePosition } from "@/components/map/overlay";

const line = (x1: number, y1: number, x2: number, y2: number) => ({ from: 0, to: 1, x1, y1, x2, y2, score: 0.5 });

describe("scorePosition", () => {
  it("scorePosition puts the score at the middle of a line inside the viewport", () => {
    expect(scorePosition(line(0, 0, 100, 50), 200, 200)).toEqual([50, 25]);
  });

  it("scorePosition keeps the score on screen when the neighbour is off-screen", () => {
    expect(scorePosition(line(50, 50, 450, 50), 200, 200)).toEqual([125, 50]);
  });
});

describe("placeScores", () => {
  it("placeScores moves the score of a second, nearly parallel line away from the first", () => {
    const [first, second] = placeScores([line(0, 100, 200, 100), line(0, 104, 200, 104)], 400, 400);
    expect([first.scoreX, first.scoreY]).toEqual([100, 100]);
    expect(second.scoreX).not.toBe(100);
  });
});
