import { evalChunking, type Corpus } from "./corpus";
import { recallDepths, summarize, type Scores } from "./metrics";
import type { Question } from "./questions";
import type { EvaluationRun, RankerRun } from "./run";

/** The figures of one corpus as Markdown: what was measured, the table, and the issue 13 target. */

export interface CorpusSummary {
  title: string;
  /** Where the pages came from, e.g. "Debian manpages 6.03-2: every page that …". */
  origin: string;
  corpus: Corpus;
  questions: Question[];
  run: EvaluationRun;
}

const figure = (value: number) => value.toFixed(2);
const count = (value: number) => value.toLocaleString("en");
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

export interface RankerScores {
  name: string;
  passage: Scores | null;
  page: Scores;
  msPerQuestion: number;
}

/** Passage figures over the questions that have a passage; page figures over all of them. */
export function scoreRanker(questions: Question[], ranker: RankerRun): RankerScores {
  const withPassage = questions.flatMap((question, i) => (question.relevant ? [ranker.ranks[i].passage] : []));
  return {
    name: ranker.name,
    passage: withPassage.length > 0 ? summarize(withPassage) : null,
    page: summarize(ranker.ranks.map((rank) => rank.page)),
    msPerQuestion: ranker.msPerQuestion,
  };
}

export function formatCorpusSummary({ title, origin, corpus, questions, run }: CorpusSummary): string {
  const characters = corpus.pages.reduce((sum, page) => sum + page.text.length, 0);
  const passages = questions.filter((question) => question.relevant);
  const overlaps = (subset: Question[]) => subset.flatMap((question) => (question.overlap === null ? [] : [question.overlap]));
  const overlapNote = (subset: Question[]) => (overlaps(subset).length > 0 ? `, words found in their source ${figure(mean(overlaps(subset)))} on average` : "");
  const pageOnly = questions.filter((question) => !question.relevant);
  const scores = run.rankers.map((ranker) => scoreRanker(questions, ranker));
  const lines = [
    `#### ${title}`,
    "",
    `- Corpus: ${origin}: ${count(corpus.pages.length)} pages, ${count(characters)} characters, ${count(corpus.documents.length)} documents, ` +
      `${count(corpus.chunks.length)} chunks (the app's chunker, ${evalChunking.size}/${evalChunking.overlap} characters, the collection default).`,
    `- Questions: ${count(questions.length)}: ${count(passages.length)} with a known passage (counted at both levels${overlapNote(passages)}), ` +
      `${count(pageOnly.length)} with a known page only${overlapNote(pageOnly)}` +
      (passages.length > 0 ? `; a passage's answer is ${figure(mean(passages.map((question) => question.relevant!.length)))} chunks on average.` : "."),
    `- Ingestion (${run.backend}): ${run.ingestions
      .map((ingestion) => `${ingestion.model} ${ingestion.seconds.toFixed(1)} s (${(ingestion.chunks / ingestion.seconds).toFixed(1)} chunks/s)`)
      .join("; ")}.`,
    "",
    `| ranker | passage R@${recallDepths.join(" / R@")} | passage MRR | page R@${recallDepths.join(" / R@")} | page MRR | ms/question |`,
    "|---|---|---|---|---|---|",
    ...scores.map(({ name, passage, page, msPerQuestion }) => {
      const recalls = (s: Scores | null) => (s ? recallDepths.map((k) => figure(s.recall[k])).join(" / ") : "–");
      return `| ${name} | ${recalls(passage)} | ${passage ? figure(passage.mrr) : "–"} | ${recalls(page)} | ${figure(page.mrr)} | ${msPerQuestion.toFixed(1)} |`;
    }),
    "",
    ...run.rankers
      .filter((ranker) => ranker.unreadable > 0)
      .map((ranker) => `- ${ranker.name}: ${ranker.unreadable} questions refused as unreadable (no word the model knows), counted as not found.`),
    ...targetLines(scores),
  ];
  return lines.join("\n");
}

/** Issue 13's target: hybrid at least as good as the better of keyword and vector at R@5, on both levels. */
export function targetLines(scores: RankerScores[]): string[] {
  const keyword = scores.find((score) => score.name === "keyword (app)");
  if (!keyword) return [];
  return scores
    .filter((score) => score.name.endsWith(" hybrid"))
    .map((hybrid) => {
      const model = hybrid.name.slice(0, -" hybrid".length);
      const vector = scores.find((score) => score.name === `${model} vector`);
      if (!vector) return "";
      const level = (name: string, of: (s: RankerScores) => Scores | null) => {
        const [h, k, v] = [of(hybrid), of(keyword), of(vector)].map((s) => s?.recall[5] ?? 0);
        const best = Math.max(k, v);
        return `${name} ${figure(h)} vs ${figure(best)} (${k >= v ? "keyword" : "vector"}) ${h >= best ? "met" : "not met"}`;
      };
      return `- Target (hybrid R@5 ≥ the better of keyword and vector), ${model}: ${level("passage", (s) => s.passage)}; ${level("page", (s) => s.page)}.`;
    })
    .filter(Boolean);
}
