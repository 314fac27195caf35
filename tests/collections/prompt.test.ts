import { describe, expect, it } from "vitest";
import { buildPrompt, defaultPromptTemplate, formatContext } from "@/lib/collections/prompt";

describe("formatContext(passages)", () => {
  it("numbers passages from 1 and folds their whitespace", () => {
    expect(formatContext(["Bees make honey.", "Water\n evaporates."])).toBe("[1] Bees make honey.\n\n[2] Water evaporates.");
  });

  it("is empty for no passages", () => {
    expect(formatContext([])).toBe("");
  });
});

describe("buildPrompt(template, { passages, question })", () => {
  it("puts the numbered passages and the question into the default template", () => {
    const prompt = buildPrompt(defaultPromptTemplate, { passages: ["Bees make honey."], question: " How is honey made? " });
    expect(prompt).toContain("Passages:\n[1] Bees make honey.\n\nQuestion: How is honey made?\n\nAnswer:");
    expect(prompt).not.toMatch(/\{\{/);
  });

  it("replaces every placeholder and keeps '$' patterns in passages literal", () => {
    const prompt = buildPrompt("{{question}} / {{context}} / {{question}}", { passages: ["costs $& and $1"], question: "Q" });
    expect(prompt).toBe("Q / [1] costs $& and $1 / Q");
  });

  it("leaves a template without placeholders as it is", () => {
    expect(buildPrompt("Just answer.", { passages: ["x"], question: "y" })).toBe("Just answer.");
  });
});
