import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launchChromium } from "../support/chromium";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { pollUntil, readReply, type Reply } from "../support/http-reply";
import { buildApp, launchServer, type ServerProcess } from "../support/server";

/**
 * The embedded database's files on disk (issue 19, finding 7), against the production server:
 * SIGKILL during continuous saves loses no acknowledged save and the directory reopens cleanly;
 * a directory whose files are damaged makes the server say, in its log, in readiness, in every
 * API reply (503 in the error shape) and on its pages, what cannot be opened and how to recover.
 */

const running = new Set<ServerProcess>();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-damaged-"));
const pgliteDir = path.join(dir, "pglite");

async function launch(env: Record<string, string>, ready: "ok" | "answering" = "ok"): Promise<ServerProcess> {
  const server = await launchServer({ RATE_LIMIT_COMPUTE_PER_MINUTE: "0", RATE_LIMIT_WRITE_PER_MINUTE: "0", ...env }, { ready });
  running.add(server);
  return server;
}

async function stop(server: ServerProcess, how: "stop" | "kill9" = "stop"): Promise<void> {
  running.delete(server);
  await (how === "stop" ? server.stop() : server.kill9());
}

async function call(server: ServerProcess, method: string, route: string, body?: unknown): Promise<Reply> {
  return readReply(
    await fetch(`${server.url}${route}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    }),
  );
}

beforeAll(async () => {
  await buildApp();
}, 600_000);

afterEach(({ task }) => {
  if (task.result?.state === "fail") for (const server of running) console.error(`--- server output (${server.url}) ---\n${server.output().slice(-6000)}`);
});

afterAll(async () => {
  await Promise.all([...running].map((server) => server.stop()));
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Set by the first test: an exploration saved in the directory, for the share page of the damaged copy. */
let savedSlug: string;

describe("the embedded database on disk", () => {
  it("loses no acknowledged save when the server is SIGKILLed during continuous saves, and reopens cleanly", async () => {
    const first = await launch({ PGLITE_DIR: pgliteDir });
    const acknowledged: { slug: string; items: string[] }[] = [];
    let saving = true;
    const writers = [0, 1, 2, 3].map(async (writer) => {
      for (let n = 0; saving; n++) {
        const items = [`writer ${writer} save ${n}`, `cat ${writer}`, `dog ${n}`];
        try {
          const reply = await call(first, "POST", "/api/explorations", { title: `Writer ${writer} #${n}`, items: items.map((text) => ({ text })) });
          if (reply.status === 201) acknowledged.push({ slug: reply.json.slug, items });
          else throw new Error(`${reply.status}: ${reply.text}`);
        } catch (error) {
          if (saving) throw error; // only the kill may interrupt a save
        }
      }
    });
    while (acknowledged.length < 40) await new Promise((resolve) => setTimeout(resolve, 100));
    saving = false;
    await stop(first, "kill9");
    await Promise.all(writers);

    const second = await launch({ PGLITE_DIR: pgliteDir });
    for (const { slug, items } of acknowledged) {
      const reply = await call(second, "GET", `/api/explorations/${slug}`);
      expect(reply.status, reply.text).toBe(200);
      expect(reply.json.items.map((item: { text: string }) => item.text)).toEqual(items);
    }
    const after = await call(second, "POST", "/api/explorations", { title: "After the kill", items: [{ text: "owl" }, { text: "eagle" }] });
    expect(after.status, after.text).toBe(201);
    expect((await call(second, "GET", "/api/ready")).status).toBe(200);
    savedSlug = after.json.slug;
    await stop(second);
  }, 180_000);

  it("says in the log, in readiness, in API replies and on pages what cannot be opened and how to recover", async () => {
    // A copy of the directory, its files cut to half their length.
    const damaged = path.join(dir, "damaged");
    fs.cpSync(pgliteDir, damaged, { recursive: true });
    for (const file of fs.readdirSync(damaged, { recursive: true, withFileTypes: true })) {
      if (!file.isFile()) continue;
      const where = path.join(file.parentPath, file.name);
      fs.truncateSync(where, Math.floor(fs.statSync(where).size / 2));
    }
    const server = await launch({ PGLITE_DIR: damaged }, "answering");

    const recovery = /npm run import/;
    // The start says it, before any request.
    await pollUntil("the log says the database cannot be opened", 30, async () => server.output().includes("cannot be opened"));
    const log = server.output();
    expect(log).toContain(`The embedded database in ${damaged} (PGLITE_DIR) cannot be opened`);
    expect(log).toContain(`mv "${damaged}" "${damaged}.damaged"`);
    expect(log).toMatch(recovery);

    const ready = await call(server, "GET", "/api/ready");
    expect(ready.status).toBe(503);
    const database = ready.json.checks.find((check: { name: string }) => check.name === "database");
    expect(database.ok).toBe(false);
    expect(database.detail).toMatch(/damaged/);
    expect(database.detail).toMatch(recovery);

    for (const [method, route, body] of [
      ["POST", "/api/explorations", { title: "Into a damaged database", items: [{ text: "cat" }] }],
      ["GET", `/api/explorations/${savedSlug}`, undefined],
      ["POST", "/api/embed", { texts: ["a text the cache would be asked for"] }],
    ] as const) {
      const reply = await call(server, method, route, body);
      expect(reply.status, `${method} ${route}: ${reply.text}`).toBe(503);
      expect(reply.json.error.code).toBe("unavailable:database");
      expect(reply.json.error.message).toMatch(/damaged/);
      expect(reply.json.error.message).toMatch(recovery);
      expect(reply.text).not.toContain(damaged);
    }

    // The page, in a browser: Next.js renders a page's error boundary (app/error.tsx) in the client.
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${server.url}/s/${savedSlug}`);
      await page.getByRole("heading", { name: /database cannot be opened/i }).waitFor({ timeout: 30_000 });
      const text = await page.locator("main").innerText();
      expect(text).toMatch(/damaged or incomplete/);
      expect(text).not.toContain(damaged);
    } finally {
      await browser.close();
    }
    await stop(server);

    // Moved aside, the directory's place starts empty and works.
    fs.renameSync(damaged, `${damaged}.damaged`);
    const fresh = await launch({ PGLITE_DIR: damaged });
    expect((await call(fresh, "GET", "/api/ready")).status).toBe(200);
    await stop(fresh);
  }, 180_000);
});
