import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { rootDir } from "../bench-report";
import { normalizeDocumentText, type Page } from "./corpus";

/**
 * The built-in corpora, assembled on this machine from Debian packages (scripts/ci/
 * install-eval-corpus.sh installs them) and rendered to plain text by groff, as `man` shows
 * them at 80 columns without hyphenation or justification (so no word is split across lines).
 *
 * English: every page of the `manpages` package (the Linux man-pages project), any section, that
 * is not a `.so` redirect, one per distinct source (the first name in path order), and
 * renders to 2,000–40,000 characters. Chinese: every zh_CN page of `manpages-zh` in sections 1
 * and 8 (commands) chosen the same way, of which at least 30% of letters are Han characters.
 */

export interface CorpusRule {
  package: string;
  /** Which of the package's files are pages. */
  pattern: RegExp;
  minCharacters: number;
  maxCharacters: number;
  /** Least share of Han characters among letters (Chinese). */
  minHanShare?: number;
}

export const englishRule: CorpusRule = { package: "manpages", pattern: /^\/usr\/share\/man\/man[1-8]\/[^/]+\.gz$/, minCharacters: 2_000, maxCharacters: 40_000 };
export const chineseRule: CorpusRule = {
  package: "manpages-zh",
  pattern: /^\/usr\/share\/man\/zh_CN\/man[18]\/[^/]+\.gz$/,
  minCharacters: 2_000,
  maxCharacters: 60_000,
  minHanShare: 0.3,
};

export interface ManCorpus {
  pages: Page[];
  /** e.g. "manpages 6.03-2". */
  source: string;
  /** Pages the rule turned away, with why (counts per reason). */
  skipped: Record<string, number>;
}

/** Installs the packages when missing (or says how), as CI does for its own. */
export function ensureCorpusPackages(): void {
  const setup = path.join(rootDir, "scripts", "ci", "install-eval-corpus.sh");
  const run = spawnSync("bash", [setup], { stdio: ["ignore", "inherit", "inherit"] });
  if (run.status !== 0) throw new Error(`${path.relative(rootDir, setup)} failed (exit ${run.status}): see its message above.`);
}

/** Groff requests put before each page: left-aligned lines, no hyphenation (as `man --nj --nh`). */
const prelude = ".ad l\n.de ad\n..\n.nh\n.de hy\n..\n";
const renderTimeoutMs = 60_000;

export async function assembleManCorpus(rule: CorpusRule): Promise<ManCorpus> {
  const version = spawnSync("dpkg-query", ["-W", "-f=${Version}", rule.package], { encoding: "utf8" });
  if (version.status !== 0) throw new Error(`Debian package ${rule.package} is not installed: run bash scripts/ci/install-eval-corpus.sh.`);
  const listed = spawnSync("dpkg", ["-L", rule.package], { encoding: "utf8" }).stdout.split("\n").filter((file) => rule.pattern.test(file)).sort();
  const skipped: Record<string, number> = {};
  const skip = (reason: string) => (skipped[reason] = (skipped[reason] ?? 0) + 1);
  const seen = new Set<string>();
  const sources: { name: string; source: Buffer }[] = [];
  for (const file of listed) {
    const source = zlib.gunzipSync(fs.readFileSync(file));
    const hash = createHash("sha256").update(source).digest("hex");
    if (isRedirect(source)) {
      skip(".so redirect");
      continue;
    }
    if (seen.has(hash)) {
      skip("same source as an earlier name");
      continue;
    }
    seen.add(hash);
    sources.push({ name: path.basename(file, ".gz"), source });
  }
  const rendered = await mapWithConcurrency(sources, 2, ({ source }) => renderPage(source));
  const pages: Page[] = [];
  sources.forEach(({ name }, i) => {
    const text = rendered[i];
    if (text === null) return void skip("groff failed or timed out");
    if (text.length < rule.minCharacters) return void skip(`under ${rule.minCharacters.toLocaleString("en")} characters`);
    if (text.length > rule.maxCharacters) return void skip(`over ${rule.maxCharacters.toLocaleString("en")} characters`);
    if (rule.minHanShare !== undefined && hanShare(text) < rule.minHanShare) return void skip(`under ${100 * rule.minHanShare}% Han characters`);
    pages.push({ name, text });
  });
  return { pages, source: `${rule.package} ${version.stdout.trim()}`, skipped };
}

/** The page as plain text, or null when groff fails. Trailing spaces and runs of blank lines are dropped. */
export async function renderPage(source: Buffer): Promise<string | null> {
  const output = await new Promise<string | null>((resolve) => {
    const groff = spawn("groff", ["-k", "-t", "-man", "-Tutf8", "-P-cbou", "-rLL=78n", "-rLT=78n"], { stdio: ["pipe", "pipe", "ignore"], timeout: renderTimeoutMs });
    const chunks: Buffer[] = [];
    groff.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    groff.on("error", () => resolve(null));
    groff.on("close", (code) => resolve(code === 0 ? Buffer.concat(chunks).toString("utf8") : null));
    groff.stdin.on("error", () => undefined);
    groff.stdin.end(Buffer.concat([Buffer.from(prelude), source]));
  });
  if (output === null) return null;
  return normalizeDocumentText(output)
    .replace(/[ \t]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** A page whose first request (after comments) is `.so other-page`: an alias, not a page. */
function isRedirect(source: Buffer): boolean {
  const lines = source.subarray(0, 4_000).toString("latin1").split("\n");
  const first = lines.find((line) => line.trim() !== "" && !/^['.]\s*\\"/.test(line));
  return first !== undefined && /^\.so\s/.test(first);
}

function hanShare(text: string): number {
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  const latin = text.match(/[A-Za-z]/g)?.length ?? 0;
  return han / Math.max(1, han + latin);
}

async function mapWithConcurrency<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]);
      }
    }),
  );
  return results;
}
