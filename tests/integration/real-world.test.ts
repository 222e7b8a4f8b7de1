// The real-world albums (scripts/simulators/data/real-world.csv: Last.fm spellings and MBIDs joined to
// MusicBrainz truth) imported as a new user would: RealWorldRuth's year through the worker, once against
// the mirror and once against the ws/2 web service. Each play's stored year is checked against the truth.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { listScrobbles } from "@/scripts/simulators/lastfm/users";
import { startMusicbrainzSimulator } from "@/scripts/simulators/musicbrainz/ws-server";
import { importAndWait, yearBounds } from "@/tests/support/imports";
import { type Stack, startStack } from "@/tests/support/stack";

const USER = "RealWorldRuth";
const DATED_FLOOR = 0.95;

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack.stop();
});

type Tally = { plays: number; datable: number; right: number; wrong: string[]; missed: Map<string, number> };

/** Each stored play against the simulator's truth for the same play (time, artist, track). */
async function tallyYear(year: number): Promise<Tally> {
  const { db } = await import("@/lib/server/db");
  const { user, job } = await importAndWait(USER, year, 240_000);
  assert.equal(job.status, "complete", job.error ?? "");
  const [from, to] = yearBounds(year);
  const truth = new Map(listScrobbles(USER, from, to).map((s) => [`${s.uts}|${s.artist}|${s.name}`, s]));
  const stored = await db().scrobble.findMany({
    where: { userId: user.id, scrobbledAt: { gte: new Date(from * 1000), lt: new Date(to * 1000) } },
  });
  const tally: Tally = { plays: stored.length, datable: 0, right: 0, wrong: [], missed: new Map() };
  assert.equal(stored.length, truth.size);
  for (const play of stored) {
    const expected = truth.get(`${play.scrobbledAt.getTime() / 1000}|${play.artist}|${play.track}`);
    assert.ok(expected, `${play.artist} – ${play.track} is a simulator play`);
    const label = `${play.artist} – ${play.album} [${play.albumMbid ?? "no MBID"}]`;
    if (expected.trueYear !== null) tally.datable++;
    if (play.releaseYear === null) {
      if (expected.trueYear !== null) tally.missed.set(label, (tally.missed.get(label) ?? 0) + 1);
    } else if (play.releaseYear === expected.trueYear) tally.right++;
    else tally.wrong.push(`${label}: ${play.releaseYear}, truth ${expected.trueYear}`);
  }
  return tally;
}

function report(source: string, tally: Tally): number {
  const share = tally.right / tally.datable;
  console.log(
    `real-world (${source}): ${tally.plays} plays, ${tally.datable} with a known year: ` +
      `${tally.right} dated right (${(100 * share).toFixed(1)} %), ${tally.wrong.length} wrong`,
  );
  for (const [label, plays] of tally.missed) console.log(`  undated ${label} (${plays} plays)`);
  for (const line of tally.wrong) console.log(`  WRONG ${line}`);
  return share;
}

test("real-world plays through the mirror: ≥ 95 % of the datable plays get their right year, none a wrong one", async () => {
  const worker = await stack.startWorker();
  const tally = await tallyYear(2024);
  await worker.kill();
  const share = report("mirror", tally);
  assert.deepEqual(tally.wrong, []);
  assert.ok(share >= DATED_FLOOR, `${(100 * share).toFixed(1)} % dated right`);
});

test("real-world plays through the ws/2 web service: ≥ 95 % dated right, none wrong", async () => {
  const { db } = await import("@/lib/server/db");
  // The caches are shared by both sources: empty them so this year asks the web service everything.
  await db().$executeRaw`TRUNCATE album_year_cache, album_name_cache`;
  const simulator = await startMusicbrainzSimulator({ ratePerSecond: 50, burst: 50 });
  try {
    const worker = await stack.startWorker({
      MUSICBRAINZ_DATABASE_URL: "",
      MUSICBRAINZ_API_URL: simulator.url,
      MUSICBRAINZ_RATE_LIMIT: "40",
    });
    const tally = await tallyYear(2023);
    await worker.kill();
    const share = report("web service", tally);
    assert.deepEqual(tally.wrong, []);
    assert.ok(share >= DATED_FLOOR, `${(100 * share).toFixed(1)} % dated right`);
  } finally {
    await simulator.close();
  }
});
