// Helpers for import tests: start an import the way the web side does, wait for its end, compare with truth.
import assert from "node:assert/strict";
import { listScrobbles, trueDistribution } from "@/scripts/simulators/lastfm/users";
import { waitFor } from "./stack";

export function yearBounds(year: number): [number, number] {
  return [Date.UTC(year, 0, 1) / 1000, Date.UTC(year + 1, 0, 1) / 1000];
}

/** Loaded lazily: lib/ must see the stack's environment. */
async function lib() {
  return {
    ...(await import("@/lib/imports/requests")),
    ...(await import("@/lib/imports/distribution")),
    ...(await import("@/lib/server/db")),
  };
}

export async function getJob(username: string, year: number) {
  const { db } = await lib();
  return db().fetchJob.findFirst({ where: { year, user: { nameKey: username.toLowerCase() } } });
}

/** Starts (or joins) the import and waits until it is complete or failed. */
export async function importAndWait(username: string, year: number, timeoutMs = 90_000) {
  const { requestImport, db } = await lib();
  const { user } = await requestImport(username, year);
  const job = await waitFor(
    async () => {
      const current = await db().fetchJob.findUnique({ where: { userId_year: { userId: user.id, year } } });
      return current && ["complete", "failed"].includes(current.status) ? current : undefined;
    },
    timeoutMs,
    async () => JSON.stringify(await db().fetchJob.findMany({ where: { userId: user.id } })),
  );
  return { user, job };
}

/**
 * The stored scrobbles equal the simulator's, with no duplicates, and the dated distribution equals its
 * truth: by MBID, by name and by song, each counted apart, and the by-song view too.
 */
export async function assertImportExact(username: string, year: number, timeoutMs?: number) {
  const { getYearDistribution, db } = await lib();
  const { user, job } = await importAndWait(username, year, timeoutMs);
  assert.equal(job.status, "complete", `${username} ${year}: ${job.error}`);
  const [from, to] = yearBounds(year);
  const truth = listScrobbles(username, from, to);
  const stored = await db().scrobble.count({
    where: { userId: user.id, scrobbledAt: { gte: new Date(from * 1000), lt: new Date(to * 1000) } },
  });
  assert.equal(stored, truth.length, `${username} ${year}: stored ${stored}, simulator has ${truth.length}`);
  // The import reads the widest year any zone has; its counter counts that whole window.
  const inWindow = await db().scrobble.count({
    where: { userId: user.id, scrobbledAt: { gte: job.windowFrom, lt: job.windowTo } },
  });
  assert.equal(
    inWindow,
    listScrobbles(username, job.windowFrom.getTime() / 1000, job.windowTo.getTime() / 1000).length,
    `${username} ${year}: the whole fetched window is stored`,
  );
  assert.equal(job.scrobblesFetched, inWindow, "the job's counter matches the rows");
  // Every play of the window is covered by a checkpoint, whatever page sizes were used.
  const { listMissingRanges } = await import("@/lib/imports/page-plan");
  const checkpoints = await db().fetchJobPage.findMany({ where: { jobId: job.id } });
  assert.deepEqual(listMissingRanges(checkpoints, job.expectedTotal ?? 0), [], "every play has its checkpoint");
  assert.equal(job.expectedTotal, inWindow, "Last.fm's total for the window");

  const result = await getYearDistribution(user, year);
  const truthByYear = trueDistribution(username, from, to);
  const expectedByYear = [...truthByYear.byYear.entries()]
    .filter((entry): entry is [number, number] => entry[0] !== null)
    .sort((a, b) => a[0] - b[0]);
  assert.deepEqual(
    result.distribution.map((row) => [row.releaseYear, row.scrobbles]),
    expectedByYear,
    `${username} ${year}: distribution differs from the simulator's truth`,
  );
  assert.equal(result.totals.scrobbles, truth.length);
  assert.equal(result.totals.byMethod.mbid, truthByYear.byMethod.mbid, "dated by MBID");
  assert.equal(result.totals.byMethod.fuzzy, truthByYear.byMethod.name, "dated by name");
  assert.equal(result.totals.byMethod.recording, truthByYear.byMethod.recording, "dated by song");
  // The chart's "by song" view: every play by the year its recording first came out.
  const songTruth = [...truthByYear.bySong.entries()]
    .filter((entry): entry is [number, number] => entry[0] !== null)
    .sort((a, b) => a[0] - b[0]);
  assert.deepEqual(
    result.views.song.map((row) => [row.releaseYear, row.scrobbles]),
    songTruth,
    `${username} ${year}: the by-song view differs from the simulator's truth`,
  );
  return { user, job, result };
}
