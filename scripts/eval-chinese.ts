/**
 * `npm run eval:chinese`: how well the offline models read Chinese, each figure beside its
 * baseline in the same run.
 *
 * 1. Related pairs: for each triple (anchor, related, unrelated) of common Chinese words whose
 *    relatedness is obvious to people (猫: 宠物 rather than 香蕉), whether the model puts the
 *    related word nearer (cosine). use-lite is the raw baseline: it reads each of these words as
 *    one unknown piece, so all its vectors tie; "coverage" is the share of words its `read()`
 *    finds readable.
 * 2. Segmentation: word-level F1 of the three ways to cut Chinese (forward maximum matching,
 *    bidirectional maximum matching = the model's default, Intl.Segmenter + dictionary) against
 *    a small hand-segmented set of sentences, several with classic ambiguities (研究生命, 和尚未).
 * 3. Analogies: questions-words.txt (Mikolov et al.) translated into Chinese through CC-CEDICT's
 *    reverse direction, keeping only questions whose four words translate unambiguously (exactly
 *    one ranked headword whose first meaning is that one English word). 3CosAdd, inputs
 *    excluded, exact cosine (pgvector's HNSW gives the same answers at recall ~1). Two settings:
 *    the model's whole vocabulary (the words scope "vocabulary" loads), and a closed set (every
 *    word of the kept questions), where use-lite and GloVe on the English originals run too.
 *
 * Usage: npm run eval:chinese [-- --questions ../shared/data/questions-words.txt]
 * Prints, and writes the same lines into BENCHMARKS.md ("Evaluation: reading Chinese").
 */
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CEDICT_VOCABULARY_WORDS, createCedictModel, loadCedictLexicon } from "../lib/embeddings/cedict/model";
import { rankHeadwords } from "../lib/embeddings/cedict/headwords";
import { matchForward, segmentByDictionary, segmentByIntl, splitByScript } from "../lib/embeddings/cedict/segment";
import { glove } from "../lib/embeddings/glove";
import type { EmbeddingModel } from "../lib/embeddings/types";
import { useLite } from "../lib/embeddings/use-lite";
import { cosine, normalize } from "../lib/vectors";
import { describeMachine, sourceState, writeResults } from "./bench-report";

/** Every line printed, for BENCHMARKS.md. */
const printed: string[] = [];

function say(line: string): void {
  console.log(line);
  printed.push(...line.split("\n"));
}

const triples: [anchor: string, related: string, unrelated: string][] = [
  ["猫", "宠物", "香蕉"],
  ["猫", "动物", "汽车"],
  ["汽车", "卡车", "香蕉"],
  ["狗", "猫", "电脑"],
  ["苹果", "香蕉", "汽车"],
  ["医生", "医院", "山"],
  ["老师", "学校", "苹果"],
  ["飞机", "机场", "香蕉"],
  ["电脑", "手机", "狗"],
  ["河", "湖", "书"],
  ["书", "图书馆", "汽车"],
  ["太阳", "月亮", "桌子"],
  ["米饭", "面条", "飞机"],
  ["足球", "篮球", "医生"],
  ["红色", "蓝色", "猫"],
  ["父亲", "母亲", "桌子"],
  ["咖啡", "茶", "学校"],
  ["雨", "雪", "电脑"],
  ["钢琴", "音乐", "鞋"],
  ["衣服", "裤子", "太阳"],
  ["医生", "护士", "石头"],
  ["警察", "罪犯", "苹果"],
  ["国王", "王后", "自行车"],
  ["火车", "铁路", "香蕉"],
  ["老虎", "狮子", "钢笔"],
];

/** Hand-segmented sentences ("|" between words). */
const goldSentences = [
  "我|喜欢|吃|香蕉|和|苹果",
  "猫|是|可爱|的|动物",
  "他|昨天|去|北京|开会|了",
  "我们|在|学校|学习|中文",
  "汽车|和|卡车|都|在|路上",
  "今天|天气|很|好",
  "她|的|宠物|很|聪明",
  "中国|的|首都|是|北京",
  "研究|生命|的|起源",
  "结婚|的|和|尚未|结婚|的",
  "他|说|的|确实|在理",
  "我|爱|北京|天安门",
  "这|本|书|非常|有意思",
  "医生|在|医院|工作",
  "孩子|在|公园|里|玩耍",
  "请|把|门|关上",
  "东京|是|日本|的|首都",
  "国王|和|王后|住|在|宫殿|里",
  "我|的|电脑|坏|了",
  "他|正在|看|电视",
  "水果|里|我|最|喜欢|香蕉",
  "人工智能|的|未来|将会|改变|世界",
];

const rounded = (value: number, digits = 3) => value.toFixed(digits);
const percent = (part: number, whole: number) => (whole === 0 ? "–" : `${((100 * part) / whole).toFixed(1)}%`);

async function embedMap(model: EmbeddingModel, texts: string[]): Promise<Map<string, number[]>> {
  const unique = [...new Set(texts)];
  const vectors = await model.embed(unique);
  return new Map(unique.map((text, i) => [text, normalize(vectors[i])]));
}

async function relatedPairs(cedict: EmbeddingModel): Promise<void> {
  const words = triples.flat();
  say(`\n1. Related pairs: ${triples.length} triples (anchor, related, unrelated)`);
  say("model              coverage   related nearer   ties   mean cos related / unrelated");
  for (const model of [useLite, cedict]) {
    const readings = await model.read!([...new Set(words)]);
    const readable = readings.filter((reading) => reading.readable).length;
    // use-lite refuses nothing itself (the service does): embed anyway, to show what it would say.
    const vectors = await embedMap(model, words);
    let wins = 0;
    let ties = 0;
    let related = 0;
    let unrelated = 0;
    for (const [anchor, near, far] of triples) {
      const a = vectors.get(anchor)!;
      const toNear = cosine(a, vectors.get(near)!);
      const toFar = cosine(a, vectors.get(far)!);
      if (Math.abs(toNear - toFar) < 1e-6) ties++;
      else if (toNear > toFar) wins++;
      related += toNear / triples.length;
      unrelated += toFar / triples.length;
    }
    say(
      `${model.info().id.padEnd(18)} ${percent(readable, new Set(words).size).padStart(8)}   ` +
        `${`${wins}/${triples.length}`.padStart(14)}   ${String(ties).padStart(4)}   ${rounded(related)} / ${rounded(unrelated)}`,
    );
  }
}

async function segmentation(): Promise<void> {
  const lexicon = await loadCedictLexicon();
  const longest = Math.min(lexicon.maxWordLength, 8);
  const cutters: [string, (run: string) => string[]][] = [
    ["forward maximum matching", (run) => matchForward([...run], lexicon, longest)],
    ["bidirectional matching (default)", (run) => segmentByDictionary(run, lexicon)],
    ["Intl.Segmenter + dictionary", (run) => segmentByIntl(run, lexicon)],
  ];
  say(`\n2. Segmentation: ${goldSentences.length} hand-segmented sentences, word-level scores`);
  say("segmenter                          precision   recall   F1      sentences exact");
  for (const [name, cut] of cutters) {
    let correct = 0;
    let predicted = 0;
    let expected = 0;
    let exact = 0;
    for (const sentence of goldSentences) {
      const gold = sentence.split("|");
      const run = gold.join("");
      const words = splitByScript(run).flatMap((part) => (part.han ? cut(part.text) : []));
      const goldSpans = spans(gold);
      const found = [...spans(words)].filter((span) => goldSpans.has(span)).length;
      correct += found;
      predicted += words.length;
      expected += gold.length;
      if (found === gold.length && words.length === gold.length) exact++;
    }
    const precision = correct / predicted;
    const recall = correct / expected;
    const f1 = (2 * precision * recall) / (precision + recall);
    say(
      `${name.padEnd(34)} ${rounded(precision).padStart(9)}   ${rounded(recall).padStart(6)}   ${rounded(f1)}   ${exact}/${goldSentences.length}`,
    );
  }
}

/** "start:end" of each word, for matching cuts against the gold one. */
function spans(words: string[]): Set<string> {
  const result = new Set<string>();
  let at = 0;
  for (const word of words) {
    const length = [...word].length;
    result.add(`${at}:${at + length}`);
    at += length;
  }
  return result;
}

interface Question {
  section: string;
  english: [string, string, string, string];
  chinese: [string, string, string, string];
}

async function analogies(cedict: EmbeddingModel, questionsPath: string): Promise<void> {
  const lexicon = await loadCedictLexicon();
  const ranked = rankHeadwords(lexicon).slice(0, CEDICT_VOCABULARY_WORDS);
  // English word → the one ranked headword whose first meaning is exactly that word (or none when several are).
  const byEnglish = new Map<string, string | null>();
  for (const headword of ranked) {
    const first = lexicon.firstGlossWords(headword);
    if (first.length !== 1) continue;
    byEnglish.set(first[0], byEnglish.has(first[0]) ? null : headword);
  }
  const questions: Question[] = [];
  const sections = new Map<string, { total: number; kept: number }>();
  let section = "";
  for (const line of readFileSync(questionsPath, "utf8").split("\n")) {
    if (line.startsWith(":")) {
      section = line.slice(1).trim();
      sections.set(section, { total: 0, kept: 0 });
      continue;
    }
    const english = line.trim().toLowerCase().split(/\s+/);
    if (english.length !== 4) continue;
    const counts = sections.get(section)!;
    counts.total++;
    const chinese = english.map((word) => byEnglish.get(word));
    if (chinese.some((word) => !word) || new Set(chinese).size < 4) continue;
    counts.kept++;
    questions.push({ section, english: english as Question["english"], chinese: chinese as Question["chinese"] });
  }
  const total = [...sections.values()].reduce((sum, { total: n }) => sum + n, 0);
  say(`\n3. Analogies: questions-words.txt through CC-CEDICT, ${questions.length} of ${total} questions translate unambiguously`);
  for (const [name, { total: n, kept }] of sections) if (kept > 0) say(`   ${name}: ${kept} of ${n}`);
  if (questions.length === 0) return;
  const example = questions.find((question) => question.section === "family") ?? questions[0];
  say(`   e.g. ${example.english.join(" ")} → ${example.chinese.join(" ")}`);

  const vocabularyVectors = ranked.map((word) => normalize(lexicon.vectorOf(word)!));
  const questionVectors = await embedMap(cedict, questions.flatMap((question) => question.chinese));
  const whole = scoreAnalogies(questions, (question) => question.chinese, ranked, vocabularyVectors, questionVectors);
  say(
    `   cedict-glove-100d over its ${ranked.length.toLocaleString("en")}-word vocabulary: accuracy@1 ${percent(whole.top1, questions.length)}, ` +
      `@5 ${percent(whole.top5, questions.length)} (${[...whole.bySection].map(([name, { top1, count }]) => `${name} ${percent(top1, count)}`).join(", ")})`,
  );

  const closedChinese = [...new Set(questions.flatMap((question) => question.chinese))];
  const closedEnglish = [...new Set(questions.flatMap((question) => question.english))];
  say(`   closed set (the ${closedChinese.length} words of these questions):`);
  say("   model                          accuracy@1   @5      note");
  for (const [model, key, words, note] of [
    [useLite, (q: Question) => q.chinese, closedChinese, "Chinese: every word one unknown piece, all vectors tie"],
    [cedict, (q: Question) => q.chinese, closedChinese, "Chinese"],
    [glove, (q: Question) => q.english, closedEnglish, "the same questions in English"],
  ] as const) {
    const vectors = await embedMap(model, words);
    const scores = scoreAnalogies(questions, key, words, words.map((word) => vectors.get(word)!), vectors);
    say(
      `   ${model.info().id.padEnd(30)} ${percent(scores.top1, questions.length).padStart(10)}   ${percent(scores.top5, questions.length).padStart(6)}   ${note}`,
    );
  }
}

/**
 * 3CosAdd with the three inputs excluded; ties count as misses (the answer must be strictly
 * first). Candidate vectors are unit length, so cosine is a dot product over one flat array.
 */
function scoreAnalogies(
  questions: Question[],
  wordsOf: (question: Question) => readonly string[],
  candidates: readonly string[],
  candidateVectors: number[][],
  vectors: Map<string, number[]>,
): { top1: number; top5: number; bySection: Map<string, { top1: number; count: number }> } {
  const dims = candidateVectors[0].length;
  const matrix = new Float32Array(candidates.length * dims);
  candidateVectors.forEach((vector, row) => matrix.set(vector, row * dims));
  const index = new Map(candidates.map((word, row) => [word, row]));
  let top1 = 0;
  let top5 = 0;
  const bySection = new Map<string, { top1: number; count: number }>();
  for (const question of questions) {
    const [a, b, c, expected] = wordsOf(question);
    const [va, vb, vc] = [a, b, c].map((word) => vectors.get(word)!);
    // "a b c d" reads a is to b as c is to d: d ≈ b − a + c (the app's a − b + c with a and b swapped).
    const target = normalize(vb.map((value, i) => value - va[i] + vc[i]));
    const score = (row: number) => {
      let sum = 0;
      for (let d = 0; d < dims; d++) sum += target[d] * matrix[row * dims + d];
      return sum;
    };
    const excluded = new Set([a, b, c, expected].map((word) => index.get(word)));
    const expectedScore = index.has(expected) ? score(index.get(expected)!) : -Infinity;
    let better = 0;
    for (let row = 0; row < candidates.length && better < 5; row++) if (!excluded.has(row) && score(row) >= expectedScore) better++;
    if (better === 0) top1++;
    if (better < 5) top5++;
    const counts = bySection.get(question.section) ?? { top1: 0, count: 0 };
    counts.count++;
    if (better === 0) counts.top1++;
    bySection.set(question.section, counts);
  }
  return { top1, top5, bySection };
}

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
}

async function main(): Promise<void> {
  const loadAtStart = os.loadavg()[0];
  const source = sourceState(["lib/embeddings", "scripts/eval-chinese.ts"]);
  const questionsPath = path.resolve(argument("questions") ?? path.join("..", "shared", "data", "questions-words.txt"));
  const started = performance.now();
  const cedict = createCedictModel();
  await cedict.embed(["猫"]);
  say(`cedict-glove-100d loaded in ${((performance.now() - started) / 1000).toFixed(2)} s (dictionary parse + GloVe binary)`);
  await relatedPairs(cedict);
  await segmentation();
  if (existsSync(questionsPath)) await analogies(cedict, questionsPath);
  else say(`\n3. Analogies: skipped, ${questionsPath} is not there (pass --questions <file>).`);
  const results = `${describeMachine({ loadAtStart, source })}\n\n\`\`\`\n${printed.join("\n").trim()}\n\`\`\``;
  writeResults("chinese", results, { heading: "Evaluation: reading Chinese" });
  process.exit(0); // use-lite's worker thread would keep the process alive
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
