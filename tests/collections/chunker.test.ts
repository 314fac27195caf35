import { describe, expect, it } from "vitest";
import { chunkDefaults, chunkText, normalizeLineEndings, type Chunk, type ChunkOptions } from "@/lib/collections/chunker";
import { createRandom } from "@/lib/projection/random";

/** A sentence of exactly `length` characters (≥ 12) ending in ". ", numbered so each is distinct. */
function sentence(n: number, length = 60): string {
  const head = `S${n} `;
  return head + "bees make honey ".repeat(length).slice(0, length - head.length - 2).trimEnd().padEnd(length - head.length - 2, "x") + ". ";
}
const paragraph = (from: number, count: number, length = 60) =>
  Array.from({ length: count }, (_, i) => sentence(from + i, length)).join("").trim();

/** Every invariant a chunking must keep; returns the chunks for further checks. */
function checked(text: string, options: ChunkOptions = {}): Chunk[] {
  const { size = chunkDefaults.size, overlap = chunkDefaults.overlap } = options;
  const normalised = normalizeLineEndings(text);
  const chunks = chunkText(text, options);
  // `containing`, not iterating: V8's segment iterator is slow on long strings.
  const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" }).segment(normalised);
  const isGraphemeBoundary = (i: number) => i === normalised.length || graphemes.containing(i)!.index === i;
  let covered = 0;
  chunks.forEach((chunk, i) => {
    expect(chunk.text).toBe(normalised.slice(chunk.start, chunk.end));
    expect(chunk.text.length).toBeGreaterThan(0);
    expect(chunk.text.length).toBeLessThanOrEqual(size);
    expect(chunk.text).toBe(chunk.text.trim());
    expect(isGraphemeBoundary(chunk.start) && isGraphemeBoundary(chunk.end)).toBe(true);
    expect(normalised.slice(covered, chunk.start).trim()).toBe(""); // nothing left out between chunks
    if (i > 0) {
      const previous = chunks[i - 1];
      expect(chunk.start).toBeGreaterThan(previous.start);
      expect(chunk.end).toBeGreaterThan(previous.end);
      expect(Math.max(0, previous.end - chunk.start)).toBeLessThanOrEqual(overlap);
    }
    covered = Math.max(covered, chunk.end);
  });
  expect(normalised.slice(covered).trim()).toBe("");
  return chunks;
}

describe("chunkDefaults", () => {
  it("is size 800, overlap 100, unit characters", () => {
    expect(chunkDefaults).toEqual({ size: 800, overlap: 100, unit: "characters" });
  });
});

describe("chunkText(text, options)", () => {
  it("returns no chunks for empty or whitespace-only text", () => {
    expect(chunkText("")).toEqual([]);
    expect(chunkText(" \n\r\n\t \u3000 ")).toEqual([]);
  });

  it("returns a short text as one trimmed chunk whose offsets point into the text", () => {
    expect(chunkText("  The cat sat on the mat.\n")).toEqual([{ text: "The cat sat on the mat.", start: 2, end: 25 }]);
  });

  it("normalises \\r\\n and \\r to \\n, and offsets index the normalised text", () => {
    const text = "First line.\r\nSecond line.\rThird.\r\n\r\n" + paragraph(1, 8);
    const chunks = checked(text, { size: 200, overlap: 0 });
    expect(chunks[0].text.startsWith("First line.\nSecond line.\nThird.")).toBe(true);
    expect(chunks.every((chunk) => !chunk.text.includes("\r"))).toBe(true);
  });

  it("keeps paragraphs whole when they fit, several to a chunk", () => {
    const paragraphs = [paragraph(1, 2), paragraph(3, 2), paragraph(5, 4), paragraph(9, 3)]; // 119, 119, 239, 179 characters
    const chunks = checked(paragraphs.join("\n\n"), { size: 300, overlap: 0 });
    expect(chunks.map((chunk) => chunk.text)).toEqual([`${paragraphs[0]}\n\n${paragraphs[1]}`, paragraphs[2], paragraphs[3]]);
  });

  it("keeps each paragraph that fits whole in some chunk when chunks overlap", () => {
    const paragraphs = [paragraph(1, 4), paragraph(5, 4), paragraph(9, 4), paragraph(13, 4)];
    const chunks = checked(paragraphs.join("\n\n"), { size: 300, overlap: 100 });
    for (const p of paragraphs) expect(chunks.some((chunk) => chunk.text.includes(p))).toBe(true);
  });

  it("cuts a paragraph longer than size at sentence ends", () => {
    const chunks = checked(paragraph(1, 20), { size: 300, overlap: 0 });
    expect(chunks.map((chunk) => chunk.text.length)).toEqual([299, 299, 299, 299]);
    for (const chunk of chunks) {
      expect(chunk.text).toMatch(/^S\d+ /);
      expect(chunk.text).toMatch(/\.$/);
    }
  });

  it("fills a chunk with the first sentences of a paragraph too long to keep whole", () => {
    const chunks = checked(`A short title\n\n${paragraph(1, 20)}`, { size: 300, overlap: 0 });
    expect(chunks[0].text).toMatch(/^A short title\n\nS1 .*S4 [^\n]*\.$/s);
  });

  it("starts each chunk with the tail of the previous one, at most overlap characters, at a sentence start", () => {
    const chunks = checked(paragraph(1, 30), { size: 300, overlap: 100 });
    for (let i = 1; i < chunks.length; i++) {
      const shared = chunks[i - 1].end - chunks[i].start;
      expect(shared).toBeGreaterThan(0);
      expect(shared).toBeLessThanOrEqual(100);
      expect(chunks[i - 1].text.endsWith(chunks[i].text.slice(0, shared))).toBe(true);
      expect(chunks[i].text).toMatch(/^S\d+ /);
    }
  });

  it("takes the overlap from a word start when no sentence starts in the tail", () => {
    const words = Array.from({ length: 200 }, (_, i) => `word${i}`).join(" ");
    const chunks = checked(words, { size: 200, overlap: 40 });
    for (let i = 1; i < chunks.length; i++) {
      expect(chunks[i - 1].end - chunks[i].start).toBeGreaterThan(0);
      expect(chunks[i].text).toMatch(/^word\d+ /);
      expect(chunks[i - 1].text).toMatch(/word\d+$/);
    }
  });

  it("shares nothing between chunks with overlap 0", () => {
    const chunks = checked(paragraph(1, 30), { size: 300, overlap: 0 });
    for (let i = 1; i < chunks.length; i++) expect(chunks[i].start).toBeGreaterThanOrEqual(chunks[i - 1].end);
  });

  it("never makes a chunk longer than size, over seeded random texts of words, sentences, lines and paragraphs", () => {
    const random = createRandom(42);
    const pieces = ["bee", "hive", "honey", "pollinating", "e\u0301te\u0301", "👨‍👩‍👧", "🇫🇷🇩🇪", "蜂蜜", "。", ". ", "! ", "? ", "\n", "\n\n", " ", "  ", "x".repeat(150), "Mr. ", "…"];
    for (let run = 0; run < 40; run++) {
      const parts: string[] = [];
      const length = 50 + Math.floor(random() * 800);
      for (let i = 0; i < length; i++) parts.push(pieces[Math.floor(random() * pieces.length)], " ");
      const size = 100 + Math.floor(random() * 400);
      checked(parts.join(""), { size, overlap: Math.floor(random() * (Math.floor(size / 2) + 1)) });
    }
  });

  it("never splits a surrogate pair, a combining sequence or a ZWJ emoji, even with no other place to cut", () => {
    for (const unit of ["😀", "e\u0301", "q\u0307\u0323", "👨‍👩‍👧", "🇫🇷", "👍🏽"]) {
      const chunks = checked(unit.repeat(Math.ceil(450 / unit.length)), { size: 100, overlap: 30 });
      expect(chunks.length).toBeGreaterThan(3);
      for (const chunk of chunks) expect(chunk.text).toBe(unit.repeat(chunk.text.length / unit.length));
    }
  });

  it("cuts a single word longer than size inside it, filling each chunk, and keeps the words after it whole", () => {
    const chunks = checked(`start ${"a".repeat(250)} and then some words after it.`, { size: 100, overlap: 0 });
    expect(chunks.map((chunk) => chunk.text.length)).toEqual([100, 100, 86]);
    expect(chunks[0].text).toBe(`start ${"a".repeat(94)}`);
    expect(chunks[2].text).toBe(`${"a".repeat(56)} and then some words after it.`);
  });

  it("cuts a Chinese paragraph at 。！？, which need no space after them", () => {
    const chinese =
      "蜜蜂是一种群居昆虫，生活在由蜂王、工蜂和雄蜂组成的蜂群中。工蜂负责采集花蜜和花粉，并把它们带回蜂巢。" +
      "花蜜在蜂巢中经过反复酿造，水分逐渐蒸发，最终变成蜂蜜。蜂王是蜂群中唯一能产卵的雌蜂，每天可以产下一千多枚卵！" +
      "雄蜂的主要任务是什么？是与蜂王交配，交配后不久就会死去。冬天来临时，蜜蜂会聚集成团，通过振动翅膀的肌肉来产生热量，保持蜂巢的温度。";
    const chunks = checked(chinese, { size: 100, overlap: 0 });
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.text).toMatch(/[。！？]$/);
    expect(chunks.map((chunk) => chunk.text).join("")).toBe(chinese);
  });

  it("cuts a Japanese paragraph at 。 and starts a quoted sentence with its opening 「", () => {
    const japanese =
      "東京は日本の首都であり、世界でも有数の大都市です。江戸時代には江戸と呼ばれ、徳川幕府が置かれていました。" +
      "明治時代に入ると、天皇が京都から移り住み、名前も東京に改められました。現在では約千四百万人が暮らしており、交通網が非常に発達しています。" +
      "駅の近くには古い商店街があり、毎朝たくさんの人が買い物に来ます。夕方になると、仕事帰りの人々で店はさらににぎわいます。" +
      "「いらっしゃいませ。」と店員が言いました。";
    const chunks = checked(japanese, { size: 100, overlap: 0 });
    expect(chunks.map((chunk) => chunk.text)).toEqual([
      "東京は日本の首都であり、世界でも有数の大都市です。江戸時代には江戸と呼ばれ、徳川幕府が置かれていました。明治時代に入ると、天皇が京都から移り住み、名前も東京に改められました。",
      "現在では約千四百万人が暮らしており、交通網が非常に発達しています。駅の近くには古い商店街があり、毎朝たくさんの人が買い物に来ます。夕方になると、仕事帰りの人々で店はさらににぎわいます。",
      "「いらっしゃいませ。」と店員が言いました。",
    ]);
  });

  it("cuts a CJK sentence longer than size between characters, never inside one", () => {
    const long = "我们今天在公园里看见了许多非常可爱的小猫和小狗还有一些正在树上唱歌的小鸟".repeat(6) + "。";
    const chunks = checked(long, { size: 100, overlap: 20 });
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.slice(0, -1).every((chunk) => chunk.text.length >= 80)).toBe(true);
  });

  it("does not end a sentence after a title such as Mr. or inside e.g., and treats … as a full stop", () => {
    const chunks = chunkText(`${"Bees are busy. ".repeat(6)}Mr. Smith keeps bees, e.g. in hives on his roof.`, { size: 100, overlap: 0 });
    expect(chunks.at(-1)!.text).toBe("Mr. Smith keeps bees, e.g. in hives on his roof.");
    const ellipsis = chunkText(`${"我们等了很久。".repeat(5)}又等了很久……${"终于来了".repeat(15)}`, { size: 100, overlap: 0 });
    expect(ellipsis[0].text).toBe(`${"我们等了很久。".repeat(5)}又等了很久……`);
  });

  it("cuts lines without full stops at line breaks", () => {
    const list = Array.from({ length: 12 }, (_, i) => `- item ${i} with a few words`).join("\n");
    for (const chunk of checked(list, { size: 100, overlap: 30 })) expect(chunk.text).toMatch(/^- item \d+ .*words$/s);
  });

  it("gives the same chunks every time", () => {
    const text = `${paragraph(1, 12)}\n\n${"蜜蜂是一种群居昆虫。".repeat(30)}`;
    expect(chunkText(text, { size: 150, overlap: 50 })).toEqual(chunkText(text, { size: 150, overlap: 50 }));
  });

  it("chunks a 1 MB document in well under the test timeout (Intl.Segmenter is slow on long strings)", { timeout: 10_000 }, () => {
    const chunks = chunkText(Array.from({ length: 3_000 }, (_, i) => paragraph(i * 6, 6)).join("\n\n"));
    expect(chunks.length).toBeGreaterThan(1_000);
  });

  it("rejects options out of range, naming the option and its range", () => {
    expect(() => chunkText("x", { size: 99 })).toThrow("size must be a whole number of characters from 100 to 8000, got 99.");
    expect(() => chunkText("x", { size: 8_001 })).toThrow("size must be a whole number of characters from 100 to 8000, got 8001.");
    expect(() => chunkText("x", { size: 150.5 })).toThrow("size must be a whole number of characters from 100 to 8000, got 150.5.");
    expect(() => chunkText("x", { size: 300, overlap: 151 })).toThrow(
      "overlap must be a whole number of characters from 0 to 150 (half of size 300), got 151.",
    );
    expect(() => chunkText("x", { overlap: -1 })).toThrow("overlap must be a whole number of characters from 0 to 400 (half of size 800), got -1.");
    expect(() => chunkText("x", { unit: "tokens" as "characters" })).toThrow('unit must be "characters", got "tokens".');
  });
});
