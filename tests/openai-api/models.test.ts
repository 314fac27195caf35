import { describe, expect, it } from "vitest";
import { openAiModelNames, parseModelAliases, resolveOpenAiModel } from "@/lib/openai-api/models";

describe("parseModelAliases(value)", () => {
  it("reads name=model pairs, spaces and empty entries ignored", () => {
    expect([...parseModelAliases(" text-embedding-3-small = glove-100d ,, words=cedict-glove-100d,")]).toEqual([
      ["text-embedding-3-small", "glove-100d"],
      ["words", "cedict-glove-100d"],
    ]);
  });

  it("unset or empty means no aliases", () => {
    expect(parseModelAliases(undefined).size).toBe(0);
    expect(parseModelAliases("").size).toBe(0);
  });

  it.each([
    ["small", 'entry "small" must read name=model, e.g. text-embedding-3-small=use-lite'],
    ["=use-lite", 'entry "=use-lite" must read name=model, e.g. text-embedding-3-small=use-lite'],
    ["small=", 'entry "small=" must read name=model, e.g. text-embedding-3-small=use-lite'],
    ["a=use-lite,a=glove-100d", 'alias "a" is given twice'],
    ["use-lite=glove-100d", 'alias "use-lite" is the id of an app model; choose another name'],
    ["a=glove-300d", /^alias "a" points at Unknown model "glove-300d"\. Use one of use-lite/],
  ])("refuses %s, naming the entry", (value, message) => {
    expect(() => parseModelAliases(value)).toThrow(message);
  });
});

describe("resolveOpenAiModel(name, aliases)", () => {
  const aliases = new Map([["text-embedding-3-large", "glove-100d"], ["words", "cedict-glove-100d"]]);

  it("an alias first, then OpenAI's names as the default model, then app model ids", () => {
    expect(resolveOpenAiModel("words", aliases).info().id).toBe("cedict-glove-100d");
    expect(resolveOpenAiModel("text-embedding-3-large", aliases).info().id).toBe("glove-100d");
    expect(resolveOpenAiModel("text-embedding-3-small", aliases).info().id).toBe("use-lite");
    expect(openAiModelNames.map((name) => resolveOpenAiModel(name, new Map()).info().id)).toEqual(["use-lite", "use-lite", "use-lite"]);
    expect(resolveOpenAiModel("glove-100d", new Map()).info().id).toBe("glove-100d");
  });

  it("an unknown name is bad_request:model listing app models, OpenAI's names and the aliases", () => {
    expect(() => resolveOpenAiModel("nomic-embed-text", aliases)).toThrow(
      /^Unknown model "nomic-embed-text"\. Use one of use-lite, glove-100d, cedict-glove-100d.*Here you may also send one of OpenAI's names \(text-embedding-3-small, text-embedding-3-large, text-embedding-ada-002\), the aliases text-embedding-3-large, words\.$/,
    );
  });
});
