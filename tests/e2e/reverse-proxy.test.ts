import http from "node:http";
import type { Browser } from "playwright-core";
import { launchChromium } from "../support/chromium";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase } from "../support/databases";
import { startNginx, type ReverseProxy } from "../support/nginx";
import { buildApp, startApp, type AppServer } from "../support/server";

/**
 * Share links in a real deployment (issue 19, finding 1): reached through 127.0.0.1, through a
 * Host header, and behind a real nginx, every link in an API reply points where the client came
 * from, and Fork in a browser stays on the page's own origin. On the embedded database and, when
 * TEST_DATABASE_URL is set, on PostgreSQL.
 */
let browser: Browser;

beforeAll(async () => {
  await buildApp();
  browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser?.close();
});

const postgresUrl = process.env.TEST_DATABASE_URL;
if (!postgresUrl) console.warn("NOTICE: TEST_DATABASE_URL is not set: the reverse-proxy test on PostgreSQL is skipped.");
const backends: { name: string; database(): Promise<{ env: Record<string, string>; drop(): Promise<void> }> }[] = [
  { name: "the embedded database", database: async () => ({ env: {}, drop: async () => {} }) },
  ...(postgresUrl
    ? [
        {
          name: "PostgreSQL",
          database: async () => {
            const scratch = await createScratchDatabase(postgresUrl);
            return { env: { DATABASE_URL: scratch.url }, drop: scratch.drop };
          },
        },
      ]
    : []),
];

/** Saves an exploration through `base` (node:http, because fetch will not send a Host of our choosing). */
function save(base: string, headers: Record<string, string> = {}): Promise<{ url: string; editUrl: string; slug: string }> {
  const body = JSON.stringify({ title: "Links", items: [{ text: "cat" }, { text: "dog" }, { text: "car" }] });
  return new Promise((resolve, reject) => {
    const request = http.request(`${base}/api/explorations`, { method: "POST", headers: { "content-type": "application/json", ...headers } }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => (response.statusCode === 201 ? resolve(JSON.parse(text)) : reject(new Error(`${response.statusCode}: ${text}`))));
    });
    request.on("error", reject);
    request.end(body);
  });
}

describe.each(backends)("share links behind a reverse proxy, on $name", ({ database }) => {
  let app: AppServer;
  let proxy: ReverseProxy;
  let drop = async () => {};

  beforeAll(async () => {
    const { env, drop: dropDatabase } = await database();
    drop = dropDatabase;
    app = await startApp({ TRUSTED_PROXY_HOPS: "1", ...env });
    proxy = await startNginx(app.url);
  }, 180_000);

  afterAll(async () => {
    await proxy?.stop();
    await app?.stop();
    await drop();
  });

  it("point at 127.0.0.1 when the app was reached there, not at localhost", async () => {
    const direct = app.url.replace("localhost", "127.0.0.1");
    const saved = await save(direct);
    expect(saved.url).toBe(`${direct}/s/${saved.slug}`);
    expect(saved.editUrl.startsWith(`${direct}/s/${saved.slug}/edit#key=`)).toBe(true);
  });

  it("follow the Host header nginx passes on, and the https of a TLS-terminating proxy", async () => {
    const plain = await save(proxy.url);
    expect(plain.url).toBe(`${proxy.url}/s/${plain.slug}`);
    const named = await save(proxy.tlsUrl, { host: "notebook.example.org" });
    expect(named.url).toBe(`https://notebook.example.org/s/${named.slug}`);
    // The link works: the share page answers through the proxy.
    const page = await fetch(`${proxy.url}/s/${plain.slug}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Links");
  });

  it("Fork in a browser opens the copy on the page's own origin, through the proxy", async () => {
    const saved = await save(proxy.url);
    const page = await browser.newPage();
    await page.goto(`${proxy.url}/s/${saved.slug}`);
    await page.getByRole("button", { name: /fork/i }).click();
    await page.waitForURL(/\/s\/[A-Za-z0-9_-]{16}\/edit#key=/, { timeout: 60_000 });
    const forked = new URL(page.url());
    expect(forked.origin).toBe(proxy.url);
    expect(forked.pathname).not.toContain(saved.slug);
    await page.close();
  }, 120_000);
});
