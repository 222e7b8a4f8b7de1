// Nobody drains the shared Last.fm budget or another user's year: per-IP lookups of new names, remembered
// unknown and private users, the re-import cooldown, and names Last.fm sends that a database refuses.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { AppError } from "@/lib/server/http";
import { type Stack, startStack } from "@/tests/support/stack";

const LOOKUP_LIMIT = 5;
const DEPLOYMENT_LOOKUP_LIMIT = 20;
let stack: Stack;

before(async () => {
  process.env.LOOKUP_RATE_LIMIT = String(LOOKUP_LIMIT);
  process.env.LOOKUP_DEPLOYMENT_LIMIT = String(DEPLOYMENT_LOOKUP_LIMIT);
  stack = await startStack();
});
after(async () => {
  await stack.stop();
});

function randomName(): string {
  return `Nx${randomBytes(5).toString("hex")}`;
}

function lastfmCalls(stats: Awaited<ReturnType<Stack["lastfm"]["stats"]>>): number {
  return stats.requests;
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => assert.fail("expected a refusal"),
    (reason: unknown) => reason,
  );
  assert.ok(error instanceof AppError, String(error));
  return error;
}

test("100 random unknown names from one IP cost at most LOOKUP_RATE_LIMIT Last.fm calls; the rest are 429", async () => {
  const { resolveUser } = await import("@/lib/lastfm/users");
  await stack.lastfm.resetStats();
  const ip = "203.0.113.50";
  let refused = 0;
  for (let i = 0; i < 100; i++) {
    try {
      await resolveUser(randomName(), new Date(), { clientIp: ip });
    } catch (error) {
      assert.ok(error instanceof AppError && error.code === "rate_limited", String(error));
      assert.ok(Number(error.headers["Retry-After"]) > 0);
      refused++;
    }
  }
  assert.equal(refused, 100 - LOOKUP_LIMIT);
  assert.ok(lastfmCalls(await stack.lastfm.stats()) <= LOOKUP_LIMIT, JSON.stringify(await stack.lastfm.stats()));
  // Another IP still has its own allowance.
  assert.equal((await resolveUser(randomName(), new Date(), { clientIp: "203.0.113.51" })).state, "not_found");
});

test("an unknown and a private user are remembered: asking again costs no Last.fm call and no lookup", async () => {
  const { resolveUser } = await import("@/lib/lastfm/users");
  const ip = "203.0.113.60";
  const unknown = randomName();
  assert.equal((await resolveUser(unknown, new Date(), { clientIp: ip })).state, "not_found");
  assert.equal((await resolveUser("PrivatePat", new Date(), { clientIp: ip })).state, "private");
  await stack.lastfm.resetStats();
  for (let i = 0; i < 3 * LOOKUP_LIMIT; i++) {
    assert.equal((await resolveUser(unknown.toUpperCase(), new Date(), { clientIp: ip })).state, "not_found");
    assert.equal((await resolveUser("privatepat", new Date(), { clientIp: ip })).state, "private");
  }
  assert.equal(lastfmCalls(await stack.lastfm.stats()), 0);
});

/** A finished-looking year of a fresh user, written straight to the database. */
async function seedYear(status: "partial" | "failed" | "complete", errorCode: string | null, error: string | null) {
  const { db } = await import("@/lib/server/db");
  const { getOrCreateFetchJob } = await import("@/lib/imports/store");
  const name = randomName();
  const user = await db().lastfmUser.create({
    data: { name, nameKey: name.toLowerCase(), registeredAt: new Date("2015-01-01T00:00:00Z") },
  });
  const job = await getOrCreateFetchJob({ userId: user.id, year: 2020 });
  return {
    user,
    job: await db().fetchJob.update({ where: { id: job.id }, data: { status, errorCode, error } }),
  };
}

test("a stopped import shows our code and sentence, never the stored exception text", async () => {
  const { getYearDistribution } = await import("@/lib/imports/distribution");
  const leak = "connect ECONNREFUSED db-primary.internal:5432 (password authentication failed)";

  const partial = await seedYear("partial", "upstream_unavailable", leak);
  const result = await getYearDistribution(partial.user, 2020);
  assert.deepEqual(result.error, {
    code: "upstream_unavailable",
    message: "Last.fm kept failing for part of this year; the missing pages are fetched again shortly",
  });

  const failed = await seedYear("failed", "internal", leak);
  assert.deepEqual((await getYearDistribution(failed.user, 2020)).error, {
    code: "internal",
    message: "The import stopped on our side; please try again later",
  });
  const { failedImportError } = await import("@/lib/imports/requests");
  const error = failedImportError((await getYearDistribution(failed.user, 2020)).error);
  assert.equal(error.code, "upstream_unavailable");
  assert.doesNotMatch(error.message, /ECONNREFUSED|internal:5432|password/);

  // Live progress events carry the same sentence.
  const { subscribeProgress } = await import("@/lib/imports/progress");
  const { announce } = await import("@/lib/imports/store");
  const events: (string | null | undefined)[] = [];
  const unsubscribe = await subscribeProgress(partial.user.name, 2020, (event) => events.push(event.error));
  await announce(partial.job, partial.user.name, "status");
  for (let i = 0; i < 50 && events.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  await unsubscribe();
  assert.deepEqual(events, [result.error?.message]);
});

test("a page with NUL, control characters, a lone surrogate and oversized names is stored, cleaned, once", async () => {
  const { db } = await import("@/lib/server/db");
  const { storePage } = await import("@/lib/imports/store");
  const { job, user } = await seedYear("partial", null, null);
  const at = Math.floor(job.windowFrom.getTime() / 1000) + 3600;
  const page = [
    { track: "Null\u0000Track", artist: "Artist\u0007", album: "Album\u009b" },
    { track: "Broken \uD800 pair", artist: "A".repeat(5_000), album: "B".repeat(100_000) },
    { track: "Line\nbreak", artist: "ⓐ".repeat(2_000), album: "" },
  ].map((names, i) => ({ uts: at + i, ...names, trackMbid: null, albumMbid: null, artistMbid: null }));

  const stored = await storePage(job, { page: 1, pageSize: 200 }, page);
  assert.equal(stored.scrobblesFetched, 3);
  assert.equal(
    (await storePage(stored, { page: 1, pageSize: 200 }, page)).scrobblesFetched,
    3,
    "stored twice, inserted once",
  );
  const rows = await db().scrobble.findMany({ where: { userId: user.id }, orderBy: { scrobbledAt: "asc" } });
  assert.deepEqual(
    rows.map((row) => [row.track, row.artist.length, row.album.length]),
    [
      ["NullTrack", 6, 5],
      ["Broken \uFFFD pair", 300, 300],
      ["Line break", 300, 0],
    ],
  );
});

test("re-import and retry: one per (user, year) per cooldown whoever asks, counted against the caller's limit, and the page is told when", async () => {
  const { requestReimport, requestRetry } = await import("@/lib/imports/requests");
  const { getCooldowns } = await import("@/lib/imports/cooldown");
  const { assertCanStartImport } = await import("@/lib/imports/limits");
  const { user } = await seedYear("complete", null, null);
  const started = Date.now();

  // A caller over its own import limit is refused without taking the year's cooldown.
  const spent = "203.0.113.70";
  for (let i = 0; i < 10; i++) await assertCanStartImport(spent);
  const overLimit = await rejection(requestReimport(user.name, 2020, { clientIp: spent }));
  assert.match(overLimit.message, /imports recently/);
  assert.deepEqual(await getCooldowns(user, 2020), { reimport: null, retry: null });

  await requestReimport(user.name, 2020, { clientIp: "203.0.113.71" });
  const refused = await rejection(requestReimport(user.name, 2020, { clientIp: "203.0.113.72" }));
  assert.equal(refused.code, "rate_limited");
  assert.match(refused.message, /re-imported recently; it can be re-imported again at \d\d:\d\d UTC/);
  assert.ok(Math.abs(Number(refused.headers["Retry-After"]) - 3600) <= 5);
  const { reimport } = await getCooldowns(user, 2020);
  assert.ok(reimport && Math.abs(Date.parse(reimport) - started - 3_600_000) < 5_000, String(reimport));

  // Retry has its own cooldown; internal callers (no client IP) are not limited.
  await requestRetry(user.name, 2020, { clientIp: "203.0.113.73" });
  assert.equal((await rejection(requestRetry(user.name, 2020, { clientIp: "203.0.113.74" }))).code, "rate_limited");
  await requestRetry(user.name, 2020);
  await requestReimport(user.name, 2020);
});

/** The tests above used some of the deployment's lookups of this minute: the ones below start from none. */
async function forgetDeploymentLookups(): Promise<void> {
  const { redis, redisKey } = await import("@/lib/server/redis");
  await redis().del(redisKey("name-lookups-all"));
}

test("a crowd of IPs, each within its own limit, looks up at most LOOKUP_DEPLOYMENT_LIMIT new names a minute; an IP over its own limit spends none of it", async () => {
  const { resolveUser } = await import("@/lib/lastfm/users");
  await forgetDeploymentLookups();
  await stack.lastfm.resetStats();
  const outcomes = async (ips: string[]) => {
    const counts: Record<string, number> = {};
    for (const ip of ips) {
      const outcome = await resolveUser(randomName(), new Date(), { clientIp: ip }).then(
        (user) => user.state,
        (error: unknown) =>
          error instanceof AppError ? `${error.code}: ${error.message.split(" ")[0]}` : String(error),
      );
      counts[outcome] = (counts[outcome] ?? 0) + 1;
    }
    return counts;
  };
  // One address spends its own allowance (5 of the deployment's 20), then is refused by its own limit only.
  const spent = "203.0.113.80";
  assert.deepEqual(await outcomes(Array(LOOKUP_LIMIT + 10).fill(spent)), {
    not_found: LOOKUP_LIMIT,
    "rate_limited: You": 10,
  });
  // 30 more addresses, one name each: 15 are looked up, then everyone waits.
  const crowd = Array.from({ length: 30 }, (_, i) => `198.18.7.${i}`);
  const counts = await outcomes(crowd);
  assert.deepEqual(counts, { not_found: DEPLOYMENT_LOOKUP_LIMIT - LOOKUP_LIMIT, "rate_limited: Many": 15 });
  assert.ok(lastfmCalls(await stack.lastfm.stats()) <= DEPLOYMENT_LOOKUP_LIMIT);
  const refused = await rejection(resolveUser(randomName(), new Date(), { clientIp: "198.18.7.200" }));
  assert.ok(Number(refused.headers["Retry-After"]) > 0 && Number(refused.headers["Retry-After"]) <= 60);
  // Names already known cost no lookup, even now.
  assert.equal((await resolveUser("PrivatePat", new Date(), { clientIp: "198.18.7.201" })).state, "private");
});

test("a comparison's unknown name counts against the caller's lookups (the year page's rule)", async () => {
  const { compareListeners, compareYears } = await import("@/lib/imports/compare");
  await forgetDeploymentLookups();
  await stack.lastfm.resetStats();
  const ip = "203.0.113.90";
  const codes: string[] = [];
  for (let i = 0; i < LOOKUP_LIMIT + 5; i++) {
    const comparison =
      i % 2 === 0
        ? compareListeners(randomName(), randomName(), 2023, { clientIp: ip })
        : compareYears(randomName(), 2022, 2023, { clientIp: ip });
    codes.push((await rejection(comparison)).code);
  }
  assert.deepEqual(codes, [...Array(LOOKUP_LIMIT).fill("user_not_found"), ...Array(5).fill("rate_limited")]);
  assert.ok(lastfmCalls(await stack.lastfm.stats()) <= LOOKUP_LIMIT, JSON.stringify(await stack.lastfm.stats()));
});
