import { reciprocalRankFusion } from "../../lib/hybrid-search/fusion";
import { fusion } from "../../lib/hybrid-search/search";
import { resolveModel } from "../../lib/embeddings/registry";
import { dot, normalize } from "../../lib/vectors";
import { createBm25Index } from "./bm25";
import type { Corpus } from "./corpus";
import { pageRank, passageRank, summarize } from "./metrics";
import type { Question } from "./questions";
import { searchDepth } from "./run";

/**
 * `npm run eval:retrieval -- --fusion-sweep`: how hybrid search's fusion settings would do, so the
 * constants in lib/hybrid-search/search.ts are chosen by measurement. Each question's two lists are
 * computed once, offline, and fused in every setting: the vector side is an exact cosine ranking of
 * the model's vectors (what pgvector returns from an exact scan), the keyword side the plain BM25
 * of bm25.ts (within 0.02 of the app's own at R@5 in English and Chinese, 0.04 at Chinese R@1).
 * Settings: reciprocal rank fusion over rank constants c and vector weights, and a convex mix of
 * the two sides' normalised scores.
 */

interface Hit {
  index: number;
  score: number;
}

interface Setting {
  name: string;
  fuse(vector: Hit[], keyword: Hit[]): number[];
}

const rankConstants = [1, 5, 10, 20, 60];
const vectorWeights = [0.05, 0.1, 0.2, 0.3, 0.5, 1];
const keywordShares = [0.7, 0.8, 0.9];

function settings(): Setting[] {
  const byScore = (scores: Map<number, number>) => [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([index]) => index);
  const list: Setting[] = [
    { name: "keyword alone", fuse: (_vector, keyword) => keyword.map((hit) => hit.index) },
    { name: "vector alone", fuse: (vector) => vector.map((hit) => hit.index) },
  ];
  for (const c of rankConstants) {
    for (const weight of vectorWeights) {
      const current = c === fusion.c && weight === fusion.weights.vector ? " (the app's)" : "";
      list.push({
        name: `RRF c=${c}, vector weight ${weight}${current}`,
        fuse: (vector, keyword) => byScore(reciprocalRankFusion([vector.map((hit) => hit.index), keyword.map((hit) => hit.index)], { c, weights: [weight, 1] })),
      });
    }
  }
  for (const share of keywordShares) {
    list.push({
      name: `scores: ${share} × BM25/max + ${Math.round((1 - share) * 10) / 10} × min–max cosine`,
      fuse: (vector, keyword) => {
        const scores = new Map<number, number>();
        const [top, bottom] = [vector[0]?.score ?? 1, vector.at(-1)?.score ?? 0];
        vector.forEach((hit) => scores.set(hit.index, (1 - share) * ((hit.score - bottom) / Math.max(1e-9, top - bottom))));
        const best = keyword[0]?.score ?? 1;
        keyword.forEach((hit) => scores.set(hit.index, (scores.get(hit.index) ?? 0) + share * (hit.score / best)));
        return byScore(scores);
      },
    });
  }
  return list;
}

/** The sweep's table for one corpus: R@1 and R@5 at both levels for each model and setting. */
export async function sweepFusion(corpus: Corpus, questions: Question[], { models, log }: { models: string[]; log: (line: string) => void }): Promise<string> {
  const bm25 = createBm25Index(corpus.chunks.map((chunk) => chunk.text));
  const keywordLists = questions.map((question) => bm25.search(question.question, searchDepth));
  const rows = ["| model | fusion | passage R@1 / R@5 | page R@1 / R@5 |", "|---|---|---|---|"];
  for (const id of models) {
    const model = resolveModel(id);
    const started = performance.now();
    const chunkVectors = await embedInBatches(id, corpus.chunks.map((chunk) => chunk.text));
    const readings = model.read ? await model.read(questions.map((question) => question.question)) : questions.map(() => ({ readable: true }));
    const readable = questions.filter((_, i) => readings[i].readable);
    const questionVectors = new Map((await embedInBatches(id, readable.map((question) => question.question))).map((vector, i) => [readable[i], vector]));
    const vectorLists = questions.map((question) => {
      const vector = questionVectors.get(question);
      if (!vector) return []; // the app refuses a question the model cannot read: nothing found
      return chunkVectors
        .map((chunk, index) => ({ index, score: dot(chunk, vector) }))
        .sort((a, b) => b.score - a.score || a.index - b.index)
        .slice(0, searchDepth);
    });
    log(`${id}: ${corpus.chunks.length} chunks and ${questions.length} questions embedded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    for (const setting of settings()) {
      const ranked = questions.map((_, i) => setting.fuse(vectorLists[i], keywordLists[i]));
      const passages = summarize(questions.flatMap((question, i) => (question.relevant ? [passageRank(ranked[i], question.relevant)] : [])));
      const pages = summarize(questions.map((question, i) => pageRank(ranked[i], question.page, (chunk) => corpus.chunks[chunk].page)));
      const figures = (scores: typeof pages) => `${scores.recall[1].toFixed(3)} / ${scores.recall[5].toFixed(3)}`;
      rows.push(`| ${id} | ${setting.name} | ${figures(passages)} | ${figures(pages)} |`);
    }
  }
  return rows.join("\n");
}

async function embedInBatches(modelId: string, texts: string[]): Promise<number[][]> {
  const model = resolveModel(modelId);
  const vectors: number[][] = [];
  for (let start = 0; start < texts.length; start += 64) vectors.push(...(await model.embed(texts.slice(start, start + 64))).map((vector) => normalize(vector)));
  return vectors;
}
