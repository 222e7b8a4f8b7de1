// Last.fm requests are counted by outcome in Redis, deployment-wide, and the ops figures read them back.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type Stack, startStack, waitFor } from "@/tests/support/stack";

let stack: Stack;

before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack.stop();
});

test("each Last.fm request is counted once by outcome: ok, 429 (error 29), API error, HTTP error, network error", async () => {
  const { getUserInfo } = await import("@/lib/lastfm/client");
  const { getLastfmTotals, listLastfmMinutes } = await import("@/lib/lastfm/request-counters");
  const { getOpsStats } = await import("@/lib/ops/stats");

  await stack.lastfm.configure({ faultQueue: ["error29", "error8-503", "html500", "reset"] });
  for (let i = 0; i < 5; i++) await getUserInfo("LightLeo").catch(() => undefined);

  const expected = { ok: 1, rate_limited: 1, api_error: 1, http_error: 1, network_error: 1 };
  // Counting is fire-and-forget: it never delays the request it counts.
  const totals = await waitFor(async () => {
    const current = await getLastfmTotals();
    return Object.values(current).reduce((sum, n) => sum + n, 0) === 5 ? current : undefined;
  }, 5_000);
  assert.deepEqual(totals, expected);

  const [thisMinute, previousMinute] = await listLastfmMinutes(2);
  assert.equal(thisMinute.minute.getTime(), Math.floor(Date.now() / 60_000) * 60_000);
  const lastTwoMinutes = Object.fromEntries(
    Object.entries(thisMinute.counts).map(([outcome, n]) => [
      outcome,
      n + previousMinute.counts[outcome as keyof typeof expected],
    ]),
  );
  // All five fall in this minute's bucket, or straddle the previous one at a minute boundary.
  assert.deepEqual(lastTwoMinutes, expected);

  const stats = await getOpsStats({ minutes: 3 });
  assert.deepEqual(stats.lastfm.totals, expected);
  assert.equal(stats.lastfm.minutes.length, 3);
  assert.equal(stats.lastfm.isPenalized, true, "error 29 halves the shared budget for a few seconds");
  assert.equal(stats.lastfm.ratePerSecond, Number(stack.env.LASTFM_RATE_LIMIT));
  assert.deepEqual(Object.keys(stats.imports).sort(), [
    "complete",
    "enriching",
    "failed",
    "fetching",
    "partial",
    "queued",
  ]);
  assert.deepEqual(Object.keys(stats.queues).sort(), [
    "enrich-albums",
    "fetch-scrobbles",
    "match-names",
    "preview-year",
  ]);
  assert.equal(stats.enrichment.source, "mirror");
});
