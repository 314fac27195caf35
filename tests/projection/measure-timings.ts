/**
 * Timings of the projections on seeded, clustered 512-d unit vectors (a measurement, not a test):
 *   npx tsx tests/projection/measure-timings.ts [sizes…]
 * Prints one line per step, in milliseconds.
 */
import { nearestNeighbours } from "@/lib/projection/neighbours";
import { orderBySimilarity } from "@/lib/projection/ordering";
import { pca } from "@/lib/projection/pca";
import { fitUmap } from "@/lib/projection/umap";
import { cosineMatrix } from "@/lib/vectors";
import { clusteredVectors } from "./fixtures";

const sizes = process.argv.slice(2).map(Number).filter(Boolean);
const DIMENSIONS = 512;

async function time<T>(label: string, run: () => T | Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await run();
  console.log(`${label.padEnd(44)} ${(performance.now() - start).toFixed(0).padStart(7)} ms`);
  return result;
}

for (const n of sizes.length > 0 ? sizes : [200, 1000, 2000]) {
  const vectors = clusteredVectors(n, DIMENSIONS, 10, n);
  console.log(`n = ${n}, d = ${DIMENSIONS}`);
  await time("  pca", () => pca(vectors));
  const umap = await time("  fitUmap (default epochs)", () => fitUmap(vectors));
  await time("  fitUmap (nEpochs 201)", () => fitUmap(vectors, { nEpochs: 201 }));
  const fresh = clusteredVectors(20, DIMENSIONS, 10, n + 1);
  await time("  transform 20 new vectors", () => umap.transform(fresh));
  await time("  nearestNeighbours k=5", () => nearestNeighbours(vectors));
  if (n <= 1000) await time("  orderBySimilarity (incl. cosineMatrix)", () => orderBySimilarity(cosineMatrix(vectors)));
}
