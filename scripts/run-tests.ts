/**
 * `npm test`: the whole vitest suite, then one closing line `N passed, N failed` (CI reads test
 * counts from that line; vitest's own summary is not a form it knows). Exit code is vitest's.
 * Extra arguments go to vitest, e.g. `npm test -- tests/vectors.test.ts`.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vitest-")), "report.json");
const run = spawnSync(
  "npx",
  ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: "inherit" },
);

let summary = "0 passed, 0 failed";
if (fs.existsSync(report)) {
  const results = JSON.parse(fs.readFileSync(report, "utf8")) as { numPassedTests: number; numFailedTests: number };
  summary = `${results.numPassedTests} passed, ${results.numFailedTests} failed`;
}
console.log(summary);
process.exit(run.status ?? 1);
