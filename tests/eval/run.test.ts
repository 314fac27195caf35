import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/lib/db/connection";
import { buildCorpus } from "@/scripts/eval-retrieval/corpus";
import { parseQuestionLines } from "@/scripts/eval-retrieval/held-back";
import { scoreRanker } from "@/scripts/eval-retrieval/report";
import { evaluateRankers, pagesUnreadableBy, type EvaluationRun } from "@/scripts/eval-retrieval/run";
import { createScratchDatabase, pgliteBackend, postgresBackend } from "../support/databases";

const paragraph = (topic: string, n: number) =>
  Array.from({ length: n }, (_, i) => `Paragraph ${i} of the ${topic} page repeats itself to fill a chunk of text with words.`).join(" ");

const corpus = buildCorpus([
  { name: "bees.txt", text: `Honey bees gather nectar from flowers and store it as honey in wax combs.\n\n${paragraph("bees", 12)}` },
  { name: "volcano.txt", text: `${paragraph("volcano", 12)}\n\nVolcanoes erupt when molten rock rises through cracks in the crust.` },
  { name: "shell.txt", text: `The rm command removes each given file; with -r it removes directories recursively.\n\n${paragraph("shell", 12)}` },
]);
const line = (question: string, document: string, passage?: string) => JSON.stringify({ question, document, ...(passage ? { passage } : {}) });
const questions = parseQuestionLines(
  [
    line("molten rock erupts through the crust", "volcano.txt", "Volcanoes erupt when molten rock rises through cracks in the crust."),
    line("nectar flowers honey combs", "bees.txt", "Honey bees gather nectar from flowers"),
    line("removes directories recursively", "shell.txt"),
    line("zebra quagga okapi", "shell.txt"),
    line("│ ─ ┼ │", "shell.txt"),
  ].join("\n"),
  corpus,
);

describe("pagesUnreadableBy(corpus, models)", () => {
  it("names the pages holding a chunk with no word a model knows, and which models", async () => {
    const table = buildCorpus([
      { name: "prose.txt", text: "Honey bees make honey." },
      { name: "table.txt", text: "Honey bees.\n\n" + "│ ─ ┼ │\n".repeat(150) },
    ]);
    expect(table.chunks.filter((chunk) => chunk.page === 1).length).toBeGreaterThan(1);
    expect(await pagesUnreadableBy(table, ["glove-100d"])).toEqual(new Map([[1, ["glove-100d"]]]));
    expect(await pagesUnreadableBy(corpus, ["glove-100d"])).toEqual(new Map());
  });
});

describe.each([pgliteBackend, postgresBackend])("evaluateRankers(corpus, questions) on $name", (backend) => {
  let run: EvaluationRun;
  let databaseUrl: string | undefined;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    if (!backend.enabled) return;
    if (backend.name === "postgres") ({ url: databaseUrl, drop } = await createScratchDatabase(process.env.TEST_DATABASE_URL!));
    run = await evaluateRankers(corpus, questions, { models: ["glove-100d"], databaseUrl });
  }, 240_000);
  afterAll(async () => drop?.());

  it.skipIf(!backend.enabled)("runs the BM25 baseline and every mode of the app, keyword once", () => {
    expect(run.backend).toBe(backend.name);
    expect(run.rankers.map((ranker) => [ranker.name, ranker.model, ranker.mode])).toEqual([
      ["BM25 baseline", undefined, undefined],
      ["glove-100d vector", "glove-100d", "vector"],
      ["keyword (app)", undefined, "keyword"],
      ["glove-100d hybrid", "glove-100d", "hybrid"],
    ]);
    expect(run.ingestions).toEqual([{ model: "glove-100d", documents: 3, chunks: corpus.chunks.length, seconds: expect.any(Number) }]);
  });

  it.skipIf(!backend.enabled)("ranks the chunk holding a passage first when the question shares its rare words", () => {
    for (const ranker of run.rankers.filter((ranker) => ranker.mode !== "vector")) {
      expect(ranker.ranks.slice(0, 2), ranker.name).toEqual([
        { passage: 1, page: 1 },
        { passage: 1, page: 1 },
      ]);
      expect(ranker.ranks[2], ranker.name).toEqual({ passage: null, page: 1 });
    }
  });

  it.skipIf(!backend.enabled)("finds nothing by keyword for words in no chunk, while vector search ranks every chunk", () => {
    const byName = new Map(run.rankers.map((ranker) => [ranker.name, ranker]));
    expect(byName.get("BM25 baseline")!.ranks[3]).toEqual({ passage: null, page: null });
    expect(byName.get("keyword (app)")!.ranks[3]).toEqual({ passage: null, page: null });
    expect(byName.get("glove-100d vector")!.ranks[3].page).toBeLessThanOrEqual(corpus.chunks.length);
    expect(scoreRanker(questions, byName.get("keyword (app)")!)).toMatchObject({ passage: { questions: 2, recall: { 1: 1 } }, page: { questions: 5, recall: { 1: 0.6 } } });
  });

  it.skipIf(!backend.enabled)("counts a question the model cannot read as refused and not found, as the API refuses it", () => {
    for (const ranker of run.rankers) {
      expect(ranker.ranks[4], ranker.name).toEqual({ passage: null, page: null });
      expect(ranker.unreadable, ranker.name).toBe(ranker.name.startsWith("glove-100d") ? 1 : 0);
    }
  });

  it.skipIf(backend.name !== "postgres" || !backend.enabled)("deletes its collections from the PostgreSQL it was given", async () => {
    const db = await openDatabase({ url: databaseUrl! });
    try {
      expect(await db.query<{ count: number }>("SELECT count(*)::int AS count FROM collections", [])).toEqual([{ count: 0 }]);
    } finally {
      await db.close();
    }
  });
});
