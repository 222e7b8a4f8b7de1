// The full import at 1,000 plays a request: falling back to 500 and 200 when big pages keep failing,
// resuming across page sizes without losing or double-counting a play, and checking what was stored
// against Last.fm's own totals (a slice that disagrees is read again).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { assertImportExact, getJob, yearBounds } from "@/tests/support/imports";
import { type Stack, startStack, waitFor } from "@/tests/support/stack";

let stack: Stack;

before(async () => {
  stack = await startStack({ rateLimit: 25 });
});
after(async () => {
  await stack.stop();
});

async function checkpointSizes(username: string, year: number): Promise<Record<number, number>> {
  const { db } = await import("@/lib/server/db");
  const job = await getJob(username, year);
  const rows = await db().fetchJobPage.groupBy({ by: ["pageSize"], where: { jobId: job?.id }, _count: true });
  return Object.fromEntries(rows.map((row) => [row.pageSize, row._count]));
}

test("an account whose pages of 1,000 and 500 always fail is imported exactly at 200 a request", async () => {
  const worker = await stack.startWorker();
  await stack.lastfm.configure({ largePageFailUsers: ["VinylVera"], largePageFailAbove: 200 });
  try {
    const { job } = await assertImportExact("VinylVera", 2021);
    assert.equal(job.pageSize, 1000, "the import started at 1,000");
    assert.deepEqual(Object.keys(await checkpointSizes("VinylVera", 2021)), ["200"]);
    const stats = await stack.lastfm.stats();
    // Page 1 goes first and alone and finds the size that works (two failures at 1,000, two at 500):
    // the other pages start at 200 instead of failing at 1,000 and 500 each.
    assert.equal(stats.faultsInjected["large-page"], 4, JSON.stringify(stats.faultsInjected));
  } finally {
    await stack.lastfm.configure({ largePageFailUsers: [] });
    await worker.kill("SIGTERM");
  }
});

test("killed while reading pages of 500, resumed at 1,000: every play stored once, the counters exact", async () => {
  const { requestImport } = await import("@/lib/imports/requests");
  await stack.lastfm.configure({ largePageFailUsers: ["HeavyHanna"], largePageFailAbove: 500, latencyMs: 40 });
  let worker = await stack.startWorker();
  await requestImport("HeavyHanna", 2023);
  await waitFor(async () => ((await checkpointSizes("HeavyHanna", 2023))[500] ?? 0) >= 15, 60_000);
  await worker.kill("SIGKILL");
  const atKill = await getJob("HeavyHanna", 2023);
  assert.ok(atKill && atKill.status === "fetching", "the kill lands mid-import");

  await stack.lastfm.configure({ largePageFailUsers: [], latencyMs: 5 });
  worker = await stack.startWorker();
  try {
    await assertImportExact("HeavyHanna", 2023, 120_000);
    const sizes = await checkpointSizes("HeavyHanna", 2023);
    assert.ok(sizes[500] >= 15 && sizes[1000] >= 1, `checkpoints by size: ${JSON.stringify(sizes)}`);
  } finally {
    await worker.kill("SIGTERM");
  }
});

test("stored plays that disagree with Last.fm's count: only the slice that differs is read again", async () => {
  const worker = await stack.startWorker();
  const { user, job } = await assertImportExact("DadRockDan", 2022);
  await worker.kill("SIGTERM");
  const { db } = await import("@/lib/server/db");
  const { sliceWindow } = await import("@/lib/imports/year-window");
  const { verifyStoredPlays } = await import("@/worker/fetch-scrobbles");
  const slices = sliceWindow({ from: job.windowFrom, to: job.windowTo }, 12);
  // Plays lost in the fourth slice (a page that shifted while it was read, say).
  const lost = await db().scrobble.deleteMany({
    where: { userId: user.id, scrobbledAt: { gte: slices[3].from, lt: slices[3].to } },
  });
  assert.ok(lost.count > 0);
  await stack.lastfm.resetStats();

  const verified = await verifyStoredPlays(job, user.name, new AbortController().signal);

  const [from, to] = yearBounds(2022);
  const truth = stack.lastfm.users?.countScrobbles("DadRockDan", from, to);
  assert.equal(verified.scrobblesFetched, truth);
  assert.equal(await db().scrobble.count({ where: { userId: user.id, scrobbledAt: { gte: job.windowFrom } } }), truth);
  const requests = (await stack.lastfm.stats()).byMethod["user.getrecenttracks"];
  // The year's count, twelve slice counts, and one page for the slice that disagreed.
  assert.equal(requests, 1 + 12 + 1);

  await stack.lastfm.resetStats();
  await verifyStoredPlays(verified, user.name, new AbortController().signal);
  assert.equal((await stack.lastfm.stats()).requests, 0, "an agreeing year costs nothing more");
});
