import { describe, expect, it } from "vitest";
import { describePoint, describeSelection } from "@/components/map/describe";

const input = {
  labels: ["cat", "dog", "pet", "car"],
  groups: [0, 0, 0, 1],
  groupNames: ["animals", "things"],
  neighbours: [[{ index: 1, score: 0.657 }, { index: 2, score: 0.61 }], [], [], []],
};

describe("describePoint", () => {
  it("describePoint names the point, its group and its neighbours with cosine to 2 decimals", () => {
    expect(describePoint(0, input)).toBe("cat (animals). Nearest: dog 0.66, pet 0.61.");
  });

  it("describePoint leaves out what it does not know", () => {
    expect(describePoint(3, { labels: input.labels })).toBe("car.");
  });
});

describe("describeSelection", () => {
  it("describeSelection describes one pinned point in full", () => {
    expect(describeSelection([0], input)).toBe("Selected cat (animals). Nearest: dog 0.66, pet 0.61.");
  });

  it("describeSelection lists several, and says when the selection is cleared", () => {
    expect(describeSelection([3, 1], input)).toBe("Selected 2 points: car, dog.");
    expect(describeSelection([], input)).toBe("Selection cleared.");
  });
});
