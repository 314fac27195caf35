import { describe, expect, it } from "vitest";
import { buildCorpus } from "@/scripts/eval-retrieval/corpus";
import { parseQuestionLines } from "@/scripts/eval-retrieval/held-back";
import { formatCorpusSummary, scoreRanker, targetLines } from "@/scripts/eval-retrieval/report";
import type { RankerRun } from "@/scripts/eval-retrieval/run";

const corpus = buildCorpus([
  { name: "a.txt", text: "Honey bees make honey in the hive." },
  { name: "b.txt", text: "Volcanoes erupt molten rock." },
]);
const questions = parseQuestionLines(
  [
    JSON.stringify({ question: "bees", document: "a.txt", passage: "bees make honey" }),
    JSON.stringify({ question: "lava", document: "b.txt" }),
  ].join("\n"),
  corpus,
);
const ranker = (name: string, ranks: RankerRun["ranks"], extra: Partial<RankerRun> = {}): RankerRun => ({ name, ranks, msPerQuestion: 2, unreadable: 0, ...extra });

describe("scoreRanker(questions, ranker)", () => {
  it("scores passages over the questions with one and pages over all", () => {
    const scores = scoreRanker(questions, ranker("x", [{ passage: 2, page: 1 }, { passage: null, page: 4 }]));
    expect(scores.passage).toEqual({ questions: 1, recall: { 1: 0, 3: 1, 5: 1, 10: 1 }, mrr: 0.5 });
    expect(scores.page).toEqual({ questions: 2, recall: { 1: 0.5, 3: 0.5, 5: 1, 10: 1 }, mrr: (1 + 0.25) / 2 });
  });
});

describe("targetLines(scores)", () => {
  it("says per model whether hybrid R@5 reaches the better of keyword and vector on each level", () => {
    const scores = [
      ranker("keyword (app)", [{ passage: 3, page: 1 }, { passage: null, page: 9 }]),
      ranker("m vector", [{ passage: 9, page: 1 }, { passage: null, page: 2 }]),
      ranker("m hybrid", [{ passage: 4, page: 1 }, { passage: null, page: 6 }]),
    ].map((run) => scoreRanker(questions, run));
    expect(targetLines(scores)).toEqual([
      "- Target (hybrid R@5 ≥ the better of keyword and vector), m: passage 1.00 vs 1.00 (keyword) met; page 0.50 vs 1.00 (vector) not met.",
    ]);
  });
});

describe("formatCorpusSummary(summary)", () => {
  it("describes the corpus, the questions and the ingestion, and tabulates every ranker", () => {
    const text = formatCorpusSummary({
      title: "T",
      origin: "two files",
      corpus,
      questions,
      run: {
        backend: "pglite",
        ingestions: [{ model: "m", documents: 2, chunks: 2, seconds: 4 }],
        rankers: [ranker("BM25 baseline", [{ passage: 1, page: 1 }, { passage: null, page: null }]), ranker("m vector", [{ passage: null, page: null }, { passage: null, page: null }], { unreadable: 2 })],
      },
    });
    expect(text).toContain("- Corpus: two files: 2 pages, 62 characters, 2 documents, 2 chunks");
    expect(text).toContain("- Questions: 2: 1 with a known passage");
    expect(text).toContain("- Ingestion (pglite): m 4.0 s (0.5 chunks/s).");
    expect(text).toContain("| BM25 baseline | 1.00 / 1.00 / 1.00 / 1.00 | 1.00 | 0.50 / 0.50 / 0.50 / 0.50 | 0.50 | 2.0 |");
    expect(text).toContain("| m vector | 0.00 / 0.00 / 0.00 / 0.00 | 0.00 | 0.00 / 0.00 / 0.00 / 0.00 | 0.00 | 2.0 |");
    expect(text).toContain("- m vector: 2 questions refused as unreadable (no word the model knows), counted as not found.");
  });
});
