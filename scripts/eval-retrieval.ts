/**
 * `npm run eval:retrieval`: retrieval quality on real documents nobody on the project wrote,
 * with questions whose answer is known by construction (issue 13). For each corpus and model the
 * documents go into a real collection through the app's own code, every question is asked in the
 * vector, keyword and hybrid modes, and R@1/3/5/10 and MRR are reported at passage and page level,
 * beside a plain BM25 baseline computed here over the same chunks (scripts/eval-retrieval/).
 *
 * Built-in corpora, assembled from Debian packages on this machine (installed by
 * scripts/ci/install-eval-corpus.sh when missing): the English manual pages of `manpages` with
 * use-lite and glove-100d, and the Chinese ones of `manpages-zh` with cedict-glove-100d.
 *
 * Usage: npm run eval:retrieval [-- --language en|zh] [-- --pages N] [-- --per-page 2]
 *        [-- --models use-lite,glove-100d] [-- --details ranks.jsonl] [-- --no-write]
 *        npm run eval:retrieval -- --corpus <dir> --questions <file.jsonl> [-- --models …] [-- --write]
 *        npm run eval:retrieval -- --fusion-sweep: hybrid's fusion settings compared (fusion-sweep.ts)
 * A full built-in run writes BENCHMARKS.md ("Evaluation: retrieval quality"); a run limited by
 * --language or --pages only prints. A held-back corpus prints, and with --write fills its own
 * section. DATABASE_URL (or --database-url) runs on that PostgreSQL instead of a temporary PGlite.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describeMachine, sourceState, writeResults } from "./bench-report";
import { buildCorpus, type Corpus, type Page } from "./eval-retrieval/corpus";
import { assembleManCorpus, chineseRule, englishRule, ensureCorpusPackages, type CorpusRule } from "./eval-retrieval/debian";
import { parseQuestionLines, readCorpusDirectory } from "./eval-retrieval/held-back";
import { buildManPageQuestions, type Language, type Question } from "./eval-retrieval/questions";
import { formatCorpusSummary } from "./eval-retrieval/report";
import { sweepFusion } from "./eval-retrieval/fusion-sweep";
import { evaluateRankers, pagesUnreadableBy, type EvaluationRun } from "./eval-retrieval/run";
import { loadWordNet } from "./eval-retrieval/wordnet";

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return undefined;
  const value = process.argv[at + 1];
  if (value === undefined || value.startsWith("--")) throw new Error(`--${name} needs a value.`);
  return value;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

function wholeNumber(name: string): number | undefined {
  const value = argument(name);
  if (value === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(value)) throw new Error(`--${name} must be a whole number of at least 1, got "${value}".`);
  return Number(value);
}

const log = (line: string) => console.error(`[eval:retrieval] ${line}`);

interface Job {
  title: string;
  origin: string;
  corpus: Corpus;
  questions: Question[];
  models: string[];
}

const builtIn: Record<Language, { rule: CorpusRule; models: string[]; title: string; origin: string }> = {
  en: {
    rule: englishRule,
    models: ["use-lite", "glove-100d"],
    title: "English: Debian manual pages",
    origin: "every page of Debian's `manpages` package (any section) that is not a `.so` redirect, one per distinct source, 2,000–40,000 characters rendered",
  },
  zh: {
    rule: chineseRule,
    models: ["cedict-glove-100d"],
    title: "Chinese: Debian manual pages in Chinese",
    origin: "every zh_CN page of `manpages-zh` in sections 1 and 8, not a redirect, one per distinct source, 2,000–60,000 characters, at least 30% of letters Han",
  },
};

const method = [
  "Questions are made from the pages, so each answer's place is known by construction (scripts/eval-retrieval/questions.ts, paraphrase.ts):",
  "- page level: a page's NAME description (\"signal - overview of signals\") with the page's own names removed, kept when 3 words or more remain;",
  "- passage level: up to 2 sentences per page, drawn by a seeded shuffle from its prose sections (not NAME, SYNOPSIS, EXAMPLES, SEE ALSO…): " +
    "10–45 words ending in a full stop, mostly plain words, no code characters, occurring once in the whole corpus (Chinese: 15–150 characters ending in 。, half of them Han). " +
    "The answer is the chunk(s) holding the sentence (containing it, or at least half of it where the chunker cut through it), and its page;",
  "- every question is a short mechanical paraphrase, not a copy: function words dropped with probability 0.5, identifiers (SIGKILL, getrpcbyname, 2.30) with probability 0.7, " +
    "at most 4 of the other words kept (a seeded choice, in their order), and in English each kept word replaced with probability 0.6 by a WordNet 3.0 synonym " +
    "(Debian `wordnet-base`; the sense whose gloss best matches the page, a simplified Lesk, often still off-sense on technical text); the two halves of a sentence swapped at a comma. " +
    "Chinese questions get no synonyms: Debian has no Chinese thesaurus, and CC-CEDICT synonyms would hand cedict-glove-100d the answer, " +
    "so every word of a Chinese question is in its passage, which favours keyword search.",
  "- Ranks: each search asks for 100 chunks. Passage rank: the first chunk holding the passage; page rank: the first chunk of the right page (a page ranks where its best chunk does). " +
    "R@k: share of questions answered within the first k chunks; MRR: mean of 1/rank, 0 beyond 100. BM25 baseline: Okapi BM25 (k1 1.2, b 0.75, lower-cased Intl.Segmenter words, " +
    "no stemming or stop words) over the same chunks, in scripts/eval-retrieval/bm25.ts. `keyword (app)` is the same for every model and is run once.",
].join("\n");

async function builtInJobs(languages: Language[], { pages, perPage }: { pages?: number; perPage: number }): Promise<Job[]> {
  ensureCorpusPackages();
  const models = argument("models")?.split(",");
  const jobs: Job[] = [];
  for (const language of languages) {
    const { rule, title, origin, models: defaults } = builtIn[language];
    const started = performance.now();
    const assembled = await assembleManCorpus(rule);
    const jobModels = models ?? defaults;
    const { corpus, leftOut } = await readablePages(assembled.pages.slice(0, pages), jobModels);
    if (leftOut.length > 0) assembled.skipped[`with a chunk ${jobModels.join(" or ")} cannot read`] = leftOut.length;
    const questions = buildManPageQuestions(corpus, { language, wordnet: language === "en" ? loadWordNet() : undefined, perPage });
    const skipped = Object.entries(assembled.skipped).map(([reason, n]) => `${n} ${reason}`).join(", ");
    log(`${assembled.source}: ${corpus.pages.length} pages (left out: ${skipped}), ${corpus.chunks.length} chunks, ${questions.length} questions in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    jobs.push({ title: `${title} (${assembled.source})`, origin: `${origin}; left out: ${skipped}`, corpus, questions, models: jobModels });
  }
  return jobs;
}

/**
 * The corpus of `pages` without those holding a chunk one of `models` cannot read: the app would
 * refuse to store it (400 unreadable:texts), and every model must see the same collection.
 */
async function readablePages(pages: Page[], models: string[]): Promise<{ corpus: Corpus; leftOut: string[] }> {
  const whole = buildCorpus(pages);
  const unreadable = await pagesUnreadableBy(whole, models);
  if (unreadable.size === 0) return { corpus: whole, leftOut: [] };
  const leftOut = [...unreadable.keys()].map((page) => pages[page].name);
  log(`left out, with a chunk nothing of which ${[...new Set([...unreadable.values()].flat())].join(" or ")} can read: ${leftOut.join(", ")}`);
  return { corpus: buildCorpus(pages.filter((_, page) => !unreadable.has(page))), leftOut };
}

async function heldBackJob(dir: string, questionsFile: string): Promise<Job> {
  const models = argument("models")?.split(",") ?? ["use-lite", "glove-100d"];
  const pages = readCorpusDirectory(dir);
  if (!fs.existsSync(questionsFile)) throw new Error(`--questions ${questionsFile}: no such file.`);
  const jsonl = fs.readFileSync(questionsFile, "utf8");
  const file = path.basename(questionsFile);
  const asked = parseQuestionLines(jsonl, buildCorpus(pages), { file }).length; // every line checked against every file
  const { corpus, leftOut } = await readablePages(pages, models);
  const questions = parseQuestionLines(jsonl, corpus, { file, leftOut: new Set(leftOut) });
  const dropped = leftOut.length > 0 ? `; left out: ${leftOut.length} files with a chunk ${models.join(" or ")} cannot read, and their ${asked - questions.length} questions` : "";
  return { title: `Held-back corpus ${path.basename(path.resolve(dir))}`, origin: `${dir}, with ${file}${dropped}`, corpus, questions, models };
}

function writeDetails(file: string, job: Job, run: EvaluationRun): void {
  const lines = job.questions.map((question, i) =>
    JSON.stringify({
      corpus: job.title,
      id: question.id,
      question: question.question,
      page: job.corpus.pages[question.page].name,
      source: question.source,
      ranks: Object.fromEntries(run.rankers.map((ranker) => [ranker.name, ranker.ranks[i]])),
    }),
  );
  fs.appendFileSync(file, `${lines.join("\n")}\n`);
}

async function main(): Promise<void> {
  const loadAtStart = os.loadavg()[0];
  const source = sourceState(["lib/collections", "lib/hybrid-search", "lib/embeddings", "scripts/eval-retrieval.ts", "scripts/eval-retrieval"]);
  const corpusDir = argument("corpus");
  const questionsFile = argument("questions");
  if ((corpusDir === undefined) !== (questionsFile === undefined)) throw new Error("--corpus and --questions go together: a held-back corpus needs its questions.");
  const language = argument("language");
  if (language !== undefined && language !== "en" && language !== "zh") throw new Error(`--language must be en or zh, got "${language}".`);
  const pages = wholeNumber("pages");
  const perPage = wholeNumber("per-page") ?? 2;
  const databaseUrl = argument("database-url") ?? process.env.DATABASE_URL;
  const details = argument("details");
  if (details) fs.writeFileSync(details, "");

  const started = performance.now();
  const jobs = corpusDir ? [await heldBackJob(corpusDir, questionsFile!)] : await builtInJobs(language ? [language] : ["en", "zh"], { pages, perPage });
  if (flag("fusion-sweep")) return fusionSweep(jobs, { loadAtStart, source, started, write: corpusDir === undefined && language === undefined && pages === undefined && !flag("no-write") });
  const summaries: string[] = [];
  for (const job of jobs) {
    const run = await evaluateRankers(job.corpus, job.questions, { models: job.models, databaseUrl, log });
    const summary = formatCorpusSummary({ ...job, run });
    console.log(`\n${summary}\n`);
    summaries.push(summary);
    if (details) writeDetails(details, job, run);
  }
  const minutes = (performance.now() - started) / 60_000;
  const partial = corpusDir === undefined && (language !== undefined || pages !== undefined || perPage !== 2 || argument("models") !== undefined);
  if (flag("no-write") || partial || (corpusDir !== undefined && !flag("write"))) {
    log(partial ? "a partial run (--language, --pages, --per-page or --models): BENCHMARKS.md not written" : "BENCHMARKS.md not written");
  } else {
    const machine = describeMachine({ loadAtStart, source, extraLines: [`the whole run took ${minutes.toFixed(1)} min`] });
    const run = corpusDir ? `npm run eval:retrieval -- --corpus ${corpusDir} --questions ${questionsFile}` : "npm run eval:retrieval";
    const results = [`Run: \`${run}\``, "", machine, "", ...(corpusDir ? [] : [method, ""]), summaries.join("\n\n")].join("\n");
    writeResults(corpusDir ? "retrieval-held-back" : "retrieval", results, { heading: corpusDir ? "Evaluation: retrieval quality, held-back corpus" : "Evaluation: retrieval quality" });
    log("figures written into BENCHMARKS.md");
  }
  process.exit(0); // use-lite's worker thread would keep the process alive
}

/** `--fusion-sweep`: hybrid search's fusion settings compared on each corpus (scripts/eval-retrieval/fusion-sweep.ts). */
async function fusionSweep(jobs: Job[], { loadAtStart, source, started, write }: { loadAtStart: number; source: ReturnType<typeof sourceState>; started: number; write: boolean }): Promise<void> {
  const tables: string[] = [];
  for (const job of jobs) {
    const table = await sweepFusion(job.corpus, job.questions, { models: job.models, log });
    console.log(`\n#### ${job.title}\n\n${table}\n`);
    tables.push(`#### ${job.title}\n\n${job.questions.length} questions.\n\n${table}`);
  }
  if (write) {
    const machine = describeMachine({ loadAtStart, source, extraLines: [`the whole run took ${((performance.now() - started) / 60_000).toFixed(1)} min`] });
    writeResults("retrieval-fusion", ["Run: `npm run eval:retrieval -- --fusion-sweep`", "", machine, "", ...tables].join("\n\n"), { heading: "Evaluation: hybrid search's fusion settings" });
    log("figures written into BENCHMARKS.md");
  }
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `[eval:retrieval] ${error.message}` : error);
  if (error instanceof Error && process.env.DEBUG) console.error(error.stack);
  process.exit(1);
});
