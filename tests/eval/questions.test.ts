import { describe, expect, it } from "vitest";
import { buildCorpus } from "@/scripts/eval-retrieval/corpus";
import { parseManPage } from "@/scripts/eval-retrieval/man-pages";
import { buildManPageQuestions, collapseWhitespace, isProseSentence, proseSentences } from "@/scripts/eval-retrieval/questions";
import { fixtureWordNet } from "./wordnet-fixture";

/** A page as groff renders it at 80 columns: header, headings at the margin, indented text, footer. */
const signalPage = `signal(7)              Miscellaneous Information Manual              signal(7)

NAME
       signal - overview of signals

DESCRIPTION
       Linux supports both POSIX reliable signals (hereinafter "standard
       signals") and POSIX real-time signals.

   Signal dispositions
       Each signal has a current disposition, which determines how the process
       behaves when it is delivered the signal.

       Term   Default action is to terminate the process.

       A child created via fork(2) inherits a copy of its parent's signal
       dispositions and the mask of blocked signals of the parent.

EXAMPLES
       The following program installs a handler for the signal and then waits.

SEE ALSO
       kill(1), sigaction(2)

Linux man-pages 6.03              2023-02-10                            signal(7)`;

const lsPage = `LS(1)                              用户命令                              LS(1)

名称
       ls - 列出目录内容

描述
       列出指定“文件”（默认为当前目录）的信息。如果既没有指定 -cftuvSUX
       中任何一个，也没有指定 --sort，则按字母排序项目。

       必选参数对长短选项同时适用。

GNU coreutils 9.1                  2022年9月                             LS(1)`;

describe("parseManPage(text)", () => {
  it("finds the headings at the margin between header and footer, with their bodies", () => {
    const page = parseManPage(signalPage);
    expect(page.sections.map((section) => section.title)).toEqual(["NAME", "DESCRIPTION", "EXAMPLES", "SEE ALSO"]);
    const seeAlso = page.sections[3];
    expect(signalPage.slice(seeAlso.start, seeAlso.end).trim()).toBe("kill(1), sigaction(2)");
    expect(page.names).toEqual(["signal"]);
    expect(page.description).toBe("overview of signals");
  });

  it("reads a Chinese page's 名称 line and several names", () => {
    expect(parseManPage(lsPage)).toMatchObject({ names: ["ls"], description: "列出目录内容" });
    const utf8 = parseManPage("utf-8(7)   x   utf-8(7)\n\nNAME\n       utf-8, UTF-8 - an ASCII compatible\n       multibyte Unicode encoding\n\nfooter");
    expect(utf8).toMatchObject({ names: ["utf-8", "utf-8"], description: "an ASCII compatible multibyte Unicode encoding" });
  });

  it("gives no names or description to a page without a NAME line", () => {
    expect(parseManPage("head\n\nDESCRIPTION\n       text\n\nfoot")).toMatchObject({ names: [], description: null });
  });
});

describe("collapseWhitespace(text, start, end)", () => {
  it("makes each run of whitespace one space and maps every character back", () => {
    const text = "  ab\n       cd  e ";
    const { text: collapsed, offsets } = collapseWhitespace(text, 0, text.length);
    expect(collapsed).toBe("ab cd e");
    expect([...collapsed].map((character, i) => (character === " " ? /\s/.test(text[offsets[i]]) : text[offsets[i]] === character))).toEqual(Array(7).fill(true));
  });
});

describe("isProseSentence(sentence, language)", () => {
  it("takes English prose of 10–45 words ending in a full stop", () => {
    expect(isProseSentence("Each signal has a current disposition, which determines how the process behaves.", "en")).toBe(true);
    expect(isProseSentence("Default action is to terminate the process.", "en")).toBe(false); // 7 words
    expect(isProseSentence("each signal has a current disposition, which determines how the process behaves.", "en")).toBe(false);
    expect(isProseSentence("Each signal has a current disposition, which determines how the process behaves", "en")).toBe(false);
  });

  it("turns away code and sentences made mostly of identifiers", () => {
    expect(isProseSentence("The call is written as int x = sigaction(SIGINT, &act, NULL); in the examples here.", "en")).toBe(false);
    expect(isProseSentence("The fields are st_dev st_ino st_mode st_nlink st_uid st_gid st_rdev st_size st_blksize.", "en")).toBe(false);
  });

  it("takes Chinese sentences of 15–150 characters ending in 。, mostly Han", () => {
    expect(isProseSentence("列出指定文件的信息，默认为当前目录，并按字母排序项目。", "zh")).toBe(true);
    expect(isProseSentence("必选参数对长短选项同时适用。", "zh")).toBe(false); // 14 characters
    expect(isProseSentence("列出指定文件 --sort --format --color --time-style 的信息。", "zh")).toBe(false);
  });
});

describe("proseSentences(text, section, language)", () => {
  it("gives the prose sentences of a section with their spans as written, line breaks inside", () => {
    const description = parseManPage(signalPage).sections[1];
    const sentences = proseSentences(signalPage, description, "en");
    expect(sentences.map((sentence) => sentence.text)).toEqual([
      'Linux supports both POSIX reliable signals (hereinafter "standard signals") and POSIX real-time signals.',
      "Each signal has a current disposition, which determines how the process behaves when it is delivered the signal.",
      "A child created via fork(2) inherits a copy of its parent's signal dispositions and the mask of blocked signals of the parent.",
    ]);
    for (const sentence of sentences) {
      expect(collapseWhitespace(signalPage, sentence.start, sentence.end).text).toBe(sentence.text);
      expect(signalPage.slice(sentence.start, sentence.end)).toMatch(/\n {7}/);
    }
  });
});

describe("buildManPageQuestions(corpus, options)", () => {
  const corpus = buildCorpus([
    { name: "signal.7", text: signalPage },
    { name: "copy.7", text: signalPage.replace("signal - overview of signals", "copy - the same text again").replace(/signal\(7\)/g, "copy(7)") },
    { name: "ls.1", text: lsPage },
  ]);
  const wordnet = fixtureWordNet();

  it("asks for each page by its NAME description, the page's names removed", () => {
    const questions = buildManPageQuestions(corpus, { language: "en", wordnet });
    const named = questions.filter((question) => question.level === "page");
    expect(named.map((question) => [question.id, question.page, question.source])).toEqual([
      ["signal.7#name", 0, "overview of signals"],
      ["copy.7#name", 1, "the same text again"],
    ]);
    for (const question of named) expect(question.question.split(" ")).not.toContain("signal");
  });

  it("asks no passage questions from sentences found on two pages", () => {
    // Pages 0 and 1 share every sentence: only the NAME questions are left for them.
    expect(buildManPageQuestions(corpus, { language: "en", wordnet }).filter((question) => question.level === "passage")).toEqual([]);
  });

  it("gives passage questions the chunks holding their sentence, at most perPage a page, the same every run", () => {
    const single = buildCorpus([corpus.pages[0]]);
    const questions = buildManPageQuestions(single, { language: "en", wordnet, perPage: 2, seed: 5 });
    const passages = questions.filter((question) => question.level === "passage");
    expect(passages).toHaveLength(2);
    for (const question of passages) {
      expect(question.relevant!.length).toBeGreaterThan(0);
      for (const chunk of question.relevant!) expect(single.chunks[chunk].start <= question.span!.start && single.chunks[chunk].end >= question.span!.end).toBe(true);
      expect(question.question).not.toBe(question.source);
      expect(question.overlap).toBeGreaterThan(0);
      expect(question.overlap).toBeLessThanOrEqual(1);
    }
    expect(buildManPageQuestions(single, { language: "en", wordnet, perPage: 2, seed: 5 })).toEqual(questions);
  });

  it("builds Chinese questions without WordNet and refuses English ones without it", () => {
    const chinese = buildManPageQuestions(buildCorpus([corpus.pages[2]]), { language: "zh" });
    expect(chinese.map((question) => [question.id, question.level])).toEqual([
      ["ls.1#name", "page"],
      ["ls.1#1", "passage"],
      ["ls.1#2", "passage"],
    ]);
    expect(() => buildManPageQuestions(corpus, { language: "en" })).toThrow("English questions need WordNet (options.wordnet).");
  });
});
