// Enrichment speed: dating 10,000 distinct MBIDs against a 1M-release test mirror in batches, next to
// one query per album; 10,000 recording MBIDs (songs per second); and the distribution query's p95 for a 100k-scrobble user in a 5M-row table.
import pg from "pg";
import type { AlbumLookup } from "@/lib/musicbrainz/sources";
import { generatedRelease, recordingsOf, yearOf } from "@/scripts/simulators/catalog";
import { seedMirror } from "@/scripts/simulators/musicbrainz/seed";
import { percentile } from "./web";
import {
  createDatabase,
  createMigratedDatabase,
  databaseUrl,
  dropDatabase,
  TEST_SERVER_URL,
} from "@/tests/support/databases";

const MIRROR_SCALE = 1_000_000;
const ALBUMS = 10_000;
const SEED = 1973;

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    return ((await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}

/** A 1M-release mirror, kept between bench runs (seeding takes about half a minute). */
export async function ensureBigMirror(): Promise<string> {
  // v3: Various Artists holds every twentieth generated group (50,000 at this scale), and every release its
  // tracklist of recordings. Bump on catalog or mirror schema changes.
  const name = `lyfm_bench_mirror_${MIRROR_SCALE}_v3`;
  const url = databaseUrl(name);
  if (!(await databaseExists(name))) await createDatabase(name);
  const result = await seedMirror({ databaseUrl: url, scale: MIRROR_SCALE, seed: SEED, ifEmpty: true });
  if (!result.skipped)
    console.log(`seeded a ${MIRROR_SCALE.toLocaleString("en")}-release mirror in ${Math.round(result.ms / 1000)} s`);
  return url;
}

export async function benchEnrich(): Promise<Record<string, number | string>> {
  const mirrorUrl = await ensureBigMirror();
  const { MirrorSource, MIRROR_LOOKUP_SQL } = await import("@/lib/musicbrainz/sources");
  // Spread over the whole mirror; originals only, so the expected year is the release's own group's.
  const picks = Array.from({ length: ALBUMS }, (_, k) => (k * 97) % MIRROR_SCALE).map((i) => (i % 5 === 4 ? i - 1 : i));
  const expected = new Map(
    picks.map((i) => {
      const { release, group } = generatedRelease(SEED, i);
      return [release.gid, group?.hasMetaRow ? yearOf(group.date) : null] as const;
    }),
  );
  const mbids = [...expected.keys()];

  // One batch at a time (the design before) and two in flight, alternated so both meet the same cache.
  const sequential = new MirrorSource(mirrorUrl, 1);
  const source = new MirrorSource(mirrorUrl);
  await sequential.lookupAlbums(mbids); // connect, warm the pools and the mirror's cache
  await source.lookupAlbums(mbids.slice(0, 100));
  const sequentialRuns: number[] = [];
  const batchedRuns: number[] = [];
  let answers: AlbumLookup[] = [];
  for (let run = 0; run < 3; run++) {
    let started = performance.now();
    await sequential.lookupAlbums(mbids);
    sequentialRuns.push(performance.now() - started);
    started = performance.now();
    answers = await source.lookupAlbums(mbids);
    batchedRuns.push(performance.now() - started);
  }
  const batchedMs = percentile(batchedRuns, 50);
  const wrong = answers.filter((a) => expected.get(a.albumMbid) !== a.year).length;
  await Promise.all([source.close(), sequential.close()]);

  const songs = await benchSongs(mirrorUrl, picks);
  const client = new pg.Client({ connectionString: mirrorUrl });
  await client.connect();
  const baselineStarted = performance.now();
  for (const mbid of mbids) await client.query(MIRROR_LOOKUP_SQL, [[mbid]]);
  const baselineMs = performance.now() - baselineStarted;
  await client.end();

  return {
    "enrich.albums": mbids.length,
    "enrich.answers": answers.length,
    "enrich.wrong_years": wrong,
    "enrich.batched_ms": Math.round(batchedMs),
    "enrich.batched_one_at_a_time_ms": Math.round(percentile(sequentialRuns, 50)),
    "enrich.one_query_per_album_ms": Math.round(baselineMs),
    "enrich.speedup": Math.round((baselineMs / batchedMs) * 10) / 10,
    ...songs,
    ...(await benchDistribution()),
  };
}

/** The recordings of the picked albums' groups, dated by MBID in batches: songs per second. */
async function benchSongs(mirrorUrl: string, picks: number[]): Promise<Record<string, number>> {
  const { MirrorRecordingSource } = await import("@/lib/musicbrainz/recordings/mirror");
  const expected = new Map<string, number | null>();
  for (const i of picks) {
    const { group } = generatedRelease(SEED, i);
    if (!group) continue;
    for (const recording of recordingsOf(SEED, group)) expected.set(recording.gid, yearOf(recording.firstReleaseDate));
    if (expected.size >= ALBUMS) break;
  }
  const mbids = [...expected.keys()].slice(0, ALBUMS);
  const source = new MirrorRecordingSource(mirrorUrl);
  await source.lookupRecordings(mbids.slice(0, 100)); // connect, and check recording_first_release_date once
  const started = performance.now();
  const answers = await source.lookupRecordings(mbids);
  const ms = performance.now() - started;
  await source.close();
  return {
    "enrich.recordings": mbids.length,
    "enrich.recordings_wrong_years": answers.filter((a) => expected.get(a.recordingMbid) !== a.year).length,
    "enrich.recordings_ms": Math.round(ms),
    "enrich.recordings_per_second": Math.round((mbids.length / ms) * 1000),
  };
}

const USERS = 50;
const PER_USER = 100_000;

/** 5M scrobbles (50 users × 100k in one year), then getYearDistribution for one of them, 100 times. */
async function benchDistribution(): Promise<Record<string, number>> {
  const database = await createMigratedDatabase("lyfm_bench_dist");
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const loadStarted = performance.now();
    const { rows: indexes } = await client.query<{ indexname: string; indexdef: string }>(
      "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'scrobbles' AND indexname <> 'scrobbles_pkey'",
    );
    for (const index of indexes) await client.query(`DROP INDEX "${index.indexname}"`);
    await client.query(
      `INSERT INTO lastfm_users (name, name_key) SELECT 'bench' || u, 'bench' || u FROM generate_series(1, ${USERS}) u`,
    );
    await client.query("SET synchronous_commit = off");
    for (let u = 1; u <= USERS; u++) {
      await client.query(
        `INSERT INTO scrobbles (user_id, scrobbled_at, track, artist, album, album_mbid, release_group_mbid, release_year, augmentation_status, match_method)
         SELECT $1, timestamptz '2024-01-01' + (n * interval '315 seconds'), 'Track ' || (n % 5000), 'Artist ' || (n % 700), 'Album ' || (n % 900),
                md5('a' || (n % 900))::uuid, md5('g' || (n % 900))::uuid,
                CASE WHEN n % 10 = 0 THEN NULL ELSE 1950 + (n * 7919 % 76) END,
                (CASE WHEN n % 10 = 0 THEN 'not_found' WHEN n % 17 = 0 THEN 'fuzzy_matched' ELSE 'matched' END)::augmentation_status,
                CASE WHEN n % 10 = 0 THEN NULL ELSE 'mbid' END
           FROM generate_series(1, ${PER_USER}) n`,
        [u],
      );
    }
    for (const index of indexes) await client.query(index.indexdef);
    await client.query("VACUUM ANALYZE scrobbles");
    const loadS = (performance.now() - loadStarted) / 1000;

    process.env.DATABASE_URL = database.url;
    const { getYearDistribution } = await import("@/lib/imports/distribution");
    const { db, disconnectDb } = await import("@/lib/server/db");
    const user = await db().lastfmUser.findFirstOrThrow({ where: { nameKey: "bench25" } });
    // As after a real import: the finished year's job with the snapshot its enrichment saves.
    const { getOrCreateFetchJob } = await import("@/lib/imports/store");
    const { saveDistributionSnapshot } = await import("@/lib/imports/distribution");
    const job = await getOrCreateFetchJob({ userId: user.id, year: 2024 });
    await db().fetchJob.update({ where: { id: job.id }, data: { status: "complete" } });
    const liveStarted = performance.now();
    await saveDistributionSnapshot(job);
    const snapshotMs = performance.now() - liveStarted;
    const timings: number[] = [];
    let rows = 0;
    for (let i = 0; i < 120; i++) {
      const started = performance.now();
      const result = await getYearDistribution(user, 2024);
      if (i >= 20) timings.push(performance.now() - started); // the first 20 warm caches and the pool
      rows = result.totals.scrobbles;
    }
    await disconnectDb();
    return {
      "distribution.table_rows": USERS * PER_USER,
      "distribution.user_scrobbles": rows,
      "distribution.load_s": Math.round(loadS),
      "distribution.live_group_by_ms": Math.round(snapshotMs),
      "distribution.p50_ms": Math.round(percentile(timings, 50) * 10) / 10,
      "distribution.p95_ms": Math.round(percentile(timings, 95) * 10) / 10,
    };
  } finally {
    await client.end();
    await dropDatabase(database.name);
  }
}
