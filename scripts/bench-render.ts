/**
 * `npm run bench:render`: how fast the map draws, in headless Chromium, at 1k, 10k and 100k
 * points: time to first plot and frame time during a scripted pan/zoom, for the current renderer
 * and, in the same browser and run, a baseline; then the figures into BENCHMARKS.md, between the
 * render markers (the rest of the file is untouched).
 *
 * What runs: esbuild bundles the real components/map/MapView (no Next.js build) into a page served
 * from 127.0.0.1; the baseline is components/map as it was at git revision `--against` (default
 * bae5c09, the renderer before the performance work), bundled the same way. Points are seeded
 * synthetic clusters (24 Gaussian blobs of different sizes and spreads, 10 groups, pseudo-word
 * labels), identical for both. The view is 900 × 560 CSS px at device pixel ratio 1 (`--pixel-ratio`).
 *
 * - Time to first plot: from just before `new MapView(…)` (data already in memory) to the start of
 *   the first animation frame after the view's first draw, i.e. once that draw has been painted.
 * - Frame time: a scripted gesture, one synthetic event per animation frame, handled by the view's
 *   own d3-zoom: a circular mouse-drag pan at the fitted view (every point on screen), 30 wheel
 *   ticks zooming in to ×2.8, the same pan again, 30 ticks back out. Chromium runs
 *   with its frame-rate limit off (`--disable-frame-rate-limit --disable-gpu-vsync`), so the time
 *   between consecutive frames is what one frame costs (script, layout, paint, canvas raster),
 *   not a 60 Hz tick. Reported: per run the median and the 95th percentile of those intervals, and
 *   the median main-thread work per frame (the draw, style, layout and paint; the rest of an
 *   interval is compositing and scheduling).
 *
 * Usage: npm run bench:render [-- --runs 5] [-- --sizes 1000,10000,100000] [-- --against <rev>]
 *        [-- --pixel-ratio 2] [-- --screenshots] (saves screenshots/render-<n>[-baseline][-zoomed].png)
 *        [-- --no-write]
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { chromium, type Browser, type Page } from "playwright-core";
import { describeMachine, rootDir, sourceState, writeResults } from "./bench-report";

const chromiumPath = "/usr/bin/chromium";
const viewport = { width: 900, height: 560 };

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
}
const runs = Number(argument("runs") ?? 5);
const sizes = (argument("sizes") ?? "1000,10000,100000").split(",").map(Number);
const against = argument("against") ?? "bae5c09";
const write = !process.argv.includes("--no-write");
const screenshots = process.argv.includes("--screenshots");
const pixelRatio = Number(argument("pixel-ratio") ?? 1);

const log = (message: string) => console.error(message);
/** Frames in the scripted gesture (see runInPage): 2 drags of 30 moves + press and release, 2 × 30 wheel ticks. */
const gestureFrames = 2 * 32 + 2 * 30;

/** Bundles `components/map/MapView` found under `sourceRoot` into `outfile`, exposing `window.MapView`. */
async function bundleMapView(sourceRoot: string, outfile: string): Promise<void> {
  const entry = `${outfile}.entry.ts`;
  const mapView = JSON.stringify(path.join(sourceRoot, "components/map/MapView"));
  fs.writeFileSync(entry, `import { MapView } from ${mapView};\nObject.assign(window, { MapView });\n`);
  await build({
    entryPoints: [entry],
    bundle: true,
    format: "iife",
    outfile,
    logLevel: "error",
    nodePaths: [path.join(rootDir, "node_modules")],
    alias: { "@": sourceRoot },
  });
}

/** components/map at `revision`, and lib/plot where that revision has it, extracted into `directory` (needs the git history). */
function extractRevision(revision: string, directory: string): void {
  const hasPlot = spawnSync("git", ["cat-file", "-e", `${revision}:lib/plot`], { cwd: rootDir }).status === 0;
  const paths = hasPlot ? ["components/map", "lib/plot"] : ["components/map"];
  const archive = spawnSync("git", ["archive", revision, ...paths], { cwd: rootDir, maxBuffer: 64 * 2 ** 20 });
  if (archive.status !== 0) throw new Error(`git archive ${revision} failed: ${archive.stderr}. Pass --against <a revision this clone has>.`);
  const untar = spawnSync("tar", ["-x", "-C", directory], { input: archive.stdout });
  if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
}

const pageHtml = (bundle: string) => `<!doctype html><html><head><meta charset="utf-8"></head>
<body style="margin:0;font-family:sans-serif;padding:8px"><div id="map"></div>
<script>window.errors = []; addEventListener("error", (e) => errors.push(String(e.message)));
// tsx compiles the benchmark with esbuild's keepNames, which wraps functions passed to the page in __name().
window.__name = (target) => target;</script>
<script src="/${bundle}"></script></body></html>`;

function serve(directory: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((request, response) => {
    const name = (request.url ?? "/").slice(1);
    if (/^[a-z]+\.html$/.test(name)) {
      response.writeHead(200, { "content-type": "text/html" });
      return response.end(pageHtml(name.replace(".html", ".js")));
    }
    if (/^[a-z]+\.js$/.test(name) && fs.existsSync(path.join(directory, name))) {
      response.writeHead(200, { "content-type": "text/javascript" });
      return response.end(fs.readFileSync(path.join(directory, name)));
    }
    response.writeHead(404).end();
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    ),
  );
}

interface RunResult {
  firstPlot: number;
  /** Main-thread time of each frame of the gesture, ms. */
  frames: number[];
  /** Time between consecutive frames, ms (at least the display's 16.7 ms). */
  intervals: number[];
  errors: string[];
}

/**
 * Runs in the page: builds the seeded clustered data, mounts the map, times the first plot, then
 * drives the gesture and returns the frame intervals. Self-contained (it is serialised by playwright).
 */
async function runInPage({ count, width, height }: { count: number; width: number; height: number }): Promise<RunResult> {
  let seed = 0x9e3779b9 ^ count;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const clusters = Array.from({ length: 24 }, (_, group) => ({ cx: random() * 20, cy: random() * 12, spread: 0.15 + random() * 1.2, weight: 0.2 + random(), group: group % 10 }));
  const totalWeight = clusters.reduce((sum, cluster) => sum + cluster.weight, 0);
  const syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zi", "pa", "dor", "len", "qui", "bes", "tor", "an"];
  const x = new Float32Array(count);
  const y = new Float32Array(count);
  const groups = new Uint8Array(count);
  const labels: string[] = [];
  for (let index = 0; index < count; index++) {
    let pick = random() * totalWeight;
    const cluster = clusters.find((candidate) => (pick -= candidate.weight) <= 0) ?? clusters[0];
    x[index] = cluster.cx + gaussian() * cluster.spread;
    y[index] = cluster.cy + gaussian() * cluster.spread * 0.8;
    groups[index] = cluster.group;
    const length = 2 + Math.floor(random() * 3);
    labels.push(Array.from({ length }, () => syllables[Math.floor(random() * syllables.length)]).join(""));
  }
  const w = window as unknown as { MapView: new (element: HTMLElement, props: object) => { render: () => void }; errors: string[] };
  const frame = () => new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now())));
  await frame();

  // Time to first plot: wrap the view's draw to learn when it first ran.
  let drawn: () => void = () => {};
  const firstDraw = new Promise<void>((resolve) => (drawn = resolve));
  const start = performance.now();
  const view = new w.MapView(document.getElementById("map")!, {
    x,
    y,
    labels,
    groups,
    groupNames: ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"],
    width,
    height,
  });
  const render = view.render.bind(view);
  view.render = () => {
    render();
    drawn();
  };
  await firstDraw;
  const firstPlot = (await frame()) - start;
  for (let settle = 0; settle < 5; settle++) await frame();

  // The gesture: one event per frame, dispatched at the start of the frame; the view redraws later
  // in the same frame (its requestAnimationFrame callback was queued after ours).
  const surface = document.querySelector<HTMLElement>(".map-surface")!;
  const bounds = surface.getBoundingClientRect();
  const at = (fx: number, fy: number) => ({ clientX: bounds.left + bounds.width * fx, clientY: bounds.top + bounds.height * fy });
  const mouse = (type: string, target: EventTarget, position: { clientX: number; clientY: number }) =>
    target.dispatchEvent(new MouseEvent(type, { ...position, bubbles: true, cancelable: true, view: window, button: 0, buttons: type === "mouseup" ? 0 : 1 }));
  const steps: (() => void)[] = [];
  const wheel = (deltaY: number, fx: number, fy: number) => () =>
    surface.dispatchEvent(new WheelEvent("wheel", { ...at(fx, fy), deltaY, deltaMode: 0, bubbles: true, cancelable: true, view: window }));
  const drag = (frames: number, radius: number) => {
    steps.push(() => mouse("mousedown", surface, at(0.5, 0.5)));
    for (let i = 1; i <= frames; i++) {
      const angle = (i / frames) * 2 * Math.PI;
      steps.push(() => mouse("mousemove", window, at(0.5 + radius * Math.sin(angle), 0.5 + radius * (1 - Math.cos(angle)))));
    }
    steps.push(() => mouse("mouseup", window, at(0.5, 0.5)));
  };
  drag(30, 0.15); // A loop at the fitted view: every point on screen.
  for (let i = 0; i < 30; i++) steps.push(wheel(-25, 0.45, 0.5)); // In, ×2.8 in all.
  drag(30, 0.15);
  for (let i = 0; i < 30; i++) steps.push(wheel(25, 0.55, 0.45)); // Back out.

  // Input arrives between frames, as it does from a real mouse: each step is dispatched in a task
  // after the previous frame, so the view redraws once in the next frame. Per frame two figures:
  // the interval to the previous frame (the frame rate limit is off, so this is the frame's whole
  // cost while something changes on screen) and its main-thread work, from the start of the frame
  // (our callback runs before the view's) to a message posted then, which runs once the view's
  // draw, style, layout and paint are done.
  const work: number[] = [];
  const intervals: number[] = [];
  const channel = new MessageChannel();
  let frameStart = 0;
  let previous = 0;
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = (time: number) => {
      if (previous) intervals.push(time - previous);
      previous = time;
      frameStart = performance.now();
      channel.port2.postMessage(null);
    };
    channel.port1.onmessage = () => {
      if (next > 0) work.push(performance.now() - frameStart);
      const step = steps[next++];
      if (!step) return resolve();
      requestAnimationFrame(tick); // Before the step, whose redraw request must come after it.
      step();
    };
    channel.port2.postMessage(null);
  });
  channel.port1.close();
  await frame();
  return { firstPlot, frames: work, intervals, errors: w.errors };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))];
const ms = (value: number) => (value < 10 ? value.toFixed(1) : value.toFixed(0));
const cell = (values: number[]) => (values.length > 1 ? `${ms(median(values))} (${ms(Math.min(...values))}–${ms(Math.max(...values))})` : ms(values[0]));

interface Figures {
  firstPlot: number[];
  /** Per run: median and 95th percentile of the frame intervals, median of the main-thread work. */
  frame: number[];
  frameP95: number[];
  work: number[];
}

async function measure(browser: Browser, url: string, bundle: string, count: number, shoot: boolean): Promise<Figures> {
  const figures: Figures = { firstPlot: [], frame: [], frameP95: [], work: [] };
  for (let r = 0; r < runs; r++) {
    const page: Page = await browser.newPage({ viewport: { width: viewport.width + 40, height: viewport.height + 120 }, deviceScaleFactor: pixelRatio });
    await page.goto(`${url}${bundle}.html`);
    const result = await page.evaluate(runInPage, { count, width: viewport.width, height: viewport.height });
    if (result.errors.length) throw new Error(`${bundle} at n = ${count}: ${result.errors.join("; ")}`);
    figures.firstPlot.push(result.firstPlot);
    figures.frame.push(median(result.intervals));
    figures.frameP95.push(quantile(result.intervals, 0.95));
    figures.work.push(median(result.frames));
    log(
      `  ${bundle} run ${r + 1}: first plot ${ms(result.firstPlot)} ms, frame median ${ms(figures.frame.at(-1)!)} ms, ` +
        `p95 ${ms(figures.frameP95.at(-1)!)} ms, main-thread work median ${ms(figures.work.at(-1)!)} ms (${result.intervals.length} frames)`,
    );
    if (shoot && r === 0) await saveScreenshots(page, bundle === "current" ? `render-${count}` : `render-${count}-${bundle}`);
    await page.close();
  }
  return figures;
}

/** The fitted view and a zoomed one, for looking at (screenshots/ is not committed). */
async function saveScreenshots(page: Page, name: string): Promise<void> {
  const directory = path.join(rootDir, "screenshots");
  fs.mkdirSync(directory, { recursive: true });
  const map = page.locator(".map-view");
  await page.locator(".map-reset").click();
  await page.waitForTimeout(400);
  await map.screenshot({ path: path.join(directory, `${name}.png`) });
  const box = (await page.locator(".map-surface").boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.5);
  for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -120);
  await page.mouse.move(1, 1); // Off the map: no hover emphasis in the picture.
  await page.waitForTimeout(400);
  await map.screenshot({ path: path.join(directory, `${name}-zoomed.png`) });
  log(`  screenshots/${name}.png, screenshots/${name}-zoomed.png`);
}

async function main(): Promise<void> {
  if (!(Number.isInteger(runs) && runs >= 1)) throw new Error("--runs must be a whole number ≥ 1.");
  if (!sizes.every((n) => Number.isInteger(n) && n >= 1)) throw new Error("--sizes must be whole numbers ≥ 1, e.g. 1000,10000.");
  if (!(pixelRatio >= 1 && pixelRatio <= 4)) throw new Error("--pixel-ratio must be a number from 1 to 4, e.g. 2.");
  if (!fs.existsSync(chromiumPath)) throw new Error(`${chromiumPath} not found: apt-get install -y chromium.`);
  const loadBefore = os.loadavg()[0];
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "bench-render-"));
  try {
    fs.mkdirSync(path.join(directory, "baseline"));
    extractRevision(against, path.join(directory, "baseline"));
    await bundleMapView(path.join(directory, "baseline"), path.join(directory, "baseline.js"));
    const source = sourceState(["components/map"]); // read when the bundle is made
    await bundleMapView(rootDir, path.join(directory, "current.js"));
    const server = await serve(directory);
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-frame-rate-limit", "--disable-gpu-vsync",
      ],
    });
    const rows: string[] = [];
    try {
      for (const n of sizes) {
        log(`bench: n = ${n}`);
        // Alternating per size keeps slow phases of a shared machine from landing on one renderer only.
        const baseline = await measure(browser, server.url, "baseline", n, screenshots);
        const current = await measure(browser, server.url, "current", n, screenshots);
        const target = n >= 100_000 ? 33 : n >= 10_000 ? 16 : undefined;
        const met = target === undefined ? "" : median(current.frame) <= target ? ` ✓ ≤ ${target}` : ` ✗ > ${target}`;
        rows.push(
          `| ${n.toLocaleString("en")} | ${cell(baseline.firstPlot)} | ${cell(current.firstPlot)} | ` +
            `${cell(baseline.frame)} | ${cell(current.frame)}${met} | ${(median(baseline.frame) / median(current.frame)).toFixed(1)}× | ` +
            `${cell(baseline.frameP95)} | ${cell(current.frameP95)} | ${cell(baseline.work)} | ${cell(current.work)} |`,
        );
      }
    } finally {
      await browser.close();
      await server.close();
    }
    const table = [
      `| Points | First plot, baseline ms | First plot, now ms | Frame, baseline ms | Frame, now ms (target) | Frame speed-up | ` +
        `Frame p95, baseline ms | Frame p95, now ms | Main thread, baseline ms | Main thread, now ms |`,
      "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
      ...rows,
    ].join("\n");
    const results = [
      "## Latest run",
      "",
      describeMachine({
        loadAtStart: loadBefore,
        source,
        hardwareNote: "no GPU (Chromium software rendering)",
        extraLines: [`Chromium ${browserVersion()} headless; ${runs} run(s) per figure`],
      }),
      "",
      `Command: \`npm run bench:render${pixelRatio === 1 ? "" : ` -- --pixel-ratio ${pixelRatio}`}\`. ` +
        `Baseline: components/map at \`${against}\`. A 900 × 560 px map at device pixel ratio ${pixelRatio}. ` +
        `Median of ${runs} run(s) (min–max). A run's frame figure is the median (p95: the 95th percentile) of the ` +
        `intervals between its ${gestureFrames} gesture frames; main thread: the median of those frames' main-thread work.`,
      "",
      table,
    ].join("\n");
    console.log(results);
    if (write) writeResults("bench:render", results, { heading: "Benchmarks: rendering the map" });
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

function browserVersion(): string {
  const output = spawnSync(chromiumPath, ["--version"], { encoding: "utf8" }).stdout ?? "";
  return /[\d.]+/.exec(output)?.[0] ?? "unknown";
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
