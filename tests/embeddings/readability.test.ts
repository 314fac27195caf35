import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { glove } from "@/lib/embeddings/glove";
import { checkReadable, mergeWarnings, warningsField } from "@/lib/embeddings/readability";
import { useLite } from "@/lib/embeddings/use-lite";
import { collapseWhitespace, readByTokens, readUseLite } from "@/lib/embeddings/use-lite-tokens";
import { appErrorOf } from "../support/app-errors";

const essayWords = ["猫", "动物", "宠物", "汽车", "卡车", "香蕉"];

describe("readUseLite(texts)", () => {
  it("finds no letter or digit use-lite knows in the essay's Chinese words", async () => {
    const readings = await readUseLite(essayWords);
    expect(readings.map((reading) => reading.readable)).toEqual([false, false, false, false, false, false]);
    expect(readings[0].unknown).toEqual(["猫"]);
  });

  it("reads English, and names the unknown run inside a mixed text", async () => {
    const [english, mixed, punctuated] = await readUseLite(["a cat on a mat", "my cat 猫 sleeps", "猫!"]);
    expect(english).toEqual({ readable: true, unknown: [] });
    expect(mixed.readable).toBe(true);
    expect(mixed.unknown).toEqual(["猫"]);
    // A known "!" says nothing about the text: still unreadable.
    expect(punctuated.readable).toBe(false);
  });

  it("answers as the tokens themselves do, for English prose, code, accents, symbols and mixed scripts", async () => {
    const readme = readFileSync("README.md", "utf8");
    const texts = [
      ...Array.from({ length: 60 }, (_, i) => collapseWhitespace(readme.slice(i * 800, i * 800 + 800))),
      "naïve café déjà vu", "x² + y² = z²", "price: 5 € or $6", "Ελληνικά and English", "emoji 🦄 here", "«quoted» — dash", "猫 and cat", "ǅ ﬁ ℌ",
    ];
    const fast = await readUseLite(texts);
    const exact = await Promise.all(texts.map((text) => readByTokens(collapseWhitespace(text))));
    expect(fast).toEqual(exact);
  });

  it("reads a text with line breaks as embed() sends it, with the whitespace collapsed", async () => {
    const [reading] = await readUseLite(["cat\n\tdog"]);
    expect(reading).toEqual({ readable: true, unknown: [] });
  });
});

describe("checkReadable(model, texts)", () => {
  it("refuses use-lite's all-unknown texts with unreadable:texts, naming every one and a model that reads them", async () => {
    const error = await appErrorOf(checkReadable(useLite, ["cat", ...essayWords]));
    expect(error.code).toBe("unreadable:texts");
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/^use-lite cannot read "猫", "动物", "宠物", "汽车", "卡车" and 1 more/);
    expect(error.details).toMatchObject({ model: "use-lite", texts: essayWords });
    expect((error.details!.readableBy as string[])).toContain("cedict-glove-100d");
    expect((error.details!.readableBy as string[])).not.toContain("glove-100d");
  });

  it("suggests use-lite for names GloVe does not know", async () => {
    const error = await appErrorOf(checkReadable(glove, ["qwzxvbn"]));
    expect(error.code).toBe("unreadable:texts");
    expect(error.details).toMatchObject({ model: "glove-100d", texts: ["qwzxvbn"], readableBy: expect.arrayContaining(["use-lite"]) });
  });

  it("warns once per text with some unknown pieces, and says nothing about texts it knows", async () => {
    const warnings = await checkReadable(glove, ["the cat qwzxvbn", "dog", "the cat qwzxvbn"]);
    expect(warnings).toEqual([
      {
        code: "unknown_pieces",
        text: "the cat qwzxvbn",
        unknown: ["qwzxvbn"],
        message: 'glove-100d does not know "qwzxvbn" in "the cat qwzxvbn": its vector stands for the rest of the text.',
      },
    ]);
    expect(await checkReadable(useLite, ["cat", "dog"])).toEqual([]);
  });

  it("passes every text of a model that cannot tell (no read())", async () => {
    const remoteLike = { info: useLite.info, embed: useLite.embed };
    expect(await checkReadable(remoteLike, essayWords)).toEqual([]);
  });
});

describe("warningsField(warnings) and mergeWarnings(...lists)", () => {
  const warning = (text: string) => ({ code: "unknown_pieces" as const, text, unknown: ["x"], message: "m" });

  it("adds no field for no warnings, and keeps each text's warning once when merging", () => {
    expect(warningsField([])).toEqual({});
    expect(warningsField([warning("a")])).toEqual({ warnings: [warning("a")] });
    expect(mergeWarnings([warning("a"), warning("b")], [warning("a"), warning("c")]).map(({ text }) => text)).toEqual(["a", "b", "c"]);
  });
});
