// Import speed: a 30,000-play year at 300 ms latency under a 4 req/s budget with 5 % faults, against the
// floor (requests sent / budget: retries cost budget too) and a one-page-of-200-at-a-time baseline; then
// rows/s stored against a raw COPY. The worker is warmed by a small import first, as a deployment's is.
import pg from "pg";
import { runPool } from "@/lib/server/concurrency";
import { PAGE_CONCURRENCY } from "@/worker/fetch-scrobbles";
import { CopyBuffer, copyIn } from "@/scripts/simulators/musicbrainz/copy";
import { startStack, waitFor } from "@/tests/support/stack";
import { listScrobbles } from "@/scripts/simulators/lastfm/users";

const USER = "HeavyHanna";
const WARM_UP_USER = "DadRockDan"; // 700 plays: one page
const YEAR = 2023; // 30,000 scrobbles: 30 pages of 1,000, 150 of 200
const BUDGET = 4;
export const LATENCY_MS = 300;
export const FAULT_RATE = 0.05;
// Transient server errors: what real imports meet most (8/500, 8/503, 11, 16, HTML pages, cut bodies, resets).
const FAULTS = "8:2,11:1,16:1,html:1,truncated:1,reset:1";
const STORAGE_ROUNDS = 5;

/** The simulator as the import and rush benches meet Last.fm: 300 ms, 5 % mixed faults, its own limit of 5/s. */
export const FAULTY_UPSTREAM_ARGS = [
  "--latency",
  String(LATENCY_MS),
  "--rate-limit",
  "5",
  "--fault-rate",
  String(FAULT_RATE),
  "--faults",
  FAULTS,
];

export type ImportBench = Record<string, number | string>;

export async function benchImport(): Promise<ImportBench> {
  const margin = process.env.LASTFM_RATE_MARGIN_MS ?? "75";
  process.env.LASTFM_RATE_MARGIN_MS = margin;
  const stack = await startStack({
    rateLimit: BUDGET,
    lastfmArgs: FAULTY_UPSTREAM_ARGS,
  });
  try {
    const { resolveUser } = await import("@/lib/lastfm/users");
    const { requestImport } = await import("@/lib/imports/requests");
    const { getFetchJob, getOrCreateFetchJob, storePage } = await import("@/lib/imports/store");
    const { getRecentTracksPage, LastfmError } = await import("@/lib/lastfm/client");
    const { db } = await import("@/lib/server/db");
    const user = await resolveUser(USER);
    const from = Date.UTC(YEAR, 0, 1) / 1000;
    const to = Date.UTC(YEAR + 1, 0, 1) / 1000;

    // Ours: the real worker process (preview beside the import, pages concurrently under the shared budget).
    await stack.startWorker();
    // A deployment's worker is warm: a fresh process's first job spends ~2 s loading modules and opening
    // connections (traced), which is no part of an import. A small import first, not counted.
    const warm = await resolveUser(WARM_UP_USER);
    await requestImport(WARM_UP_USER, YEAR);
    await waitFor(async () => (await getFetchJob(warm.id, YEAR))?.status === "complete", 120_000);
    await stack.lastfm.resetStats();
    const startedAt = Date.now();
    const started = performance.now();
    await requestImport(USER, YEAR);
    let job = await getFetchJob(user.id, YEAR);
    // Polled often: the end is read to within 25 ms, not waitFor's 200.
    for (const deadline = started + 600_000; !job || !["enriching", "complete", "failed"].includes(job.status); ) {
      if (performance.now() > deadline) throw new Error(`import still ${job?.status} after 10 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 25));
      job = await getFetchJob(user.id, YEAR);
    }
    const wallS = (performance.now() - started) / 1000;
    const endedAt = Date.now();
    const stats = await stack.lastfm.stats();
    const pages = job.totalPages ?? 0;
    // The floor is what the budget allows for the requests really sent (the preview's two included):
    // retries cost budget too.
    const floorS = stats.requests / BUDGET;
    // Where the wall goes: until the first request arrives, between the first and the last (against
    // the same requests at the full budget, and paced with the margin), after the last.
    const firstAt = stats.firstApiAt ?? startedAt;
    const lastAt = stats.lastApiAt ?? endedAt;
    const gaps = Math.max(0, stats.requests - 1);

    // Baseline: one page at a time, as the seed did (same client, budget, retries and storage).
    for (const worker of stack.workers()) await worker.kill("SIGTERM");
    const other = await db().lastfmUser.create({
      data: { name: `${USER}-baseline`, nameKey: `baseline-${Date.now()}` },
    });
    const baselineJob = await getOrCreateFetchJob({ userId: other.id, year: YEAR });
    const baselineStarted = performance.now();
    for (let page = 1; page <= Math.ceil((job.expectedTotal ?? 0) / 200); page++) {
      for (let attempt = 0; ; attempt++) {
        try {
          const result = await getRecentTracksPage({ user: USER, from, to, page, limit: 200 });
          await storePage(baselineJob, { page, pageSize: 200 }, result.scrobbles);
          break;
        } catch (error) {
          if (!(error instanceof LastfmError) || attempt > 6) throw error;
          await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
        }
      }
    }
    const baselineS = (performance.now() - baselineStarted) / 1000;

    const storage = await benchStorage(stack.env.DATABASE_URL, user.id);
    return {
      "import.rate_margin_ms": margin,
      "import.pages": pages,
      "import.scrobbles": job.scrobblesFetched,
      "import.truth": listScrobbles(USER, from, to).length,
      "import.requests": stats.requests,
      "import.requests_by_method": JSON.stringify(stats.byMethod),
      "import.faults_injected": Object.values(stats.faultsInjected as Record<string, number>).reduce(
        (a, b) => a + b,
        0,
      ),
      "import.busiest_second": stats.maxInAnySecond,
      "import.wall_s": round(wallS),
      "import.floor_s": round(floorS),
      "import.ratio_to_floor": round(wallS / floorS, 3),
      "import.part.to_first_request_s": round((firstAt - startedAt) / 1000, 2),
      "import.part.send_span_s": round((lastAt - firstAt) / 1000, 2),
      "import.part.send_span_at_budget_s": round(gaps / BUDGET, 2),
      "import.part.send_span_paced_with_margin_s": round((gaps * (1000 + Number(margin))) / BUDGET / 1000, 2),
      "import.part.last_request_to_done_s": round((endedAt - lastAt) / 1000, 2),
      "import.baseline_one_page_at_a_time_s": round(baselineS),
      "import.speedup_vs_baseline": round(baselineS / wallS, 2),
      ...storage,
    };
  } finally {
    await stack.stop();
  }
}

/** storePage's rows/s (one statement per 200-row page) against COPY of the same rows into a bare copy of the table. */
export async function benchStorageAlone(): Promise<ImportBench> {
  const stack = await startStack();
  try {
    const { db } = await import("@/lib/server/db");
    const user = await db().lastfmUser.create({ data: { name: USER, nameKey: USER.toLowerCase() } });
    return await benchStorage(stack.env.DATABASE_URL, user.id);
  } finally {
    await stack.stop();
  }
}

async function benchStorage(databaseUrl: string, userId: number): Promise<ImportBench> {
  const { getOrCreateFetchJob, storePage } = await import("@/lib/imports/store");
  const { db } = await import("@/lib/server/db");
  const rows = listScrobbles(USER, Date.UTC(YEAR, 0, 1) / 1000, Date.UTC(YEAR + 1, 0, 1) / 1000).map((s) => ({
    uts: s.uts,
    track: s.name,
    artist: s.artist,
    album: s.album,
    trackMbid: s.mbid || null,
    albumMbid: s.albumMbid || null,
    artistMbid: s.artistMbid || null,
  }));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  // Rounds pair a COPY with a storePage run back to back, so load from elsewhere hits both alike;
  // the median round is reported.
  const rounds: { copyS: number; storeS: number }[] = [];
  try {
    for (let round = 0; round < STORAGE_ROUNDS; round++) {
      // COPY into a table with the same columns, keys and indexes: the fastest Postgres can take these rows.
      await client.query("DROP TABLE IF EXISTS bench_copy");
      await client.query("CREATE TABLE bench_copy (LIKE scrobbles INCLUDING ALL)");
      const buffer = new CopyBuffer("bench_copy", [
        "user_id",
        "scrobbled_at",
        "track",
        "artist",
        "album",
        "track_mbid",
        "album_mbid",
        "artist_mbid",
      ]);
      for (const r of rows)
        buffer.add(
          userId,
          new Date(r.uts * 1000).toISOString(),
          r.track,
          r.artist,
          r.album,
          r.trackMbid,
          r.albumMbid,
          r.artistMbid,
        );
      const copyStarted = performance.now();
      await copyIn(client, buffer.take());
      const copyS = (performance.now() - copyStarted) / 1000;

      const other = await db().lastfmUser.create({
        data: { name: "storage-bench", nameKey: `storage-${Date.now()}-${round}` },
      });
      const job = await getOrCreateFetchJob({ userId: other.id, year: YEAR });
      // As the importer stores them: one statement per 200-row page, pages in flight concurrently.
      const pages = Array.from({ length: Math.ceil(rows.length / 200) }, (_, i) => i);
      const started = performance.now();
      await runPool(
        pages,
        PAGE_CONCURRENCY,
        async (i) => void (await storePage(job, { page: i + 1, pageSize: 200 }, rows.slice(i * 200, i * 200 + 200))),
      );
      rounds.push({ copyS, storeS: (performance.now() - started) / 1000 });
    }
  } finally {
    await client.end();
  }
  const ratios = rounds.map((r) => r.copyS / r.storeS).sort((a, b) => a - b);
  const median = rounds.find((r) => r.copyS / r.storeS === ratios[Math.floor(ratios.length / 2)]) ?? rounds[0];
  return {
    "storage.rows": rows.length,
    "storage.store_page_rows_per_s": Math.round(rows.length / median.storeS),
    "storage.copy_rows_per_s": Math.round(rows.length / median.copyS),
    "storage.ratio_to_copy (median)": round(median.copyS / median.storeS, 3),
    [`storage.ratio_to_copy (${STORAGE_ROUNDS} rounds)`]: ratios.map((r) => round(r, 2)).join(" "),
  };
}

function round(value: number, digits = 1): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}
