import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createLibimeModel, predictAfter, segmentForTable } from "@/lib/next-token/libime";
import { loadPredictionTable, parseTable, type PredictionTable } from "@/lib/next-token/libime-table";
import { libimePaths } from "@/lib/next-token/registry";

/** The real libime table, dumped once into a temporary DATA_DIR (skipped where Debian's packages are missing). */
const debian = libimePaths({});
const installed = fs.existsSync(debian.binary) && fs.existsSync(debian.source);
if (!installed) console.warn("NOTICE: libime-bin or libime-data-language-model missing (sudo bash scripts/ci/install-libime.sh): the libime tests are skipped.");

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "next-token-"));

describe.skipIf(!installed)("the libime model", () => {
  let table: PredictionTable;
  const model = createLibimeModel({ ...debian, cacheFile: path.join(tempDir(), "table.txt") });

  beforeAll(async () => {
    table = (await model.load()).table;
  });

  it("segmentForTable cuts the essay's sentence into the model's own words 人工/智能/的/未来/将", () => {
    expect(segmentForTable("人工智能的未来将", table)).toEqual(["人工", "智能", "的", "未来", "将"]);
  });

  it("predict after 人工智能的未来将 puts 会 first (≈ 0.19), then 其, 在, 是", async () => {
    const { context, tokens, note } = await model.predict({ text: "人工智能的未来将", k: 10 });
    expect(context).toEqual(["人工", "智能", "的", "未来", "将"]);
    expect(tokens.slice(0, 4).map((token) => token.text)).toEqual(["会", "其", "在", "是"]);
    expect(tokens[0].probability).toBeCloseTo(0.19, 2);
    expect(note).toBeUndefined();
  });

  it("predict answers probabilities in [0, 1], best first, summing to at most 1, at most 15 even for k = 50", async () => {
    for (const text of ["人工智能的未来将", "我们", "的"]) {
      const { tokens } = await model.predict({ text, k: 50 });
      expect(tokens.length).toBeGreaterThan(0);
      expect(tokens.length).toBeLessThanOrEqual(15);
      expect(tokens.reduce((sum, token) => sum + token.probability, 0)).toBeLessThanOrEqual(1);
      tokens.forEach((token, i) => {
        expect(token.probability).toBeGreaterThan(0);
        if (i > 0) expect(token.probability).toBeLessThanOrEqual(tokens[i - 1].probability);
      });
    }
  });

  it("predict takes appended tokens as tokens: after 将 + 会 it predicts from 会, not from a re-read 将会", async () => {
    const after = await model.predict({ text: "人工智能的未来将", appended: ["会"], k: 3 });
    expect(after.context.at(-1)).toBe("会");
    expect(after.tokens).toEqual((await model.predict({ text: "会", k: 3 })).tokens);
  });

  it("a last word without next words backs off to its longest ending that has some, and says so", async () => {
    expect(table.vocabulary.has("训练所")).toBe(true);
    expect(table.next.has("训练所")).toBe(false);
    const { context, tokens, note } = await model.predict({ text: "训练所", k: 5 });
    expect(context).toEqual(["训练所"]);
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens).toEqual((await model.predict({ text: "所", k: 5 })).tokens);
    expect(note).toBe("The model has no next words after “训练所”; it backed off to its ending “所”.");
  });

  it("a last word the model cannot predict from gives an empty distribution and a note, never a guess", async () => {
    expect(await model.predict({ text: "hello", k: 5 })).toEqual({ context: ["hello"], tokens: [], note: "“hello” is not Chinese: this model only knows what follows Chinese words." });
    const fake: PredictionTable = { ...table, next: new Map([["猫", [{ word: "在", score: -1 }]]]) };
    expect(predictAfter(["我", "狗"], fake, 5)).toEqual({
      context: ["我", "狗"],
      tokens: [],
      note: "The model has no next words after “狗” (a word it has seen only after others), so it cannot say what comes next.",
    });
  });
});

describe("the libime table cache", () => {
  it.skipIf(!installed)("dumps the table when the cached file is missing, reuses it next time, and rebuilds a broken one", async () => {
    const cacheFile = path.join(tempDir(), "nested", "table.txt");
    const paths = { ...debian, cacheFile };
    const first = await loadPredictionTable(paths);
    expect(first.dumped).toBe("missing");
    expect(first.table.entries).toBe(184_765);
    expect((await loadPredictionTable(paths)).dumped).toBe(false);

    fs.writeFileSync(cacheFile, "将|会 -4.7\n将|half a line");
    const rebuilt = await loadPredictionTable(paths);
    expect(rebuilt.dumped).toBe("broken");
    expect(rebuilt.table.entries).toBe(184_765);
    fs.writeFileSync(cacheFile, "");
    expect((await loadPredictionTable(paths)).dumped).toBe("broken");
  });

  it("parseTable names the first bad line and refuses an empty table", () => {
    expect(() => parseTable("将|会 -4.78\n将 会\n")).toThrow('line 2 is not "word|next score": "将 会"');
    expect(() => parseTable("")).toThrow("the table has no entries");
    const table = parseTable("将|其 -5.0\n将|会 -4.8\n");
    expect(table.next.get("将")).toEqual([{ word: "会", score: -4.8 }, { word: "其", score: -5 }]);
    expect([...table.vocabulary]).toEqual(["将", "其", "会"]);
  });

  it("a missing libime_prediction makes the model unavailable with the install command, and predict a 503", async () => {
    const model = createLibimeModel({ binary: path.join(tempDir(), "no-such-libime_prediction"), source: debian.source, cacheFile: path.join(tempDir(), "t.txt") });
    const info = await model.info();
    expect(info).toMatchObject({ id: "libime-zh", available: false, label: expect.stringContaining("n-gram model, not a neural LLM") });
    expect(info.install).toContain("sudo bash scripts/ci/install-libime.sh");
    expect(info.install).toContain("apt-get install -y --no-install-recommends libime-bin libime-data-language-model");
    await expect(model.predict({ text: "将", k: 3 })).rejects.toMatchObject({ status: 503, code: "unavailable:next_token_model", message: expect.stringContaining("install-libime.sh") });
  });
});
