// What a signed-in listener decides about their data, against a real worker, Postgres and Redis: deleting
// everything, hiding from "Recently charted", opting out (the worker drops a job queued before the opt-out).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { importAndWait } from "@/tests/support/imports";
import { type Stack, startStack, waitFor } from "@/tests/support/stack";

let stack: Stack;

before(async () => {
  stack = await startStack();
  await stack.startWorker();
});
after(async () => {
  await stack.stop();
});

test("delete everything: scrobbles, imports, checkpoints and the cached profile go; the choices stay", async () => {
  const { db } = await import("@/lib/server/db");
  const { eraseListener } = await import("@/lib/account/erase");
  const { saveChoices, getChoices } = await import("@/lib/account/choices");
  const { user, job } = await importAndWait("LightLeo", 2022);
  await importAndWait("LightLeo", 2021);
  const scrobbles = await db().scrobble.count({ where: { userId: user.id } });
  assert.ok(scrobbles > 0);
  await saveChoices("lightleo", { isHidden: true });

  assert.deepEqual(await eraseListener("LIGHTLEO"), { years: 2, scrobbles });

  assert.equal(await db().scrobble.count({ where: { userId: user.id } }), 0);
  assert.equal(await db().fetchJob.count({ where: { userId: user.id } }), 0);
  assert.equal(await db().fetchJobPage.count({ where: { jobId: job.id } }), 0);
  assert.equal(await db().lastfmUser.findUnique({ where: { id: user.id } }), null);
  assert.deepEqual(await getChoices("LightLeo"), { isHidden: true, isOptedOut: false });
  assert.deepEqual(await eraseListener("LightLeo"), { years: 0, scrobbles: 0 }, "a second delete finds nothing");
  await saveChoices("LightLeo", { isHidden: false });
  assert.equal(await db().listenerChoice.count({ where: { nameKey: "lightleo" } }), 0, "back to defaults: no row");
});

test("delete is refused (409) while one of the years is being imported, and deletes nothing", async () => {
  const { db } = await import("@/lib/server/db");
  const { eraseListener } = await import("@/lib/account/erase");
  const { job } = await importAndWait("OneScrobbleOlga", 2022);
  await db().fetchJob.update({ where: { id: job.id }, data: { status: "enriching" } });
  await assert.rejects(eraseListener("OneScrobbleOlga"), { code: "conflict" });
  assert.equal(await db().scrobble.count({ where: { userId: job.userId } }), 1);
  await db().fetchJob.update({ where: { id: job.id }, data: { status: "complete" } });
});

test("hidden and opted-out listeners are never listed in Recently charted", async () => {
  const { listRecentResults } = await import("@/lib/imports/recent");
  const { saveChoices } = await import("@/lib/account/choices");
  await importAndWait("BoundaryBen", 2024);
  await importAndWait("TimeTravelTom", 2020);
  const names = async () => (await listRecentResults(50)).map((result) => result.username);
  assert.ok((await names()).includes("BoundaryBen"));
  await saveChoices("boundaryben", { isHidden: true });
  await saveChoices("TimeTravelTom", { isOptedOut: true });
  const listed = await names();
  assert.ok(!listed.includes("BoundaryBen") && !listed.includes("TimeTravelTom"), listed.join(", "));
  assert.ok(listed.includes("OneScrobbleOlga"), "others still listed");
  await saveChoices("BoundaryBen", { isHidden: false });
  await saveChoices("TimeTravelTom", { isOptedOut: false });
  assert.ok((await names()).includes("BoundaryBen"));
});

test("opted out: asking is 403 opted_out before any Last.fm call, and the worker drops a job queued earlier", async () => {
  const { db } = await import("@/lib/server/db");
  const { saveChoices } = await import("@/lib/account/choices");
  const { requestImport } = await import("@/lib/imports/requests");
  const { enqueueFetch, queue, QUEUE, jobId } = await import("@/lib/jobs");
  const { resolveUser } = await import("@/lib/lastfm/users");
  const user = await resolveUser("DadRockDan");
  await saveChoices("DadRockDan", { isOptedOut: true });
  await stack.lastfm.resetStats();

  await assert.rejects(requestImport("dadrockdan", 2019), { code: "opted_out", status: 403 });
  // A job queued before the opt-out (the web side checks first, so enqueue directly).
  await enqueueFetch({ username: "dadrockdan", year: 2019, mode: "resume" });
  const bullJob = await waitFor(async () => {
    const found = await queue(QUEUE.fetchScrobbles).getJob(
      jobId(QUEUE.fetchScrobbles, { username: "dadrockdan", year: 2019 }),
    );
    return found && (await found.getState()) === "failed" ? found : undefined;
  }, 20_000);
  assert.match(bullJob.failedReason, /opted out/);
  assert.equal(await db().scrobble.count({ where: { userId: user.id } }), 0);
  assert.equal(await db().fetchJob.count({ where: { userId: user.id } }), 0);
  assert.equal((await stack.lastfm.stats()).byMethod["user.getrecenttracks"] ?? 0, 0, "no Last.fm page fetched");

  await saveChoices("DadRockDan", { isOptedOut: false });
  const { job } = await importAndWait("DadRockDan", 2019);
  assert.equal(job.status, "complete", "opted back in, the import runs");
});
