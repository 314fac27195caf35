import { describe, expect, it } from "vitest";
import { analyze, isStopTerm, queryTerms } from "@/lib/hybrid-search/analyze";
import { reciprocalRankFusion } from "@/lib/hybrid-search/fusion";
import { highlightSpans, highlightTerms } from "@/lib/hybrid-search/search";
import { anyTermQuery, chunkSearchTerms } from "@/lib/hybrid-search/tsvector";

const terms = (text: string) => analyze(text).map((term) => term.term);

describe("keyword analysis", () => {
  it("segments Chinese into words and keeps one-character words", () => {
    expect(terms("猫是一种宠物，也是动物。")).toEqual(["猫", "是", "一种", "宠物", "也是", "动物"]);
    expect(terms("人工智能的未来将会改变世界")).toEqual(["人工", "智能", "的", "未来", "将会", "改变", "世界"]);
  });

  it("adds the character pairs of a long Chinese or Japanese word, so another cut of the same text still matches", () => {
    expect(terms("人工智能")).toEqual(expect.arrayContaining(["人工", "智能"]));
    expect(terms("東京の猫")).toEqual(["東京", "の", "猫"]);
  });

  it("gives an English word itself and its stem, keeps stop words, and never stems other scripts", () => {
    expect(terms("The directories removed")).toEqual(["the", "~the", "directories", "~directori", "removed", "~remov"]);
    expect(terms("Привет мир")).toEqual(["привет", "мир"]);
    expect(terms("user's files")).toEqual(["user", "~user", "files", "~file"]);
  });

  it("keeps stop words out of the index lookup only", () => {
    expect(["the", "~the", "of", "的", "是"].every(isStopTerm)).toBe(true);
    expect(["directories", "~directori", "猫", "~us"].some(isStopTerm)).toBe(false);
  });

  it("folds full-width letters and case, so ＰｇＶｅｃｔｏｒ matches pgvector", () => {
    expect(terms("ＰｇＶｅｃｔｏｒ")).toEqual(terms("pgvector"));
    expect(terms("pgvector")).toEqual(["pgvector", "~pgvector"]);
  });

  it("keeps numbers and identifiers whole and leaves out words too long to be words", () => {
    expect(terms("x86_64 3.14 " + "a".repeat(60))).toEqual(["x86_64", "3.14"]);
  });

  it("gives every term the offsets of its word, also across the pieces a long text is cut into", () => {
    const text = `${"Bees make honey. ".repeat(40)}\n蜜蜂酿造蜂蜜。${"Volcanoes erupt lava. ".repeat(40)}`;
    const found = analyze(text);
    expect(found.length).toBeGreaterThan(200);
    for (const { term, start, end } of found) {
      const word = text.slice(start, end).toLowerCase();
      expect(word.length).toBeGreaterThan(0);
      const bare = term.replace(/^~/, "");
      expect(/[\p{Script=Han}]/u.test(bare) ? word.includes(bare[0]) : word.startsWith(bare.slice(0, 3))).toBe(true);
    }
    expect(found.filter((term) => term.term === "~honei")).toHaveLength(40);
    expect(found.filter((term) => term.term === "lava")).toHaveLength(40);
  });

  it("a question's terms are distinct, in order", () => {
    expect(queryTerms("Bees gather honey? Honey!")).toEqual(["bees", "~bee", "gather", "~gather", "honey", "~honei"]);
  });
});

describe("full-text literals", () => {
  it("writes a tsvector with each term's positions and the text's term count", () => {
    expect(chunkSearchTerms("bees, bees honey")).toEqual({ tsvector: "'bees':1,3 '~bee':2,4 'honey':5 '~honei':6", length: 6 });
    expect(chunkSearchTerms("user's").tsvector).toBe("'user':1 '~user':2");
  });

  it("quotes what a tsquery would otherwise parse", () => {
    expect(anyTermQuery(["a'b", "c\\d", "猫"])).toBe("'a''b' | 'c\\\\d' | '猫'");
  });
});

describe("reciprocal rank fusion", () => {
  it("sums 1 / (60 + rank) over the lists, so an item high on both wins", () => {
    const scores = reciprocalRankFusion([
      ["a", "b", "c"],
      ["c", "a", "d"],
    ]);
    expect(scores.get("a")).toBeCloseTo(1 / 61 + 1 / 62, 12);
    expect(scores.get("d")).toBeCloseTo(1 / 63, 12);
    const order = [...scores].sort((x, y) => y[1] - x[1]).map(([id]) => id);
    expect(order).toEqual(["a", "c", "b", "d"]);
  });
});

describe("highlights", () => {
  it("marks the words holding a question's terms, in every script, merging a word's pairs into one span", () => {
    const text = "Honey bees make honey. 人工智能的蜜蜂";
    const spans = highlightSpans(text, new Set(queryTerms("honey 人工智能"))).map(([start, end]) => text.slice(start, end));
    // However the segmenter cut 人工智能 in this text, its words are marked, each on its own.
    expect(spans.slice(0, 2)).toEqual(["Honey", "honey"]);
    expect(spans.slice(2).join("")).toBe("人工智能");
    expect(spans.slice(2).every((span) => span.length >= 2)).toBe(true);
    expect(highlightSpans(text, new Set())).toEqual([]);
  });

  it("leaves the question's stop words unmarked, unless it has no other words", () => {
    const text = "The bees and the wasps fly to the flowers.";
    const marked = (question: string) => highlightSpans(text, highlightTerms(queryTerms(question))).map(([start, end]) => text.slice(start, end));
    expect(marked("the bees and the flowers")).toEqual(["bees", "flowers"]);
    expect(marked("and the")).toEqual(["The", "and", "the", "the"]);
    // 的 is a stop word in Chinese too.
    const chinese = "人工智能的未来";
    expect(highlightSpans(chinese, highlightTerms(queryTerms("未来的"))).map(([start, end]) => chinese.slice(start, end))).toEqual(["未来"]);
  });
});
