// Imports that survive upstream faults and killed workers, and end exact.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { assertImportExact, getJob } from "@/tests/support/imports";
import { type Stack, startStack, waitFor } from "@/tests/support/stack";

let stack: Stack;

before(async () => {
  stack = await startStack({ rateLimit: 25 });
});
after(async () => {
  await stack.stop();
});

test("20 % mixed upstream faults (8, 11, 16, 29, HTML, truncated JSON, hangs, wrong user): a 30,000-play year is still exact", async () => {
  const worker = await stack.startWorker();
  await stack.lastfm.configure({ faultRate: 0.2 });
  try {
    await assertImportExact("HeavyHanna", 2023, 180_000);
  } finally {
    await stack.lastfm.configure({ faultRate: 0 });
    await worker.kill("SIGTERM");
  }
  const injected = (await stack.lastfm.stats()).faultsInjected as Record<string, number>;
  const kinds = Object.entries(injected).filter(([, count]) => count > 0);
  assert.ok(kinds.length >= 5, `expected a mix of faults, got ${JSON.stringify(injected)}`);
});

test("a worker SIGKILLed twice mid-import: the job resumes from its checkpoints and ends exact", async () => {
  const { requestImport } = await import("@/lib/imports/requests");
  await stack.lastfm.configure({ latencyMs: 40 });
  let worker = await stack.startWorker();
  await requestImport("HeavyHanna", 2024);
  for (const threshold of [15, 35]) {
    await waitFor(async () => ((await getJob("HeavyHanna", 2024))?.pagesFetched ?? 0) >= threshold, 60_000);
    await worker.kill("SIGKILL");
    const atKill = await getJob("HeavyHanna", 2024);
    assert.ok(atKill && atKill.status !== "complete", "the kill must land mid-import");
    worker = await stack.startWorker();
  }
  await stack.lastfm.configure({ latencyMs: 5 });
  const { job } = await assertImportExact("HeavyHanna", 2024, 180_000);
  assert.equal(job.pagesFetched, job.totalPages);
});

test("an import whose queued job failed is re-queued by the worker on its own, no visitor needed", async () => {
  const { Worker, UnrecoverableError } = await import("bullmq");
  const { requestImport } = await import("@/lib/imports/requests");
  const { jobId, queue, QUEUE } = await import("@/lib/jobs");
  const { createRedisConnection } = await import("@/lib/server/redis");
  const { db } = await import("@/lib/server/db");
  await Promise.all(stack.workers().map((worker) => worker.kill("SIGTERM")));
  const { user, job } = await requestImport("LightLeo", 2021);
  // A processor that dies before touching the row (a crash, a bug): BullMQ keeps the job as failed.
  const connection = createRedisConnection("failing-worker");
  const failing = new Worker(
    QUEUE.fetchScrobbles,
    async () => {
      throw new UnrecoverableError("died before the row was touched");
    },
    { connection, prefix: `${stack.env.REDIS_PREFIX}-bull` },
  );
  const id = jobId(QUEUE.fetchScrobbles, { username: "lightleo", year: 2021 });
  await waitFor(async () => (await (await queue(QUEUE.fetchScrobbles).getJob(id))?.getState()) === "failed", 15_000);
  await failing.close();
  await connection.quit();
  await db().$executeRaw`UPDATE fetch_jobs SET updated_at = now() - interval '1 minute' WHERE id = ${job.id}`;
  assert.equal((await getJob("LightLeo", 2021))?.status, "queued");

  await stack.startWorker(); // its sweep runs at start, then every 30 s
  const done = await waitFor(async () => {
    const current = await db().fetchJob.findUnique({ where: { userId_year: { userId: user.id, year: 2021 } } });
    return current?.status === "complete" ? current : undefined;
  }, 60_000);
  assert.equal(done.attempts, 0, "a successful fetch resets the sweep's count");
});
