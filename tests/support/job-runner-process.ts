/**
 * A server's job runner in a process of its own, for tests that kill it mid-job. Argument: JSON
 * `{ target, owner, leaseMs?, hangAt? }` (target as openDatabase takes it). Prints `completed <n>`
 * after recording item n; at item `hangAt` it prints `stored <n>` once the document is stored and
 * then never records it, as a server that dies between the two would.
 */
import { openDatabase, type DatabaseTarget } from "@/lib/db/connection";
import { JobRunner } from "@/lib/jobs/runner";
import { observedDocumentsKind } from "../jobs/helpers";

const { target, owner, leaseMs, hangAt } = JSON.parse(process.argv[2]) as { target: DatabaseTarget; owner: string; leaseMs?: number; hangAt?: number };
const db = await openDatabase(target);
const runner = new JobRunner(db, {
  owner,
  leaseMs,
  heartbeatMs: leaseMs === undefined ? undefined : Math.max(100, leaseMs / 5),
  kinds: observedDocumentsKind({
    async beforeComplete(_job, position) {
      if (position !== hangAt) return;
      console.log(`stored ${position}`);
      await new Promise(() => {});
    },
    afterComplete: (_job, position) => console.log(`completed ${position}`),
  }),
});
await runner.start();
console.log("ready");
