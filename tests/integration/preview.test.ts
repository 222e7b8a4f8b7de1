// The preview: a new import shows a chart from Last.fm's album chart (one request, plus the year's total)
// while the full import runs, says how much of the year it covers, and is replaced by the exact chart.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { SIM_API_KEY } from "@/scripts/simulators/lastfm/options";
import { assertImportExact, yearBounds } from "@/tests/support/imports";
import { type Stack, startStack, waitFor } from "@/tests/support/stack";

let stack: Stack;

before(async () => {
  // A budget of 3 requests/s makes the 32 requests of a 30,000-play year take more than ten seconds.
  // The product's own timeout: a year's chart of 1,000 albums can take over 2 s on a busy machine, and a
  // retry would be a second chart request.
  stack = await startStack({ rateLimit: 3, lastfmTimeoutMs: 15_000 });
  await stack.startWorker();
});
after(async () => {
  await stack.stop();
});

/** Share of plays per decade: the preview should tell the same story as the exact chart. */
function byDecade(rows: { releaseYear: number; scrobbles: number }[]): Map<number, number> {
  const total = rows.reduce((sum, row) => sum + row.scrobbles, 0);
  const shares = new Map<number, number>();
  for (const row of rows) {
    const decade = Math.floor(row.releaseYear / 10) * 10;
    shares.set(decade, (shares.get(decade) ?? 0) + row.scrobbles / total);
  }
  return shares;
}

test("a new import publishes an album-chart preview over SSE before its pages are in, then the exact chart replaces it", async () => {
  const { resolveUser } = await import("@/lib/lastfm/users");
  const { requestImport } = await import("@/lib/imports/requests");
  const { getYearDistribution } = await import("@/lib/imports/distribution");
  const { subscribeProgress } = await import("@/lib/imports/progress");
  const user = await resolveUser("HeavyHanna");
  const events: string[] = [];
  const stop = await subscribeProgress(user.name, 2023, (event) => void events.push(event.type));
  await stack.lastfm.resetStats();
  const started = performance.now();

  await requestImport("HeavyHanna", 2023);
  const preview = await waitFor(async () => {
    const result = await getYearDistribution(user, 2023);
    return result.basis === "album_chart" ? result : undefined;
  }, 30_000);
  const previewS = (performance.now() - started) / 1000;

  // Saved first, then announced: listeners hear of it right after.
  await waitFor(
    async () => events.includes("preview"),
    5_000,
    () => `events: ${events.join(",")}`,
  );
  assert.notEqual(preview.status, "complete");
  assert.ok(
    preview.progress.totalPages === null || preview.progress.pagesFetched < preview.progress.totalPages,
    "the preview is there before the pages are",
  );
  assert.equal((await stack.lastfm.stats()).byMethod["user.getweeklyalbumchart"], 1, "one album-chart request");
  const [from, to] = yearBounds(2023);
  const truth = stack.lastfm.users?.listScrobbles("HeavyHanna", from, to) ?? [];
  const chart = await fetch(
    `${stack.lastfm.apiUrl}?method=user.getweeklyalbumchart&user=HeavyHanna&from=${from}&to=${to - 1}&limit=1000&api_key=${SIM_API_KEY}&format=json`,
  ).then((response) => response.json());
  const chartPlays = chart.weeklyalbumchart.album.reduce((sum: number, row: { playcount: string }) => {
    return sum + Number(row.playcount);
  }, 0);
  assert.deepEqual(preview.albumChart, { chartPlays, yearPlays: truth.length, albums: 1000 });
  assert.equal(preview.totals.scrobbles, truth.length, "totals count the whole year, undated plays included");
  assert.ok(preview.totals.dated > 0.7 * chartPlays, `dated ${preview.totals.dated} of ${chartPlays} chart plays`);
  assert.equal(
    preview.distribution.reduce((sum, row) => sum + row.scrobbles, 0),
    preview.totals.dated,
  );
  console.log(
    `preview after ${previewS.toFixed(1)} s: chart ${chartPlays} of ${truth.length} plays, ${preview.totals.dated} dated`,
  );

  // Dating 30,000 plays by album and by song takes a while on a shared machine.
  const { result } = await assertImportExact("HeavyHanna", 2023, 300_000);
  await stop();
  assert.equal(result.basis, "scrobbles");
  assert.equal(result.albumChart, null);
  // The preview tells the exact chart's story: per decade, within a few points.
  const exact = byDecade(result.distribution);
  const approximate = byDecade(preview.distribution);
  let distance = 0;
  for (const decade of new Set([...exact.keys(), ...approximate.keys()])) {
    distance += Math.abs((exact.get(decade) ?? 0) - (approximate.get(decade) ?? 0));
  }
  assert.ok(distance < 0.1, `decade shares differ by ${distance.toFixed(3)} in total`);
});

test("a year whose import is done before anyone asks again keeps the exact chart (a late preview is dropped)", async () => {
  const { resolveUser } = await import("@/lib/lastfm/users");
  const { getFetchJob } = await import("@/lib/imports/store");
  const { buildPreview, savePreview } = await import("@/lib/imports/preview");
  const { getYearDistribution } = await import("@/lib/imports/distribution");
  await assertImportExact("LightLeo", 2023);
  const user = await resolveUser("LightLeo");
  const job = await getFetchJob(user.id, 2023);
  assert.ok(job);
  assert.equal(await savePreview(job, await buildPreview(job, user.name)), null);
  assert.equal((await getYearDistribution(user, 2023)).basis, "scrobbles");
});
