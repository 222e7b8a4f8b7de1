// The import pipeline end to end: a real worker process, real Postgres and Redis, the Last.fm simulator
// and the MusicBrainz test mirror. Every count is checked against the simulator's own truth.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { assertImportExact, importAndWait } from "@/tests/support/imports";
import { type Stack, startStack, waitFor } from "@/tests/support/stack";

let stack: Stack;

before(async () => {
  stack = await startStack();
  await stack.startWorker();
});
after(async () => {
  await stack.stop();
});

test("imports each simulator profile exactly: stored count and release-year distribution equal the truth", async () => {
  for (const [username, year] of [
    ["LightLeo", 2023],
    ["OneScrobbleOlga", 2022],
    ["BoundaryBen", 2024],
    ["TimeTravelTom", 2020],
    ["VinylVera", 2024],
  ] as const) {
    await assertImportExact(username, year);
  }
});

test("a user scrobbling during the import: the pinned window makes the running year exact as of its start", async () => {
  await stack.lastfm.configure({ liveScrobbleIntervalMs: 20, liveBackdateProbability: 0 });
  const year = new Date().getUTCFullYear();
  const from = Date.UTC(year, 0, 1) / 1000;
  const { user, job } = await importAndWait("LiveLiam", year);
  const { db } = await import("@/lib/server/db");
  const pinnedTo = job.windowTo.getTime() / 1000;
  const truth = stack.lastfm.users?.listScrobbles("LiveLiam", from, pinnedTo) ?? [];
  const stored = await db().scrobble.count({ where: { userId: user.id, scrobbledAt: { gte: new Date(from * 1000) } } });

  assert.equal(job.status, "complete");
  assert.equal(stored, truth.length);
  assert.ok(
    (stack.lastfm.users?.listScrobbles("LiveLiam", pinnedTo).length ?? 0) > 0,
    "he kept scrobbling after the window was pinned",
  );
  await stack.lastfm.configure({ liveScrobbleIntervalMs: 0 });
});

test("an empty year completes with zero scrobbles and an empty distribution", async () => {
  const { job, result } = await assertImportExact("EmptyYearEmma", 2021);
  // The fetched window reaches into the neighbouring years' New Year's Eves (for other zones), nothing more.
  const { listScrobbles } = await import("@/scripts/simulators/lastfm/users");
  const edges = listScrobbles("EmptyYearEmma", job.windowFrom.getTime() / 1000, job.windowTo.getTime() / 1000);
  assert.equal(job.totalPages, Math.ceil(edges.length / 200));
  assert.equal(result.totals.scrobbles, 0);
  assert.deepEqual(result.distribution, []);
  assert.equal(result.totals.coverage, 0);
});

test("asking twice for the same import fetches every page once", async () => {
  const { resolveUser } = await import("@/lib/lastfm/users");
  const { requestImport } = await import("@/lib/imports/requests");
  await resolveUser("NightBusNico"); // the profile check is cached for a day; count only the import's calls
  await stack.lastfm.resetStats();
  const [first, second] = await Promise.all([requestImport("NightBusNico", 2022), requestImport("NightBusNico", 2022)]);
  const { job } = await importAndWait("NightBusNico", 2022);
  assert.equal(job.status, "complete");
  assert.equal(first.job.id, second.job.id);
  const stats = await stack.lastfm.stats();
  // Every page once, plus the preview's two calls (the year's total and its album chart), once.
  assert.equal(stats.byMethod["user.getrecenttracks"], (job.totalPages ?? 0) + 1, JSON.stringify(stats.byMethod));
  assert.equal(stats.byMethod["user.getweeklyalbumchart"], 1, JSON.stringify(stats.byMethod));
});

test("a finished past year is served again with no Last.fm call", async () => {
  await importAndWait("LightLeo", 2022);
  await stack.lastfm.resetStats();
  const { job } = await importAndWait("LightLeo", 2022);
  assert.equal(job.status, "complete");
  assert.equal((await stack.lastfm.stats()).requests, 0);
});

test("a private profile is refused with private_profile", async () => {
  const { requestImport } = await import("@/lib/imports/requests");
  await assert.rejects(requestImport("PrivatePat", 2023), { code: "private_profile" });
});

test("an unknown user is refused with user_not_found before any job exists", async () => {
  const { requestImport } = await import("@/lib/imports/requests");
  const { db } = await import("@/lib/server/db");
  await assert.rejects(requestImport("NoSuchUserHere", 2023), { code: "user_not_found" });
  assert.equal(await db().fetchJob.count({ where: { user: { nameKey: "nosuchuserhere" } } }), 0);
});

test("a year outside registration..now is refused with invalid_input", async () => {
  const { requestImport } = await import("@/lib/imports/requests");
  await assert.rejects(requestImport("LightLeo", 2003), { code: "invalid_input" });
  const midYear = new Date("2026-06-01T00:00:00Z");
  await assert.rejects(requestImport("LightLeo", 2027, { now: midYear }), { code: "invalid_input" });
  // 2027 begins at 10:00 UTC on 31 December 2026 in Kiritimati (UTC+14): from then on it can be asked for.
  await assert.rejects(requestImport("LightLeo", 2027, { now: new Date("2026-12-31T09:59:59Z") }), {
    code: "invalid_input",
  });
  assert.equal((await requestImport("LightLeo", 2027, { now: new Date("2026-12-31T10:00:00Z") })).job.year, 2027);
});

test("a bad API key ends the job failed with lastfm_key_invalid and keeps nothing half-done", async () => {
  const { db } = await import("@/lib/server/db");
  const { SUSPENDED_API_KEY } = await import("@/scripts/simulators/lastfm/options");
  // The web side (good key) creates the job; a worker with a suspended key runs it.
  const badWorker = await stack.startWorker({ LASTFM_API_KEY: SUSPENDED_API_KEY });
  const goodWorkers = stack.workers().filter((worker) => worker !== badWorker);
  await Promise.all(goodWorkers.map((worker) => worker.kill("SIGTERM")));
  const { job } = await importAndWait("DadRockDan", 2021);
  assert.equal(job.status, "failed");
  assert.equal(job.errorCode, "lastfm_key_invalid");
  // The job row is written before the log line reaches this process through the worker's pipe.
  await waitFor(
    async () => /rejected our API key/.test(badWorker.output()),
    10_000,
    () => badWorker.output(),
  );
  assert.ok(!badWorker.output().includes(SUSPENDED_API_KEY), "the key must never be logged");
  await badWorker.kill("SIGTERM");
  await stack.startWorker();
  assert.equal(await db().fetchJob.count({ where: { status: { in: ["fetching", "enriching"] } } }), 0);
});

test("storing a page is idempotent: twice, at once, overlapping, or with a row repeated inside it", async () => {
  const { db } = await import("@/lib/server/db");
  const { getOrCreateFetchJob, storePage } = await import("@/lib/imports/store");
  const user = await db().lastfmUser.create({ data: { name: "StoreSam", nameKey: `storesam-${Date.now()}` } });
  let job = await getOrCreateFetchJob({ userId: user.id, year: 2024 });
  const base = Date.UTC(2024, 5, 1) / 1000;
  const row = (i: number) => ({
    uts: base + i,
    track: `Track ${i}`,
    artist: "Sam",
    album: "",
    trackMbid: null,
    albumMbid: null,
    artistMbid: null,
  });
  const pageA = Array.from({ length: 50 }, (_, i) => row(i));
  const count = () => db().scrobble.count({ where: { userId: user.id } });

  job = await storePage(job, { page: 1, pageSize: 200 }, pageA);
  assert.deepEqual([await count(), job.scrobblesFetched, job.pagesFetched], [50, 50, 1]);
  job = await storePage(job, { page: 1, pageSize: 200 }, pageA); // fetched again after a crash
  assert.deepEqual([await count(), job.scrobblesFetched, job.pagesFetched], [50, 50, 1]);
  // Two workers on the same page at once: one stores it, the other finds it stored.
  const pageB = Array.from({ length: 50 }, (_, i) => row(100 + i));
  await Promise.all([
    storePage(job, { page: 2, pageSize: 200 }, pageB),
    storePage(job, { page: 2, pageSize: 200 }, pageB),
  ]);
  assert.equal(await count(), 100);
  // A refresh re-reads rows already stored next to new ones (no checkpoint), and a page may repeat a row.
  job = await storePage(job, null, [...pageA.slice(40), row(200), row(201), row(201)]);
  assert.equal(await count(), 102);
  const stored = await db().fetchJob.findUniqueOrThrow({ where: { id: job.id } });
  assert.deepEqual([stored.scrobblesFetched, stored.pagesFetched], [102, 2], "counters count what was inserted");
});
