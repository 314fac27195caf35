/**
 * `npm run bench:analogy`: the Google analogy set (19,544 questions, /work/shared/data or
 * ../shared/data) through POST /api/analogy of the production server (`npm start`'s, on the build
 * in .next-e2e, rebuilt when a source is newer), glove-100d's vocabulary through pgvector: requests
 * per second, total seconds and accuracy beside the figures issue 14 (finding 9) recorded, then the
 * results into BENCHMARKS.md.
 *
 * a : b :: c : d is asked as b − a + c (the API's a − b + c with a = b, b = a), k 1, the three
 * inputs excluded, as the standard 3CosAdd evaluation does. A question with a word outside the
 * vocabulary is skipped, as that evaluation skips it: an unknown input is answered 400 (unknown
 * words); an answer outside the vocabulary (which no search of it can return) is asked all the same,
 * for the throughput, and left out of the accuracy. The server runs on a free loopback port with
 * PGLITE_DIR in a new temporary directory (every run starts empty) and the compute rate limit off
 * (RATE_LIMIT_COMPUTE_PER_MINUTE=0: the run is about throughput, not the allowance). The
 * vocabulary is loaded first and not timed. Nothing here asserts a timing.
 *
 * Usage: npm run bench:analogy [-- --concurrency 8] [-- --limit 2000] [-- --no-write]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readConfig } from "../lib/config";
import { loadGloveVocabulary } from "../lib/embeddings/glove";
import { buildApp, startApp } from "../tests/support/server";
import { describeMachine, rootDir, sourceState, writeResults } from "./bench-report";

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
}
const concurrency = Number(argument("concurrency") ?? 8);
const limit = argument("limit") === undefined ? Infinity : Number(argument("limit"));
const log = (message: string) => console.error(message);

/** Issue 14, finding 9: the whole set, measured from outside before this benchmark existed. */
const before = { seconds: "143–168", requestsPerSecond: "115–135", accuracy: "64.0 %" };

interface Question {
  section: string;
  a: string;
  b: string;
  c: string;
  d: string;
}

function readQuestions(): Question[] {
  const file = [path.join(rootDir, "..", "shared", "data", "questions-words.txt"), "/work/shared/data/questions-words.txt"].find((candidate) => fs.existsSync(candidate));
  if (!file) throw new Error("questions-words.txt not found in ../shared/data/: this benchmark needs the Google analogy set.");
  const questions: Question[] = [];
  let section = "";
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    if (line.startsWith(":")) section = line.slice(1).trim();
    else if (line.trim() !== "") {
      const [a, b, c, d] = line.trim().toLowerCase().split(/\s+/);
      questions.push({ section, a, b, c, d });
    }
  }
  return questions;
}

/**
 * One question; a kept-alive connection the server closed just as it was reused (its keep-alive
 * timer ran out while the vocabulary index was built) is retried, up to twice: asking is idempotent.
 */
async function ask(url: string, question: Question, attempt = 0): Promise<{ status: number; answer?: string }> {
  try {
    return await askOnce(url, question);
  } catch (error) {
    if (attempt >= 2 || !(error instanceof TypeError)) throw error;
    retries++;
    return ask(url, question, attempt + 1);
  }
}
let retries = 0;

async function askOnce(url: string, { a, b, c }: Question): Promise<{ status: number; answer?: string }> {
  const response = await fetch(`${url}/api/analogy`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "glove-100d", a: b, b: a, c, k: 1 }),
  });
  const body = (await response.json()) as { results?: { text: string }[] };
  return { status: response.status, answer: body.results?.[0]?.text };
}

const questions = readQuestions().slice(0, limit);
// The usual scoring skips a question with any word outside the vocabulary, the answer included: the
// API refuses unknown inputs (400), and an answer outside the vocabulary can never come back.
const vocabulary = new Set([...(await loadGloveVocabulary()).entries({ limit: readConfig().GLOVE_VOCABULARY_SIZE })].map((entry) => entry.word));
log(`${questions.length.toLocaleString("en")} questions, ${concurrency} at a time`);
const source = sourceState(["lib", "app", "scripts/serve.mjs"]);
await buildApp();
const app = await startApp({ RATE_LIMIT_COMPUTE_PER_MINUTE: "0" });
try {
  // The vocabulary loads into pgvector on first use (503 with Retry-After meanwhile): not timed.
  const loadStarted = performance.now();
  for (;;) {
    const { status } = await ask(app.url, { section: "", a: "man", b: "king", c: "woman", d: "queen" }).catch((error: Error) => {
      throw new Error(`warm-up analogy failed (${error.message}); the server said:\n${app.output().slice(-3000)}`);
    });
    if (status === 200) break;
    if (status !== 503) throw new Error(`warm-up analogy answered ${status}:\n${app.output().slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  log(`vocabulary ready after ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);

  const loadAtStart = os.loadavg()[0];
  const cpuBefore = process.cpuUsage();
  let next = 0;
  let correct = 0;
  let skipped = 0;
  let answerOutside = 0;
  const failures = new Map<number, number>();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < questions.length) {
        const question = questions[next++];
        const { status, answer } = await ask(app.url, question);
        if (status === 200 && !vocabulary.has(question.d)) answerOutside++;
        else if (status === 200) correct += answer === question.d ? 1 : 0;
        else if (status === 400) skipped++;
        else failures.set(status, (failures.get(status) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const clientCpu = process.cpuUsage(cpuBefore);
  const answered = questions.length - skipped - answerOutside - [...failures.values()].reduce((sum, count) => sum + count, 0);
  const accuracy = (100 * correct) / Math.max(1, answered);
  const requestsPerSecond = questions.length / seconds;
  if (retries > 0) log(`${retries} request(s) retried after a connection reset`);
  if (failures.size > 0) log(`unexpected answers: ${[...failures].map(([status, count]) => `${count} × ${status}`).join(", ")}`);

  const results = [
    describeMachine({
      loadAtStart,
      source,
      extraLines: [
        `${questions.length.toLocaleString("en")} questions through POST /api/analogy (glove-100d, 100,000 words, PGlite), ${concurrency} requests at a time over HTTP keep-alive; the client (this process) used ${((clientCpu.user + clientCpu.system) / 1e6).toFixed(1)} s of CPU`,
      ],
    }),
    "",
    "| | total | requests/s | accuracy (all four words in the vocabulary) | skipped (an unknown input; the answer outside the vocabulary) |",
    "| --- | ---: | ---: | ---: | ---: |",
    `| before (issue 14, finding 9) | ${before.seconds} s | ${before.requestsPerSecond} | ${before.accuracy} | |`,
    `| this run | ${seconds.toFixed(1)} s | ${requestsPerSecond.toFixed(0)} | ${accuracy.toFixed(1)} % (${correct.toLocaleString("en")} of ${answered.toLocaleString("en")}) | ${skipped.toLocaleString("en")}; ${answerOutside.toLocaleString("en")} |`,
    ...(failures.size > 0 ? ["", `Unexpected answers: ${[...failures].map(([status, count]) => `${count} × HTTP ${status}`).join(", ")}.`] : []),
  ].join("\n");
  console.log(results);
  if (!process.argv.includes("--no-write") && limit === Infinity) {
    writeResults("analogy-throughput", results, { heading: "Benchmarks: analogy throughput (issue 14, finding 9)" });
  }
} finally {
  await app.stop();
}
