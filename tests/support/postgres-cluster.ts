import { execFile, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

/**
 * A throwaway PostgreSQL cluster of a test's own (scripts/ci/start-postgres.sh in a new directory
 * under /tmp, on a port of its own), which the test may stop, kill and start again to play a
 * database outage. Never the shared test cluster: stopping that would break other test files.
 */
export interface PostgresCluster {
  /** `postgresql://user:password@127.0.0.1:port/notebook_test`; the same after every restart. */
  url: string;
  /** The cluster directory (data/, postgres.log, url). */
  dir: string;
  /** Fast shutdown (`pg_ctl stop -m fast`): sessions are terminated, the port closes. */
  stop(): Promise<void>;
  /** Abrupt stop (`pg_ctl stop -m immediate`, SIGQUIT): no checkpoint, crash recovery at the next start. */
  kill(): Promise<void>;
  /** Starts the cluster again (if stopped), on the same port, and waits until it accepts connections. */
  start(): Promise<void>;
  /** Stops the cluster and deletes its directory (scripts/ci/stop-postgres.sh). */
  destroy(): Promise<void>;
}

const pgBin = "/usr/lib/postgresql/15/bin";
const scripts = path.resolve("scripts/ci");
const run = promisify(execFile);

/** Why a throwaway cluster can't be made here, or null when it can (pg_ctl 15 and runuser work). */
export function postgresClusterUnavailableReason(): string | null {
  if (!fs.existsSync(path.join(pgBin, "pg_ctl"))) return `${pgBin}/pg_ctl not found`;
  const probe = spawnSync("runuser", ["-u", "postgres", "--", "true"], { cwd: "/", encoding: "utf8" });
  if (probe.error || probe.status !== 0) return `cannot run runuser -u postgres (${probe.error?.message ?? probe.stderr.trim()})`;
  return null;
}

/** Creates and starts a new cluster (4–10 s); the URL is also written to `<dir>.url`. */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const dir = fs.mkdtempSync("/tmp/notebook-faults-pg-");
  const urlFile = `${dir}.url`;
  await run("bash", [path.join(scripts, "start-postgres.sh"), "--dir", dir, "--url-file", urlFile], { timeout: 120_000 });
  const url = fs.readFileSync(urlFile, "utf8").trim();
  const pgCtl = (...args: string[]) =>
    run("runuser", ["-u", "postgres", "--", path.join(pgBin, "pg_ctl"), "-D", path.join(dir, "data"), ...args], {
      cwd: "/",
      timeout: 90_000,
    });
  return {
    url,
    dir,
    stop: async () => void (await pgCtl("-m", "fast", "-w", "-t", "30", "stop")),
    kill: async () => void (await pgCtl("-m", "immediate", "-w", "-t", "30", "stop")),
    start: async () => {
      const running = await pgCtl("status").then(() => true, () => false);
      if (!running) await pgCtl("-l", path.join(dir, "postgres.log"), "-w", "-t", "60", "start");
      const port = new URL(url).port;
      await run(path.join(pgBin, "pg_isready"), ["-q", "-h", "127.0.0.1", "-p", port, "-t", "30"], { timeout: 40_000 });
    },
    destroy: async () => {
      await run("bash", [path.join(scripts, "stop-postgres.sh"), dir], { timeout: 90_000 });
      fs.rmSync(urlFile, { force: true });
    },
  };
}
