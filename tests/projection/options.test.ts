import { describe, expect, it } from "vitest";
import { withDefaults } from "@/lib/projection/options";

describe("withDefaults(defaults, options)", () => {
  it("lets given options override the defaults", () => {
    expect(withDefaults({ k: 5, seed: 42 }, { k: 3 })).toEqual({ k: 3, seed: 42 });
  });

  it("keeps a default when the option is given as undefined", () => {
    expect(withDefaults({ k: 5, seed: 42 }, { k: undefined, seed: 1 })).toEqual({ k: 5, seed: 1 });
  });

  it("keeps options that have no default", () => {
    expect(withDefaults({ k: 5 }, { extra: "yes" })).toEqual({ k: 5, extra: "yes" });
  });
});
