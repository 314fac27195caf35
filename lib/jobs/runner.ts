import os from "node:os";
import { AppError } from "../api/errors";
import { readConfig } from "../config";
import { isDatabaseUnavailable } from "../db/unavailable";
import type { Database } from "../db/database";
import {
  claimJob,
  completeJobItem,
  countCompletedJobItems,
  finishJob,
  listPendingJobItems,
  markJobItemsAttempted,
  planJobItems,
  releaseJob,
  renewJobLease,
  requeueRunningJobs,
  type JobProgress,
  type JobRow,
} from "../db/job-queries";
import { jobKinds } from "./registry";
import type { JobKind, JobRun, JsonObject } from "./types";

/**
 * The job runner of one server process: claims queued jobs (and jobs whose server died) one at a
 * time, runs them with their kind, renews the lease while they run, and ends them: done, failed,
 * cancelled, or, when the server stops, back in the queue for the next runner to resume.
 */

export interface JobRunnerOptions {
  /**
   * This runner's name in leases. Default `<hostname>:<PORT or 3000>`, stable across restarts, so
   * a restarted server takes back at once the jobs its previous process left running (other
   * servers wait for their lease to expire). Two live runners on one database need two names.
   */
  owner?: string;
  /** How long a claim holds without renewal; a job whose runner stalls this long is claimed again. Default 30 s. */
  leaseMs?: number;
  /** How often the lease is renewed and progress written while an item runs. Default 5 s. */
  heartbeatMs?: number;
  /** How often an idle runner looks for jobs queued through other servers or left by dead ones. Default 5 s. */
  pollMs?: number;
  /** The kinds this runner runs, by name. Default: every kind of the registry. */
  kinds?: Record<string, JobKind>;
  /** The machine whose files this runner can read (jobs with a `fileHost` param run only there). Default `jobFileHost()`. */
  host?: string;
}

/** This machine's name for jobs whose input is a file on its disk: JOB_FILE_HOST, else the hostname. */
export function jobFileHost(): string {
  return readConfig().JOB_FILE_HOST ?? os.hostname();
}

export const jobRunnerDefaults = { leaseMs: 30_000, heartbeatMs: 5_000, pollMs: 5_000 } as const;

type StopReason = "cancel" | "stop" | "lost";

export class JobRunner {
  readonly owner: string;
  private readonly leaseMs: number;
  private readonly heartbeatMs: number;
  private readonly pollMs: number;
  private readonly kinds: Record<string, JobKind>;
  private readonly host: string;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private wakeAgain = false;
  private current: { id: bigint; controller: AbortController } | undefined;
  private handedBack = 0;

  constructor(
    private readonly db: Database,
    { owner = defaultOwner(), leaseMs = jobRunnerDefaults.leaseMs, heartbeatMs = jobRunnerDefaults.heartbeatMs, pollMs = jobRunnerDefaults.pollMs, kinds = jobKinds, host = jobFileHost() }: JobRunnerOptions = {},
  ) {
    this.owner = owner;
    this.leaseMs = leaseMs;
    this.heartbeatMs = heartbeatMs;
    this.pollMs = pollMs;
    this.kinds = kinds;
    this.host = host;
  }

  /**
   * Takes back the jobs a previous process left running (every running job on an embedded
   * database, which one process opens at a time; this owner's on PostgreSQL), then starts working.
   */
  async start(): Promise<void> {
    try {
      const requeued = await requeueRunningJobs(this.db, { owner: this.db.kind === "pglite" ? undefined : this.owner });
      if (requeued > 0) console.log(`[jobs] resuming ${requeued} job${requeued === 1 ? "" : "s"} left running by a previous process`);
    } catch (error) {
      // Not fatal: their leases expire and they are claimed then.
      console.error("[jobs] could not take back the jobs a previous process left running:", error);
    }
    this.wake();
  }

  /** Looks for work now (a job was just queued). */
  wake(): void {
    if (this.stopped) return;
    if (this.loop) {
      this.wakeAgain = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    this.loop = this.work().finally(() => {
      this.loop = undefined;
      if (this.stopped) return;
      if (this.wakeAgain) this.wake();
      else this.timer = setTimeout(() => this.wake(), this.pollMs).unref();
    });
  }

  /** Stops the job under way if it is this one (it was cancelled through this server). */
  cancel(jobId: bigint): void {
    if (this.current?.id === jobId) this.current.controller.abort("cancel" satisfies StopReason);
  }

  /** Stops after the item under way, handing its job back to the queue; resolves when stopped. */
  async stop(): Promise<void> {
    await this.handBack();
  }

  /**
   * Claims nothing more and stops after the item under way, handing its job back to the queue
   * without marking it failed, where the next runner to look for work resumes it (another
   * server's within its poll interval, or this server's at its next start). Resolves, once
   * stopped, with how many jobs this call handed back (0 or 1): the production server's shutdown
   * logs it.
   */
  async handBack(): Promise<number> {
    const before = this.handedBack;
    this.stopped = true;
    clearTimeout(this.timer);
    this.current?.controller.abort("stop" satisfies StopReason);
    await this.loop;
    return this.handedBack - before;
  }

  private async work(): Promise<void> {
    this.wakeAgain = false;
    while (!this.stopped) {
      let job: JobRow | null;
      try {
        job = await claimJob(this.db, { owner: this.owner, leaseMs: this.leaseMs, kinds: Object.keys(this.kinds), host: this.host });
      } catch (error) {
        console.error("[jobs] could not look for jobs; trying again later:", error);
        return;
      }
      if (!job) return;
      const transient = await this.run(job);
      if (transient) return; // the database went away: wait a poll interval before the next claim
    }
  }

  /** Runs one claimed job to its end; true when it stopped because the database is unreachable. */
  private async run(job: JobRow): Promise<boolean> {
    const controller = new AbortController();
    this.current = { id: job.id, controller };
    // Stopped while this claim was on its way: hand the job straight back.
    if (this.stopped) controller.abort("stop" satisfies StopReason);
    const kind = this.kinds[job.kind];
    let progress: JobProgress = { itemsDone: 0, unitsDone: 0 };
    let partial = 0;
    // One write at a time, in order: a heartbeat never overwrites newer progress.
    let writes: Promise<unknown> = Promise.resolve();
    const write = <T>(operation: () => Promise<T>): Promise<T> => {
      const next = writes.then(operation);
      writes = next.catch(() => undefined);
      return next;
    };
    const current = (): JobProgress => ({ itemsDone: progress.itemsDone, unitsDone: progress.unitsDone + partial });
    const heed = (lease: { cancelRequested: boolean } | null) => {
      if (lease === null) controller.abort("lost" satisfies StopReason);
      else if (lease.cancelRequested) controller.abort("cancel" satisfies StopReason);
    };
    const heartbeat = setInterval(() => {
      write(() => renewJobLease(this.db, { jobId: job.id, owner: this.owner, leaseMs: this.leaseMs, progress: current() }))
        .then(heed)
        .catch((error) => console.error(`[jobs] could not renew the lease of job ${job.publicId}:`, error));
    }, this.heartbeatMs);
    heartbeat.unref();

    let failure: unknown;
    try {
      const completed = await countCompletedJobItems(this.db, { jobId: job.id });
      progress = { itemsDone: completed.items, unitsDone: completed.units };
      heed(await write(() => renewJobLease(this.db, { jobId: job.id, owner: this.owner, leaseMs: this.leaseMs, progress, runUnitsStart: completed.units })));
      if (job.cancelRequested) controller.abort("cancel" satisfies StopReason);
      if (!kind) throw new AppError("internal:job", `This server cannot run jobs of kind "${job.kind}".`);
      if (!controller.signal.aborted) await kind.run(this.context(job, controller, { write, heed, progress: () => progress, setProgress: (next) => (progress = next), setPartial: (units) => (partial = units) }));
    } catch (error) {
      if (!controller.signal.aborted) failure = error;
    } finally {
      clearInterval(heartbeat);
      this.current = undefined;
    }
    partial = 0;
    return write(() => this.end(job, controller.signal.reason as StopReason | undefined, failure, progress));
  }

  private context(
    job: JobRow,
    controller: AbortController,
    state: {
      write: <T>(operation: () => Promise<T>) => Promise<T>;
      heed: (lease: { cancelRequested: boolean } | null) => void;
      progress: () => JobProgress;
      setProgress: (progress: JobProgress) => void;
      setPartial: (units: number) => void;
    },
  ): JobRun {
    const { db, owner, leaseMs } = this;
    return {
      db,
      id: job.id,
      publicId: job.publicId,
      collectionId: job.collectionId,
      params: job.params as JsonObject,
      signal: controller.signal,
      pendingItems: ({ afterPosition, limit }) => listPendingJobItems(db, { jobId: job.id, afterPosition, limit }),
      async plan(units) {
        if (!(await planJobItems(db, { jobId: job.id, owner, units }))) state.heed(null);
      },
      begin: (positions) => markJobItemsAttempted(db, { jobId: job.id, positions }),
      async complete(position, result, units) {
        const before = state.progress();
        const progress = { itemsDone: before.itemsDone + 1, unitsDone: before.unitsDone + units };
        const lease = await state.write(() => completeJobItem(db, { jobId: job.id, owner, leaseMs, position, result, units, progress }));
        if (lease !== null) state.setProgress(progress);
        state.heed(lease);
      },
      reportPartial: (units) => state.setPartial(units),
    };
  }

  /** What the job's kind does once a job of it has ended (e.g. bring the collection's map up to date). */
  private async followUp(job: JobRow): Promise<void> {
    const followUp = this.kinds[job.kind]?.followUp;
    if (!followUp || job.collectionId === null) return;
    try {
      if (await followUp(this.db, job.collectionId)) this.wake();
    } catch (error) {
      console.error(`[jobs] the follow-up of job ${job.publicId} failed:`, error);
    }
  }

  /** Writes how the job ended; true when the database was unreachable. */
  private async end(job: JobRow, reason: StopReason | undefined, failure: unknown, progress: JobProgress): Promise<boolean> {
    const ids = { jobId: job.id, owner: this.owner, progress };
    try {
      if (reason === "lost") {
        console.warn(`[jobs] job ${job.publicId} was taken over by another runner (or deleted); this one stopped`);
      } else if (reason === "stop") {
        await releaseJob(this.db, ids);
        this.handedBack += 1;
      } else if (reason === "cancel") {
        await finishJob(this.db, { ...ids, state: "cancelled", pendingResult: { status: "cancelled" } });
      } else if (failure !== undefined) {
        if (isDatabaseUnavailable(failure)) {
          console.error(`[jobs] job ${job.publicId} paused: the database is unreachable; it resumes once it is back`);
          await releaseJob(this.db, ids);
          return true;
        }
        if (!(failure instanceof AppError && failure.status < 500)) console.error(`[jobs] job ${job.publicId} failed:`, failure);
        await finishJob(this.db, { ...ids, state: "failed", error: describeFailure(failure), pendingResult: { status: "skipped" } });
      } else {
        await finishJob(this.db, { ...ids, state: "done", pendingResult: { status: "skipped" } });
      }
      // Handed back or taken over, it has not ended: its follow-up comes when it does.
      if (reason !== "stop" && reason !== "lost") await this.followUp(job);
      return false;
    } catch (error) {
      // Unrecorded: the lease expires and a runner claims the job again.
      console.error(`[jobs] could not record how job ${job.publicId} ended:`, error);
      return isDatabaseUnavailable(error);
    }
  }
}

/** The error a failed job reports: an AppError's own (with its details, e.g. the row and column), or a generic one (what went wrong is only logged). */
function describeFailure(error: unknown): { code: string; message: string; details?: JsonObject } {
  if (error instanceof AppError) return { code: error.code, message: error.message, ...(error.details ? { details: error.details as JsonObject } : {}) };
  return { code: "internal:job", message: "The job stopped after an error on our side; what it had stored is kept." };
}

function defaultOwner(): string {
  return `${os.hostname()}:${process.env.PORT ?? "3000"}`;
}

/**
 * On globalThis: Next.js bundles this module more than once (route handlers, pages, the
 * instrumentation hook that opens the database), and each copy must find the one runner, e.g. the
 * production server's shutdown (lib/db/client.ts).
 */
const registry = globalThis as unknown as { embeddingsNotebookJobRunners?: WeakMap<Database, JobRunner> };
const runners = (registry.embeddingsNotebookJobRunners ??= new WeakMap<Database, JobRunner>());

/**
 * Starts the job runner of `db` (once per database; later calls return the same runner). The
 * runner stops before the database closes: `db.close()` waits for the item under way.
 */
export async function startJobRunner(db: Database, options: JobRunnerOptions = {}): Promise<JobRunner> {
  const existing = runners.get(db);
  if (existing) return existing;
  const runner = new JobRunner(db, options);
  runners.set(db, runner);
  const close = db.close.bind(db);
  db.close = async () => {
    await runner.stop();
    await close();
  };
  await runner.start();
  return runner;
}

/** The runner of `db` in this process, if one was started. */
export function jobRunnerOf(db: Database): JobRunner | undefined {
  return runners.get(db);
}
