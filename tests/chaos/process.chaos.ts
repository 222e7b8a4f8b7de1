// Process faults: workers SIGKILLed, Redis and PostgreSQL restarted, the MusicBrainz mirror stopped,
// each in the middle of an import. Every import still ends complete and exact, with no duplicate
// scrobble and no job left stuck. Redis and PostgreSQL here are the suite's own (ports 4321/4322).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Stack } from "@/tests/support/stack";
import type { TcpProxy } from "@/tests/support/tcp-proxy";
import { type OwnPostgres, type OwnRedis, sleep, startOwnPostgres, startOwnRedis } from "./support";

const REDIS_PORT = Number(process.env.CHAOS_REDIS_PORT ?? 4321);
const PG_PORT = Number(process.env.CHAOS_PG_PORT ?? 4322);

let redis: OwnRedis;
let postgres: OwnPostgres;
let mirrorProxy: TcpProxy;
let stack: Stack;
let support: typeof import("@/tests/support/imports");
let stackSupport: typeof import("@/tests/support/stack");

before(async () => {
  redis = await startOwnRedis(REDIS_PORT);
  postgres = await startOwnPostgres(PG_PORT);
  // tests/support reads these when first imported: everything below lives on the servers we may restart.
  process.env.TEST_DATABASE_SERVER_URL = postgres.serverUrl;
  process.env.TEST_REDIS_URL = redis.url;
  stackSupport = await import("@/tests/support/stack");
  support = await import("@/tests/support/imports");
  const { startTcpProxy } = await import("@/tests/support/tcp-proxy");
  mirrorProxy = await startTcpProxy(PG_PORT);
  stack = await stackSupport.startStack({
    rateLimit: 25,
    lastfm: { latencyMs: 30 },
    mirrorUrl: (url) => {
      const viaProxy = new URL(url);
      viaProxy.port = String(mirrorProxy.port);
      return viaProxy.toString();
    },
  });
  // Never the machine's shared servers: those are the ones this file restarts.
  assert.equal(new URL(stack.env.DATABASE_URL).port, String(PG_PORT));
  assert.equal(stack.env.REDIS_URL, redis.url);
});
after(async () => {
  await stack?.stop().catch((error) => console.error(error));
  await mirrorProxy?.close();
  await redis?.stop();
  await postgres?.stop();
});

async function pagesFetched(username: string, year: number): Promise<number> {
  return (await support.getJob(username, year))?.pagesFetched ?? 0;
}

/** No scrobble stored twice: the natural key is unique, and the count matches the truth (checked by assertImportExact). */
async function assertNoDuplicates(): Promise<void> {
  const { db } = await import("@/lib/server/db");
  const [row] = await db().$queryRaw<{ total: bigint; distinct: bigint }[]>`
    SELECT count(*) AS total, count(DISTINCT (user_id, scrobbled_at, track, artist)) AS distinct FROM scrobbles`;
  assert.equal(row.total, row.distinct, "a scrobble is stored twice");
}

/** Waits for the import to end by itself; returns how long that took, or null if it did not within `ms`. */
async function endsOnItsOwn(username: string, year: number, ms: number): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    const job = await support.getJob(username, year).catch(() => null);
    if (job && ["complete", "partial", "failed"].includes(job.status)) return Date.now() - started;
    await sleep(500);
  }
  return null;
}

// Pages hold 1,000 plays now: HeavyHanna 2023 is 31 pages, 2024 is 51.
test("the worker SIGKILLed three times mid-import: it resumes from its checkpoints and ends exact", async () => {
  const { requestImport } = await import("@/lib/imports/requests");
  let worker = await stack.startWorker();
  const started = Date.now();
  await requestImport("HeavyHanna", 2023);
  for (const threshold of [6, 14, 22]) {
    await stackSupport.waitFor(async () => (await pagesFetched("HeavyHanna", 2023)) >= threshold, 90_000);
    await worker.kill("SIGKILL");
    const atKill = await support.getJob("HeavyHanna", 2023);
    assert.ok(atKill && atKill.status !== "complete", "the kill must land mid-import");
    worker = await stack.startWorker();
  }
  const { job } = await support.assertImportExact("HeavyHanna", 2023, 180_000);
  await assertNoDuplicates();
  console.log(
    `process: 3 SIGKILLs, ${job.totalPages} pages, ${job.scrobblesFetched} scrobbles exact in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
});

test("Redis restarted mid-import (every queued job lost): the import still ends complete and exact", async () => {
  const { requestImport } = await import("@/lib/imports/requests");
  if (!stack.workers().length) await stack.startWorker();
  await requestImport("HeavyHanna", 2024);
  await stackSupport.waitFor(async () => (await pagesFetched("HeavyHanna", 2024)) >= 20, 90_000);
  await redis.restart(1_000);
  const atRestart = await support.getJob("HeavyHanna", 2024);
  const ownMs = await endsOnItsOwn("HeavyHanna", 2024, 60_000);
  const state = await support.getJob("HeavyHanna", 2024);
  console.log(
    `process: Redis restarted at page ${atRestart?.pagesFetched}/${atRestart?.totalPages}; ` +
      (ownMs === null
        ? `still ${state?.status} after 60 s without a visit`
        : `ended ${state?.status} on its own ${ownMs} ms later`),
  );
  assert.notEqual(ownMs, null, "the import is stuck after a Redis restart");
  const { job } = await support.assertImportExact("HeavyHanna", 2024, 120_000);
  await assertNoDuplicates();
  assert.equal(job.pagesFetched, job.totalPages);
});

test("Redis restarted while imports wait in the queue: the worker queues them again from Postgres, with no visit", async () => {
  const { requestImport } = await import("@/lib/imports/requests");
  for (const worker of stack.workers()) await worker.kill("SIGTERM");
  const waiting = [
    ["VinylVera", 2018],
    ["DadRockDan", 2019],
  ] as const;
  for (const [username, year] of waiting) await requestImport(username, year);
  await redis.restart(500); // the queued jobs are gone; the fetch_jobs rows say "queued"
  await stack.startWorker();
  const ended = await Promise.all(waiting.map(([username, year]) => endsOnItsOwn(username, year, 90_000)));
  console.log(
    `process: Redis restarted with 2 imports queued; ended on their own after ${ended.map((ms) => (ms === null ? "never (90 s)" : `${ms} ms`)).join(" and ")}`,
  );
  assert.ok(!ended.includes(null), "an import stayed queued after its job was lost");
  for (const [username, year] of waiting) await support.assertImportExact(username, year, 60_000);
  await assertNoDuplicates();
});

test("PostgreSQL restarted mid-import: the import still ends complete and exact", async () => {
  const { requestImport } = await import("@/lib/imports/requests");
  if (!stack.workers().length) await stack.startWorker();
  await requestImport("HeavyHanna", 2022);
  await stackSupport.waitFor(async () => (await pagesFetched("HeavyHanna", 2022)) >= 8, 90_000);
  await postgres.restart(2_000);
  const ownMs = await endsOnItsOwn("HeavyHanna", 2022, 90_000);
  const state = await support.getJob("HeavyHanna", 2022);
  console.log(
    `process: PostgreSQL down 2 s mid-import; ` +
      (ownMs === null
        ? `still ${state?.status} after 90 s`
        : `ended ${state?.status} on its own ${ownMs} ms after the restart`),
  );
  assert.notEqual(ownMs, null, "the import is stuck after a PostgreSQL restart");
  const { job } = await support.assertImportExact("HeavyHanna", 2022, 120_000);
  await assertNoDuplicates();
  assert.equal(job.pagesFetched, job.totalPages);
});

test("the MusicBrainz mirror stopped during enrichment: partial with its coverage, then complete and exact on the next visit", async () => {
  const { requestImport } = await import("@/lib/imports/requests");
  if (!stack.workers().length) await stack.startWorker();
  // Down before the import starts: its preview dates the year's chart albums through the mirror within
  // seconds, so for a year this small it had cached every album before the pages were in, and the
  // enrichment then never met the outage (the job went complete, never partial).
  mirrorProxy.setUp(false);
  await requestImport("NightBusNico", 2021);
  const partial = await stackSupport.waitFor(async () => {
    const job = await support.getJob("NightBusNico", 2021);
    return job?.status === "partial" ? job : undefined;
  }, 120_000);
  assert.equal(partial.errorCode, "musicbrainz_unavailable");
  mirrorProxy.setUp(true);
  // The next visit dates the rest (BullMQ's own retries may already have done it).
  await requestImport("NightBusNico", 2021);
  const { job } = await support.assertImportExact("NightBusNico", 2021, 120_000);
  await assertNoDuplicates();
  console.log(
    `process: mirror down → partial (${partial.scrobblesFetched} scrobbles kept) → complete, ${job.scrobblesFetched} exact`,
  );
});
