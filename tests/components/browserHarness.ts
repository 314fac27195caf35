import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../support/chromium";

/**
 * Real views in real Chromium without Next.js: esbuild bundles a tiny entry that puts MapView,
 * HeatmapView and the browser-side export helpers on `window`, a throwaway HTTP server on 127.0.0.1 (free port) serves it, and tests
 * drive the page with playwright-core. Skipped, with a notice, where /usr/bin/chromium is missing.
 */

const root = path.resolve(import.meta.dirname, "../..");
const page = `<!doctype html><html><head><meta charset="utf-8"></head>
<body style="margin:0;font-family:sans-serif"><div id="map"></div><div id="heatmap"></div>
<script>window.errors = []; addEventListener("error", (e) => errors.push(String(e.message)));</script>
<script src="/bundle.js"></script></body></html>`;

export interface Harness {
  browser: Browser;
  newPage: () => Promise<Page>;
  close: () => Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "views-harness-"));
  const entry = path.join(directory, "entry.ts");
  fs.writeFileSync(
    entry,
    [
      `import { MapView } from ${JSON.stringify(path.join(root, "components/map/MapView"))};`,
      `import { HeatmapView } from ${JSON.stringify(path.join(root, "components/heatmap/HeatmapView"))};`,
      `import { mapToSvg } from ${JSON.stringify(path.join(root, "lib/export/mapSvg"))};`,
      `import { svgToPng } from ${JSON.stringify(path.join(root, "lib/export/svgToPng"))};`,
      "Object.assign(window, { MapView, HeatmapView, mapToSvg, svgToPng });",
    ].join("\n"),
  );
  const bundle = path.join(directory, "bundle.js");
  await build({ entryPoints: [entry], bundle: true, format: "iife", outfile: bundle, logLevel: "error", nodePaths: [path.join(root, "node_modules")] });

  const server = http.createServer((request, response) => {
    if (request.url === "/bundle.js") {
      response.writeHead(200, { "content-type": "text/javascript" });
      return response.end(fs.readFileSync(bundle));
    }
    if (request.url === "/") {
      response.writeHead(200, { "content-type": "text/html" });
      return response.end(page);
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  const browser = await launchChromium();
  return {
    browser,
    newPage: async () => {
      const created = await browser.newPage({ viewport: { width: 900, height: 700 } });
      await created.goto(url);
      return created;
    },
    close: async () => {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** The 7-word fixture: cat's nearest are dog 0.66, pet 0.61, animal 0.58. */
export const animals = {
  labels: ["cat", "dog", "animal", "pet", "car", "truck", "banana"],
  x: [1.2, 1.8, 0.6, 1.5, 4.2, 4.8, 3.0],
  y: [2.1, 2.4, 2.6, 1.6, 0.5, 0.9, 3.5],
  groups: [0, 0, 0, 0, 1, 1, 1],
  groupNames: ["animals", "things"],
  neighbours: [
    [{ index: 1, score: 0.66 }, { index: 3, score: 0.61 }, { index: 2, score: 0.58 }],
    [{ index: 3, score: 0.63 }, { index: 0, score: 0.66 }, { index: 2, score: 0.55 }],
    [{ index: 0, score: 0.58 }, { index: 1, score: 0.55 }, { index: 3, score: 0.52 }],
    [{ index: 1, score: 0.63 }, { index: 0, score: 0.61 }, { index: 2, score: 0.52 }],
    [{ index: 5, score: 0.62 }, { index: 1, score: 0.41 }, { index: 0, score: 0.4 }],
    [{ index: 4, score: 0.62 }, { index: 1, score: 0.4 }, { index: 0, score: 0.39 }],
    [{ index: 0, score: 0.37 }, { index: 2, score: 0.36 }, { index: 4, score: 0.35 }],
  ],
};
