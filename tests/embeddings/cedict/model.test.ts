import { describe, expect, test } from "vitest";
import { AppError } from "@/lib/api/errors";
import { CEDICT_MODEL_ID, cedictGlove, createCedictModel } from "@/lib/embeddings/cedict/model";
import { resolveModel } from "@/lib/embeddings/registry";
import { tokenize } from "@/lib/embeddings/tokens";
import { cosine } from "@/lib/vectors";

// The real dictionary and the real GloVe vectors: the essay's six words.
const six = ["猫", "动物", "宠物", "汽车", "卡车", "香蕉"];

async function vectorsOf(texts: string[]): Promise<Map<string, number[]>> {
  const vectors = await cedictGlove.embed(texts);
  return new Map(texts.map((text, i) => [text, vectors[i]]));
}

describe("cedict-glove-100d info()", () => {
  test("is a local 100-d word model, registered, labelled as a translation bridge, reading Han and Latin", () => {
    const info = cedictGlove.info();
    expect(resolveModel(CEDICT_MODEL_ID)).toBe(cedictGlove);
    expect(info).toMatchObject({ id: "cedict-glove-100d", dims: 100, kind: "word", local: true, available: true });
    expect(info.description).toMatch(/^Chinese through a dictionary into English GloVe: a translation bridge, not a multilingual model\./);
    expect(info.description).toMatch(/CC-CEDICT \(MDBG, CC BY-SA 4\.0\)/);
    expect(info.reads).toMatchObject({ scripts: ["Han", "Latin"], languages: ["zh", "en"] });
    expect(info.reads?.note).toBeTruthy();
  });
});

describe("cedict-glove-100d embed(texts)", () => {
  test("the essay's words: 猫 is nearer 宠物 than 香蕉, 汽车 nearer 卡车 than 香蕉", async () => {
    const v = await vectorsOf(six);
    const cos = (a: string, b: string) => cosine(v.get(a)!, v.get(b)!);
    expect(cos("猫", "宠物")).toBeGreaterThan(cos("猫", "香蕉"));
    expect(cos("汽车", "卡车")).toBeGreaterThan(cos("汽车", "香蕉"));
    expect(cos("汽车", "卡车")).toBeGreaterThan(0.8);
  });

  test("宠物 or 动物 is among 猫's three nearest of the six", async () => {
    const v = await vectorsOf(six);
    const nearest = six
      .filter((word) => word !== "猫")
      .sort((a, b) => cosine(v.get("猫")!, v.get(b)!) - cosine(v.get("猫")!, v.get(a)!))
      .slice(0, 3);
    expect(nearest.some((word) => word === "宠物" || word === "动物")).toBe(true);
  });

  test("lives in GloVe's space: 猫 is near cat, and a mixed text works", async () => {
    const v = await vectorsOf(["猫", "cat", "banana", "我的猫 is a cat"]);
    expect(cosine(v.get("猫")!, v.get("cat")!)).toBeGreaterThan(0.8);
    expect(cosine(v.get("猫")!, v.get("cat")!)).toBeGreaterThan(cosine(v.get("猫")!, v.get("banana")!) + 0.3);
    const mixed = v.get("我的猫 is a cat")!;
    expect(cosine(mixed, v.get("cat")!)).toBeGreaterThan(cosine(mixed, v.get("banana")!) + 0.2);
  });

  test("English words get GloVe's own vectors, as glove-100d gives them", async () => {
    const [bridged] = await cedictGlove.embed(["cat"]);
    const [glove] = await resolveModel("glove-100d").embed(["cat"]);
    expect(bridged).toEqual(glove);
  });

  test("reads traditional and simplified characters alike", async () => {
    const v = await vectorsOf(["貓", "猫", "國王", "国王"]);
    expect(v.get("貓")).toEqual(v.get("猫"));
    expect(v.get("國王")).toEqual(v.get("国王"));
  });

  test("a word the dictionary lacks is read by its characters", async () => {
    // 猫狗 is not a headword: the mean of 猫 and 狗.
    const v = await vectorsOf(["猫狗", "猫", "狗"]);
    const mean = v.get("猫")!.map((value, i) => (value + v.get("狗")![i]) / 2);
    v.get("猫狗")!.forEach((value, i) => expect(value).toBeCloseTo(mean[i], 5));
  });

  test("refuses a text with nothing known with a 400 naming what it did not know", async () => {
    const error = await cedictGlove.embed(["猫", "𪚥𠀀 qwzxv"]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "bad_request:texts", status: 400 });
    expect((error as Error).message).toBe(
      '"𪚥𠀀 qwzxv": no word is in CC-CEDICT or GloVe\'s vocabulary (unknown: 𪚥, 𠀀, qwzxv); use Chinese or English words, or a sentence model for other languages.',
    );
    await expect(cedictGlove.embed(["，。！"])).rejects.toThrow(/it has no words, only punctuation or symbols/);
  });

  test("the Intl.Segmenter variant reads the same words the same way", async () => {
    const intl = createCedictModel({ segmenter: "intl" });
    expect(await intl.embed(["猫"])).toEqual(await cedictGlove.embed(["猫"]));
  });
});

describe("cedict-glove-100d read(texts)", () => {
  test("lists the pieces it has no vector for, in order, once each", async () => {
    expect(await cedictGlove.read!(["猫", "我的猫 qwzxv 𪚥 qwzxv", "𪚥𠀀", "，"])).toEqual([
      { readable: true, unknown: [] },
      { readable: true, unknown: ["qwzxv", "𪚥"] },
      { readable: false, unknown: ["𪚥", "𠀀"] },
      { readable: false, unknown: [] },
    ]);
  });
});

describe("cedict-glove-100d vocabulary", () => {
  test("offers simplified headwords with vectors, common ones first, ranks 1, 2, 3, …", async () => {
    const vocabulary = cedictGlove.vocabulary!;
    const words = await vocabulary.load();
    expect(words.wordCount).toBeGreaterThanOrEqual(vocabulary.wordsTarget());
    const [first] = words.batches({ limit: 1000, batchSize: 1000 });
    expect(first.map((entry) => entry.rank)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(first.every((entry) => /^\p{Script=Han}+$/u.test(entry.word) && entry.vector.length === 100)).toBe(true);
    const all = [...words.batches({ limit: vocabulary.wordsTarget(), batchSize: 10_000 })].flat().map((entry) => entry.word);
    expect(all).toHaveLength(vocabulary.wordsTarget());
    expect(new Set(all).size).toBe(all.length);
    for (const word of [...six, "国王", "男人", "女人", "女王"]) expect(all).toContain(word);
    expect(all).not.toContain("貓");
  });

  test("wordsIn(text) gives a query's words as the vocabulary spells them", async () => {
    expect(await cedictGlove.vocabulary!.wordsIn("國王 and 女人")).toEqual(["国王", "and", "女人"]);
  });
});

describe("tokenize({ model: cedict-glove-100d, text })", () => {
  test("shows the segmented words, whether each is known, and the first glosses of Chinese ones", async () => {
    const result = await tokenize({ model: CEDICT_MODEL_ID, text: "我的猫 likes qwzxv" });
    expect(result).toMatchObject({ model: CEDICT_MODEL_ID, supported: true, count: 5 });
    expect(result.tokens.map((token) => [token.text, token.known])).toEqual([
      ["我", true],
      ["的", true],
      ["猫", true],
      ["likes", true],
      ["qwzxv", false],
    ]);
    expect(result.tokens.find((token) => token.text === "猫")).toMatchObject({ id: null, known: true, glosses: expect.arrayContaining(["cat"]) });
    expect(result.tokens.find((token) => token.text === "likes")?.id).toBeGreaterThan(0);
    expect(result.note).toMatch(/^"qwzxv" is neither in CC-CEDICT/);
  });
});
