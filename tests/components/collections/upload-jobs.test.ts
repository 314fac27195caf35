import { describe, expect, it } from "vitest";
import type { UploadJob } from "@/components/collections/collectionsApi";
import { jobOutcomes } from "@/components/collections/followJob";
import { planJobs, type PlannedDocument } from "@/components/collections/uploadPlan";
import { describeTimeLeft } from "@/components/collections/UploadStatus";

const document = (index: number, text: string): PlannedDocument => ({ index, name: `f${index}.md`, text, metadata: {} });
const limits = { maxDocumentsPerJob: 3, maxJobBodyBytes: 100 };

describe("planJobs(documents, { limits })", () => {
  it("puts documents in order into jobs of at most maxDocumentsPerJob", () => {
    const jobs = planJobs([0, 1, 2, 3, 4].map((i) => document(i, "x")), { limits });
    expect(jobs.map((job) => job.map((each) => each.index))).toEqual([[0, 1, 2], [3, 4]]);
  });

  it("keeps a job's texts within bodyShare (default 0.8) of the body limit, counted in UTF-8 bytes", () => {
    // 30 characters of "é" are 60 bytes: two of them pass 80.
    const jobs = planJobs([document(0, "é".repeat(30)), document(1, "é".repeat(30)), document(2, "a")], { limits });
    expect(jobs.map((job) => job.map((each) => each.index))).toEqual([[0], [1, 2]]);
    expect(planJobs([document(0, "a".repeat(60)), document(1, "a".repeat(60))], { limits, options: { bodyShare: 1.5 } })).toHaveLength(1);
  });

  it("gives a document bigger than a job's share a job of its own, and no jobs for no documents", () => {
    expect(planJobs([document(0, "a".repeat(500))], { limits })).toHaveLength(1);
    expect(planJobs([], { limits })).toEqual([]);
  });
});

const job = (state: UploadJob["state"], statuses: string[]): UploadJob =>
  ({
    id: "j",
    state,
    documents: statuses.map((status, index) => ({ index, status, ...(status === "added" ? { documentId: `document${String(index).padStart(8, "0")}`, chunks: 2 } : {}), ...(status === "failed" ? { error: { code: "unreadable:texts", message: "use-lite cannot read it" } } : {}) })),
  }) as unknown as UploadJob;

describe("jobOutcomes(job)", () => {
  it("shows the first pending document of a running job as under way, the rest as waiting", () => {
    expect(jobOutcomes(job("running", ["added", "pending", "pending"]))).toEqual([{ status: "added", chunks: 2 }, { status: "sending" }, { status: "waiting" }]);
  });

  it("names what became of each document once the job has ended", () => {
    expect(jobOutcomes(job("failed", ["duplicate", "failed", "skipped"]))).toEqual([
      { status: "duplicate" },
      { status: "failed", message: "use-lite cannot read it" },
      { status: "skipped", message: "not stored: the upload stopped before it" },
    ]);
    expect(jobOutcomes(job("cancelled", ["added", "cancelled"]))[1]).toEqual({ status: "cancelled" });
  });
});

describe("describeTimeLeft(seconds)", () => {
  it("says seconds under a minute and a half, then minutes, then hours and minutes", () => {
    expect(describeTimeLeft(0.2)).toBe("about 1 s left");
    expect(describeTimeLeft(40)).toBe("about 40 s left");
    expect(describeTimeLeft(200)).toBe("about 3 min left");
    expect(describeTimeLeft(7_800)).toBe("about 2 h 10 min left");
  });
});
