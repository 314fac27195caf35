import { updateCollectionMap } from "../../maps/service";
import type { JobKind, JobRun } from "../types";

/**
 * A collection's map brought up to date, or laid out again (`params.relayout`), as a job: one item,
 * whose units are the collection's rows. Cancelling keeps the map as it was: points are written
 * only once the layout is complete.
 */

export interface MapJobParams {
  relayout: boolean;
}

export const mapJob: JobKind = {
  kind: "map",
  names: { items: "maps", units: "rows" },
  run: runMap,
};

/** Shares of the work per step, for the progress: the layout's epochs are most of it. */
const stepShares = { neighbours: [0, 0.35], layout: [0.35, 0.95], placing: [0.95, 1] } as const;

async function runMap(job: JobRun): Promise<void> {
  const { relayout } = job.params as unknown as MapJobParams;
  const [item] = await job.pendingItems({ afterPosition: -1, limit: 1 });
  if (!item || job.collectionId === null) return;
  await job.begin([item.position]);
  let rows = 0;
  try {
    const update = await updateCollectionMap(job.db, {
      collectionId: job.collectionId,
      relayout,
      signal: job.signal,
      onProgress: (step, done) => {
        const [from, to] = stepShares[step];
        job.reportPartial(Math.floor(rows * (from + (to - from) * done)));
      },
      onRows: async (count) => {
        rows = count;
        await job.plan([{ position: item.position, units: count }]);
      },
    });
    await job.complete(item.position, { status: "done", action: update.action, rows: update.rows, positioned: update.positioned, seconds: Math.round(update.seconds * 10) / 10 }, update.rows);
  } catch (error) {
    if (job.signal.aborted) return; // the runner records the cancel (or hands the job back)
    throw error;
  }
}
