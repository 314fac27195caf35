import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildCorpus } from "@/scripts/eval-retrieval/corpus";
import { parseQuestionLines, readCorpusDirectory } from "@/scripts/eval-retrieval/held-back";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eval-held-back-"));
fs.mkdirSync(path.join(dir, "man7"));
fs.writeFileSync(path.join(dir, "man7", "signal.txt"), "Signals\r\n\r\nA process can ignore a signal or catch it with a handler.\r\nThe default action of SIGKILL cannot be changed.");
fs.writeFileSync(path.join(dir, "bees.md"), "# Bees\n\nHoney bees make honey. Honey bees make honey.");
fs.writeFileSync(path.join(dir, "empty.txt"), "  \n");
fs.writeFileSync(path.join(dir, "notes.pdf"), "not text");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("readCorpusDirectory(dir)", () => {
  it("reads every non-empty .txt and .md file below dir by relative path, in order, line endings normalised", () => {
    const pages = readCorpusDirectory(dir);
    expect(pages.map((page) => page.name)).toEqual(["bees.md", "man7/signal.txt"]);
    expect(pages[1].text).not.toContain("\r");
  });

  it("says when the directory is missing or holds no text files", () => {
    expect(() => readCorpusDirectory(path.join(dir, "nope"))).toThrow(`--corpus ${path.join(dir, "nope")}: no such directory.`);
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), "eval-bare-"));
    expect(() => readCorpusDirectory(bare)).toThrow(/no non-empty \.txt or \.md files in it/);
    fs.rmSync(bare, { recursive: true });
  });
});

describe("parseQuestionLines(jsonl, corpus)", () => {
  const corpus = buildCorpus(readCorpusDirectory(dir));
  const line = (value: unknown) => JSON.stringify(value);

  it("resolves a passage to the chunks holding it and counts a question without one at page level only", () => {
    const questions = parseQuestionLines(
      [
        line({ question: "how to stop a signal", document: "man7/signal.txt", passage: "ignore a signal or catch it" }),
        "",
        line({ id: "q2", question: "where is honey made", document: "bees.md" }),
      ].join("\n"),
      corpus,
    );
    expect(questions).toEqual([
      expect.objectContaining({ id: "line 1", level: "passage", page: 1, relevant: [corpus.chunks.find((chunk) => chunk.page === 1)!.id] }),
      expect.objectContaining({ id: "q2", level: "page", page: 0, overlap: null }),
    ]);
    expect(questions[0].relevant).toBeDefined();
    expect(questions[1].relevant).toBeUndefined();
  });

  it("matches a passage written with CRLF line endings against the normalised file", () => {
    const [question] = parseQuestionLines(line({ question: "q", document: "man7/signal.txt", passage: "handler.\r\nThe default" }), corpus);
    expect(corpus.pages[1].text.slice(question.span!.start, question.span!.end)).toBe("handler.\nThe default");
  });

  it("counts every occurrence of a repeated passage as an answer", () => {
    const [question] = parseQuestionLines(line({ question: "q", document: "bees.md", passage: "Honey bees make honey." }), corpus);
    expect(question.span).toEqual({ start: corpus.pages[0].text.indexOf("Honey bees"), end: corpus.pages[0].text.indexOf("Honey bees") + 22 });
    expect(question.relevant!.length).toBeGreaterThan(0);
  });

  it("skips the lines about documents left out of the run", () => {
    const jsonl = [line({ question: "a", document: "bees.md" }), line({ question: "b", document: "man7/signal.txt" })].join("\n");
    expect(parseQuestionLines(jsonl, corpus, { leftOut: new Set(["bees.md"]) }).map((question) => question.question)).toEqual(["b"]);
  });

  it.each([
    ["not json", /questions, line 1: not JSON/],
    [line({ question: "", document: "bees.md" }), "questions, line 1: question must not be empty."],
    [line({ question: "q", document: "bees.md", extra: 1 }), /questions, line 1: .*extra/i],
    [line({ question: "q", document: "wasps.md" }), /questions, line 1: document "wasps.md" is not a file of the corpus \(names are paths relative to --corpus, e\.g\. "bees\.md"\)\./],
    [line({ question: "q", document: "bees.md", passage: "honey bees" }), /questions, line 1: passage is not an exact substring of "bees.md" \(whitespace and case count\)/],
    [`${line({ id: "a", question: "q", document: "bees.md" })}\n${line({ id: "a", question: "r", document: "bees.md" })}`, 'questions, line 2: id "a" is used twice.'],
    ["\n\n", "questions: no questions in it."],
  ])("stops at a bad line, naming it: %s", (jsonl, message) => {
    expect(() => parseQuestionLines(jsonl, corpus)).toThrow(message);
  });
});
