/**
 * What every benchmark script writes into BENCHMARKS.md: a description of the machine and the
 * source measured, and its results between its own markers, leaving the rest of the file as it is.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const rootDir = path.resolve(import.meta.dirname, "..");
export const reportPath = path.join(rootDir, "BENCHMARKS.md");

/** Inside a section, everything from this line on is written by hand and kept by later runs. */
const notesMarker = (name: string) => `<!-- ${name} notes (kept by later runs) -->`;

/** The commit measured, and whether `paths` differed from it (read it when the code is loaded). */
export interface SourceState {
  commit: string;
  /** The paths that had uncommitted changes, if any. */
  changed: string[];
}

export function sourceState(paths: string[]): SourceState {
  const git = (...args: string[]) => spawnSync("git", args, { cwd: rootDir, encoding: "utf8" }).stdout.trim();
  return { commit: git("rev-parse", "--short", "HEAD") || "unknown", changed: git("status", "--porcelain", "--", ...paths) ? paths : [] };
}

export interface MachineDescription {
  /** The 1-minute load average when the run began (`os.loadavg()[0]`). */
  loadAtStart: number;
  source: SourceState;
  /** Added to the hardware line, e.g. "no GPU". */
  hardwareNote?: string;
  /** Lines of their own at the end, e.g. how many runs each figure is. */
  extraLines?: string[];
}

export function describeMachine({ loadAtStart, source, hardwareNote, extraLines = [] }: MachineDescription): string {
  const cpu = /model name\s*:\s*(.+)/.exec(fs.readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? os.cpus()[0]?.model;
  const cores = os.availableParallelism();
  return [
    `- CPU: ${cpu}, ${cores} cores; RAM: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB${hardwareNote ? `; ${hardwareNote}` : ""}`,
    `- Node ${process.version}, ${os.type()} ${os.release()}; load average ${loadAtStart.toFixed(2)} at the start, ` +
      `${os.loadavg()[0].toFixed(2)} at the end (${cores} cores: above ~1 the run shared them)`,
    `- ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, commit ${source.commit}` +
      `${source.changed.length > 0 ? ` + uncommitted changes in ${source.changed.join(", ")}` : ""}`,
    ...extraLines.map((line) => `- ${line}`),
  ].join("\n");
}

/**
 * Rewrites the text between `<!-- name results start -->` and `… end -->`, keeping any hand-written
 * notes after the section's notes marker; appends a new section under `heading` when there is none.
 */
export function writeResults(name: string, results: string, { heading }: { heading: string }): void {
  const startMarker = `<!-- ${name} results start -->`;
  const endMarker = `<!-- ${name} results end -->`;
  const existing = fs.existsSync(reportPath) ? fs.readFileSync(reportPath, "utf8") : "";
  const start = existing.indexOf(startMarker);
  const end = existing.indexOf(endMarker, start);
  const old = start >= 0 && end >= 0 ? existing.slice(start + startMarker.length, end) : "";
  const notes = old.includes(notesMarker(name)) ? `\n\n${old.slice(old.indexOf(notesMarker(name))).trimEnd()}` : "";
  const section = `${startMarker}\n${results.trimEnd()}${notes}\n${endMarker}`;
  const updated =
    start >= 0 && end >= 0
      ? `${existing.slice(0, start)}${section}${existing.slice(end + endMarker.length)}`
      : `${existing.trimEnd()}\n\n# ${heading}\n\n${section}\n`;
  fs.writeFileSync(reportPath, updated);
}
