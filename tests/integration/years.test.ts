// Year rules with a clock the test sets: a year imported before it ends is completed after it has turned,
// late scrobbles are read, a broken refresh never ends `complete`, and the year list has its own freshness.
// The fetch and enrichment processors run in this process (no worker), so every step sees the test's `now`.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Job } from "bullmq";
import { type Stack, startStack } from "@/tests/support/stack";

let stack: Stack;

before(async () => {
  // Pages of 200: these small years then span several pages, so "only the tail was read" can be told
  // apart from reading the whole year again (at 1,000 a page the whole year is one page).
  process.env.LASTFM_PAGE_SIZE = "200";
  stack = await startStack();
});
after(async () => {
  await stack.stop();
});

async function lib() {
  return {
    ...(await import("@/lib/imports/requests")),
    ...(await import("@/lib/imports/distribution")),
    ...(await import("@/lib/imports/year-window")),
    ...(await import("@/lib/imports/store")),
    ...(await import("@/lib/lastfm/users")),
    ...(await import("@/lib/server/db")),
    ...(await import("@/worker/fetch-scrobbles")),
    ...(await import("@/worker/enrich-albums")),
  };
}

/** What the worker would do for this import at `now`: fetch (or refresh), then date the albums. */
async function runImport(username: string, year: number, now: Date) {
  const { fetchScrobbles, enrichAlbums, db } = await lib();
  const data = { username: username.toLowerCase(), year, mode: "resume" };
  await fetchScrobbles({ data, id: "test" } as Pick<Job, "data" | "id">, now);
  const job = await db().fetchJob.findFirstOrThrow({ where: { year, user: { nameKey: data.username } } });
  if (job.status === "enriching") await enrichAlbums({ data: { username: data.username, year }, id: "test" } as Job);
  return db().fetchJob.findFirstOrThrow({ where: { year, user: { nameKey: data.username } } });
}

async function countStored(userId: number, from: Date, to: Date) {
  const { db } = await lib();
  return db().scrobble.count({ where: { userId, scrobbledAt: { gte: from, lt: to } } });
}

const users = () => {
  if (!stack.lastfm.users) throw new Error("needs the in-process simulator");
  return stack.lastfm.users;
};
const uts = (date: Date) => Math.floor(date.getTime() / 1000);

test("2024 imported on 20 December, viewed on 5 and 20 January: the rest of December and late scrobbles arrive, then it is final", async () => {
  const { requestImport, fetchWindow, yearWindow, isYearFinal, getYearDistribution } = await lib();
  const dec20 = new Date("2024-12-20T12:00:00Z");
  const jan5 = new Date("2025-01-05T09:00:00Z");
  const jan20 = new Date("2025-01-20T09:00:00Z");
  const wide = fetchWindow(2024);
  const utc = yearWindow(2024);

  const { user } = await requestImport("DadRockDan", 2024, { now: dec20 });
  let job = await runImport("DadRockDan", 2024, dec20);
  assert.equal(job.status, "complete");
  assert.deepEqual([job.windowFrom, job.windowTo], [wide.from, dec20]);
  assert.equal(
    await countStored(user.id, wide.from, wide.to),
    users().countScrobbles("DadRockDan", uts(wide.from), uts(dec20)),
  );
  assert.ok(users().countScrobbles("DadRockDan", uts(dec20), uts(utc.to)) > 0, "he played after 20 December");

  // Los Angeles' 2024 is counted from the same rows, saved on its first visit, and served from that snapshot.
  const la = yearWindow(2024, "America/Los_Angeles");
  const laBefore = await getYearDistribution(user, 2024, "America/Los_Angeles");
  assert.equal(laBefore.totals.scrobbles, users().countScrobbles("DadRockDan", uts(la.from), uts(dec20)));
  const { db } = await lib();
  assert.equal(await db().zoneSnapshot.count({ where: { jobId: job.id, timeZone: "America/Los_Angeles" } }), 1);
  assert.deepEqual(await getYearDistribution(user, 2024, "America/Los_Angeles"), laBefore);

  // A play from 19 December scrobbled late (Last.fm takes them up to 14 days old), after the import.
  const late = users().addScrobble("DadRockDan", uts(new Date("2024-12-19T21:00:00Z")));
  // A visit on 5 January asks for the year's tail although 2024 is no longer the current year.
  await stack.lastfm.resetStats();
  await requestImport("DadRockDan", 2024, { now: jan5 });
  job = await runImport("DadRockDan", 2024, jan5);
  assert.equal(job.status, "complete");
  assert.deepEqual([job.windowTo, job.syncedAt], [wide.to, jan5]);
  assert.equal(isYearFinal(job), false, "late scrobbles may still arrive until 15 January");
  assert.equal(
    await countStored(user.id, wide.from, wide.to),
    users().countScrobbles("DadRockDan", uts(wide.from), uts(wide.to)),
  );
  assert.equal(await countStored(user.id, new Date(late.uts * 1000), new Date(late.uts * 1000 + 1000)), 1);
  const result = await getYearDistribution(user, 2024);
  assert.equal(result.totals.scrobbles, users().countScrobbles("DadRockDan", uts(utc.from), uts(utc.to)));
  // The refresh dropped the zone's snapshot: Los Angeles now has its whole year too.
  const laAfter = await getYearDistribution(user, 2024, "America/Los_Angeles");
  assert.equal(laAfter.totals.scrobbles, users().countScrobbles("DadRockDan", uts(la.from), uts(la.to)));
  assert.ok(laAfter.totals.scrobbles > laBefore.totals.scrobbles);
  const tailRequests = (await stack.lastfm.stats()).byMethod["user.getrecenttracks"];
  assert.ok(tailRequests >= 1 && tailRequests < job.totalPages!, `only the tail was read (${tailRequests} pages)`);

  // 20 January: the last read of the tail, then the year is final and costs Last.fm nothing ever again.
  const lateAgain = users().addScrobble("DadRockDan", uts(new Date("2024-12-31T23:30:00Z")));
  job = await runImport("DadRockDan", 2024, jan20);
  assert.equal(isYearFinal(job), true);
  assert.equal(await countStored(user.id, new Date(lateAgain.uts * 1000), new Date(lateAgain.uts * 1000 + 1000)), 1);
  const { resolveUser } = await lib();
  await resolveUser("DadRockDan", new Date("2025-03-01T00:00:00Z")); // the daily profile check is not the year's
  await stack.lastfm.resetStats();
  await requestImport("DadRockDan", 2024, { now: new Date("2025-03-01T00:00:00Z") });
  await runImport("DadRockDan", 2024, new Date("2025-03-01T00:00:00Z"));
  assert.equal((await stack.lastfm.stats()).requests, 0);
});

test("a refresh that broke off (row left fetching, every page checkpointed) reads its tail on retry, never ends complete without it", async () => {
  const { requestImport, fetchWindow, db } = await lib();
  const dec20 = new Date("2023-12-20T12:00:00Z");
  const jan5 = new Date("2024-01-05T09:00:00Z");
  const { user } = await requestImport("VinylVera", 2023, { now: dec20 });
  const before = await runImport("VinylVera", 2023, dec20);
  // The refresh sets `fetching`, then Last.fm (or the worker) fails: the window has not moved.
  await db().fetchJob.update({ where: { id: before.id }, data: { status: "fetching" } });

  const job = await runImport("VinylVera", 2023, jan5); // BullMQ's retry: mode "resume"
  const wide = fetchWindow(2023);
  assert.equal(job.status, "complete");
  assert.deepEqual(job.windowTo, wide.to);
  assert.equal(
    await countStored(user.id, wide.from, wide.to),
    users().countScrobbles("VinylVera", uts(wide.from), uts(wide.to)),
  );
});

test("a user who turned private before the job ran: the row ends failed with private_profile, not queued", async () => {
  const { getOrCreateFetchJob, db } = await lib();
  const { fetchScrobbles } = await lib();
  // Known as active a day ago; the worker's fresh check finds the profile private.
  const user = await db().lastfmUser.create({
    data: { name: "PrivatePat", nameKey: "privatepat", checkedAt: new Date(Date.now() - 2 * 24 * 3600 * 1000) },
  });
  const created = await getOrCreateFetchJob({ userId: user.id, year: 2023 });
  await assert.rejects(
    fetchScrobbles({ data: { username: "privatepat", year: 2023, mode: "resume" }, id: "test" } as Job),
    { name: "UnrecoverableError" },
  );
  const job = await db().fetchJob.findUniqueOrThrow({ where: { id: created.id } });
  assert.deepEqual([job.status, job.errorCode], ["failed", "private_profile"]);
});

test("a user who vanished mid-import (error 6, confirmed by getInfo): the row ends failed with user_not_found", async () => {
  const { requestImport, db } = await lib();
  const { user, job: created } = await requestImport("EmptyYearEmma", 2019);
  await stack.lastfm.configure({ faultQueue: ["user-not-found", "user-not-found"] });
  await assert.rejects(runImport("EmptyYearEmma", 2019, new Date()), { name: "UnrecoverableError" });
  const job = await db().fetchJob.findUniqueOrThrow({ where: { id: created.id } });
  assert.deepEqual([job.status, job.errorCode, job.userId], ["failed", "user_not_found", user.id]);
});

test("the worker's sweep retries a partial year after a pause, and ends an import re-queued too often", async () => {
  const { requestImport, requeueLostImports, PARTIAL_RETRY_AFTER_MS, MAX_SWEEP_REQUEUES, db } = await lib();
  const { isJobPending, queue, QUEUE, jobId } = await import("@/lib/jobs");
  await runImport("LightLeo", 2020, new Date());
  const { job: done } = await requestImport("LightLeo", 2020);
  await queue(QUEUE.fetchScrobbles).obliterate({ force: true });
  // A refresh that failed for good: partial, its BullMQ job gone after its retries.
  await db().fetchJob.update({
    where: { id: done.id },
    data: { status: "partial", errorCode: "upstream_unavailable", error: "Last.fm kept failing" },
  });
  const later = (ms: number) => new Date(Date.now() + ms);
  const data = { username: "lightleo", year: 2020 };

  assert.equal(await requeueLostImports(30_000, PARTIAL_RETRY_AFTER_MS, later(PARTIAL_RETRY_AFTER_MS - 60_000)), 0);
  assert.equal(await requeueLostImports(30_000, PARTIAL_RETRY_AFTER_MS, later(PARTIAL_RETRY_AFTER_MS + 1000)), 1);
  assert.equal(await isJobPending(QUEUE.fetchScrobbles, data), true);
  await (await queue(QUEUE.fetchScrobbles).getJob(jobId(QUEUE.fetchScrobbles, data)))?.remove();

  // Past the limit a partial year stays partial (it keeps its plays and its retry button) ...
  await db().fetchJob.update({ where: { id: done.id }, data: { attempts: MAX_SWEEP_REQUEUES } });
  assert.equal(await requeueLostImports(30_000, PARTIAL_RETRY_AFTER_MS, later(PARTIAL_RETRY_AFTER_MS + 1000)), 0);
  assert.equal((await db().fetchJob.findUniqueOrThrow({ where: { id: done.id } })).status, "partial");
  // ... and an unfinished one ends failed, with a reason, instead of waiting for a visitor forever.
  await db().fetchJob.update({ where: { id: done.id }, data: { status: "queued" } });
  assert.equal(await requeueLostImports(30_000, PARTIAL_RETRY_AFTER_MS, later(60_000)), 0);
  const ended = await db().fetchJob.findUniqueOrThrow({ where: { id: done.id } });
  assert.deepEqual([ended.status, ended.errorCode], ["failed", "upstream_unavailable"]);
});

test("the year list: a listener with no plays costs one Last.fm call a day, not one per view; a new year appears", async () => {
  const { listActiveYears, findUser, resolveUser } = await lib();
  const day1 = new Date("2025-06-01T10:00:00Z");
  await resolveUser("SilentSid", day1);
  await stack.lastfm.resetStats();
  const views = [day1, new Date("2025-06-01T11:00:00Z"), new Date("2025-06-02T09:59:00Z")];
  for (const now of views) assert.deepEqual(await listActiveYears((await findUser("SilentSid"))!, now), []);
  assert.equal((await stack.lastfm.stats()).byMethod["user.getrecenttracks"], 1);
  await listActiveYears((await findUser("SilentSid"))!, new Date("2025-06-02T10:00:01Z"));
  assert.equal((await stack.lastfm.stats()).byMethod["user.getrecenttracks"], 2);

  // A listener with plays: the list made in 2024 gains 2025 once the year has turned, though it was not empty.
  await resolveUser("LightLeo", new Date("2024-06-01T00:00:00Z"));
  const in2024 = await listActiveYears((await findUser("LightLeo"))!, new Date("2024-06-01T00:00:00Z"));
  assert.equal(Math.max(...in2024), 2024);
  const in2025 = await listActiveYears((await findUser("LightLeo"))!, new Date("2025-01-02T00:00:00Z"));
  assert.equal(Math.max(...in2025), 2025);
});
