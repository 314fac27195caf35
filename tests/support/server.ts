import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** A production build of the app (`next build` + `npm start`'s server) on a free loopback port, with its own database. */
export interface AppServer {
  url: string;
  /** The server's process group (its leader's pid). */
  pid: number;
  dataDir: string;
  /** Everything the server printed so far (for failure reports). */
  output(): string;
  stop(): Promise<void>;
}

const distDir = ".next-e2e";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * `next build` into .next-e2e, once for all test files: several e2e files run in parallel, so a
 * lock (a directory, created atomically) lets one build while the others wait, and a build newer
 * than every source file is reused instead of rebuilt.
 */
export async function buildApp(): Promise<void> {
  const lock = path.join(os.tmpdir(), `notebook-e2e-build-${Buffer.from(process.cwd()).toString("hex").slice(-24)}.lock`);
  await acquireLock(lock);
  try {
    if (buildIsFresh()) return;
    const build = spawnSync("npx", ["next", "build"], {
      env: { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1" },
      encoding: "utf8",
    });
    if (build.status !== 0) throw new Error(`next build failed:\n${build.stdout}\n${build.stderr}`);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

const sourceRoots = ["app", "components", "lib", "prisma", "next.config.js", "package.json", "instrumentation.ts", "proxy.ts"];

function buildIsFresh(): boolean {
  const buildId = path.join(distDir, "BUILD_ID");
  if (!fs.existsSync(buildId)) return false;
  const builtAt = fs.statSync(buildId).mtimeMs;
  const newest = (entry: string): number => {
    const stat = fs.statSync(entry);
    if (!stat.isDirectory()) return stat.mtimeMs;
    return fs.readdirSync(entry).reduce((latest, name) => Math.max(latest, newest(path.join(entry, name))), stat.mtimeMs);
  };
  return sourceRoots.filter((root) => fs.existsSync(root)).every((root) => newest(root) < builtAt);
}

async function acquireLock(lock: string): Promise<void> {
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      return;
    } catch {
      // A lock older than a build can take was left by a killed run: take it over.
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 5 * 60_000) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`Waited 5 minutes for another test's next build (lock ${lock}).`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

export async function startApp(env: Record<string, string> = {}): Promise<AppServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-e2e-"));
  const server = await launchServer({ PGLITE_DIR: path.join(dataDir, "pglite"), ...env });
  return {
    url: server.url,
    pid: server.pid,
    dataDir,
    output: server.output,
    async stop() {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The production server (scripts/serve.mjs) of the e2e build in its own process group, so it can be stopped or SIGKILLed whole. */
export interface ServerProcess {
  url: string;
  /** Its process group (the leader's pid). */
  pid: number;
  output(): string;
  /** SIGKILL to the whole group: no shutdown hooks run. */
  kill9(): Promise<void>;
  /** SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>;
  /** Sends `signal` to the server process alone (as `docker stop` or an orchestrator does), not to its group. */
  signal(signal: NodeJS.Signals): void;
  /** Resolves with the exit code once the process has ended (null when a signal ended it). */
  exited: Promise<number | null>;
}

/**
 * Every server process still running, SIGKILLed when the test process exits: a server whose start
 * outlived its beforeAll's timeout is otherwise never stopped, since no test got hold of it.
 */
const launched = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of launched) {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

/**
 * Starts the e2e build on a free loopback port and waits until it answers `/api/models`: with
 * 200 by default, or with any status when `ready: "answering"` (its database may be down).
 */
export async function launchServer(
  env: Record<string, string>,
  { ready = "ok" }: { ready?: "ok" | "answering" } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn("node", ["scripts/serve.mjs"], {
    env: { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1", DATABASE_URL: "", PORT: String(port), HOSTNAME: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  launched.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      launched.delete(child);
      resolve(code);
    }),
  );
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  const server: ServerProcess = {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    output: () => output,
    async kill9() {
      if (gone()) return;
      signalGroup("SIGKILL");
      await exited;
    },
    async stop() {
      if (gone()) return;
      signalGroup("SIGTERM");
      const timer = setTimeout(() => signalGroup("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
    signal(signal) {
      if (!gone()) child.kill(signal);
    },
    exited,
  };
  await waitUntilReady(server, child, ready);
  return server;
}

async function waitUntilReady(server: ServerProcess, child: ChildProcess, ready: "ok" | "answering"): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${server.output()}`);
    try {
      const response = await fetch(`${server.url}/api/models`, { signal: AbortSignal.timeout(5_000) });
      if (response.ok || ready === "answering") return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await server.stop();
  throw new Error(`the server did not answer within 60 s:\n${server.output()}`);
}
