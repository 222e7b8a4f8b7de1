// The whole-history view against real Postgres and Redis (no worker: the queue is inspected as it stands).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type Stack, startStack } from "@/tests/support/stack";

let stack: Stack;

before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack.stop();
});

test("reading a history starts nothing; 'chart every year' queues each played year behind visitors' imports, as one start", async () => {
  const { db } = await import("@/lib/server/db");
  const { getHistory, requestHistoryImports } = await import("@/lib/imports/history");
  const { queue, QUEUE, jobId, BACKGROUND_PRIORITY } = await import("@/lib/jobs");
  const { redis, redisKey } = await import("@/lib/server/redis");

  const read = await getHistory("LightLeo");
  assert.ok(read.years.length >= 5, JSON.stringify(read.years));
  assert.ok(read.years.every((year) => year.status === "not_started" && year.basis === "none"));
  assert.equal(await db().fetchJob.count(), 0, "a read creates no import");

  const requested = await requestHistoryImports("LightLeo", { clientIp: "198.51.100.7" });
  assert.equal(requested.queued, read.years.length);
  assert.ok(requested.years.every((year) => year.status === "queued"));
  assert.equal(await redis().zcard(redisKey("import-starts", "198.51.100.7")), 1, "one start for the IP");
  for (const { year } of requested.years) {
    const job = await queue(QUEUE.fetchScrobbles).getJob(jobId(QUEUE.fetchScrobbles, { username: "lightleo", year }));
    assert.equal(job?.opts.priority, BACKGROUND_PRIORITY);
    assert.equal(await job?.getState(), "prioritized");
  }
  assert.equal(
    (await requestHistoryImports("LightLeo", { clientIp: "198.51.100.7" })).queued,
    0,
    "asked twice: nothing new",
  );
  assert.equal(await redis().zcard(redisKey("import-starts", "198.51.100.7")), 1, "and no second start");
});

test("opening a year queued in the background moves it ahead of the others", async () => {
  const { requestImport } = await import("@/lib/imports/requests");
  const { queue, QUEUE, jobId } = await import("@/lib/jobs");
  const { years } = await (await import("@/lib/imports/history")).getHistory("LightLeo");
  const [opened, other] = [years[years.length - 1].year, years[0].year];
  await requestImport("LightLeo", opened);
  const state = async (year: number) =>
    (await queue(QUEUE.fetchScrobbles).getJob(jobId(QUEUE.fetchScrobbles, { username: "lightleo", year })))?.getState();
  assert.equal(await state(opened), "waiting");
  assert.equal(await state(other), "prioritized");
});

test("an opted-out listener has no history to read or queue", async () => {
  const { saveChoices } = await import("@/lib/account/choices");
  const { getHistory, requestHistoryImports } = await import("@/lib/imports/history");
  await saveChoices("DadRockDan", { isOptedOut: true });
  await assert.rejects(getHistory("DadRockDan"), { code: "opted_out" });
  await assert.rejects(requestHistoryImports("DadRockDan"), { code: "opted_out" });
});
