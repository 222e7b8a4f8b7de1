// The operations figures, collected in one place for the /admin page and /api/metrics: the shared Last.fm
// budget and its requests per minute (Redis), imports by status and enrichment coverage (Postgres), and
// queue depth (BullMQ). Everything is read at request time; nothing here is kept per process.
import { AugmentationStatus, FetchStatus } from "@/generated/prisma/enums";
import { db } from "@/lib/server/db";
import { env } from "@/lib/server/env";
import { QUEUE, type QueueName, queue } from "@/lib/jobs";
import { lastfmBudget } from "@/lib/lastfm/client";
import {
  getLastfmTotals,
  listLastfmMinutes,
  type MinuteCounts,
  type OutcomeCounts,
} from "@/lib/lastfm/request-counters";

export const QUEUE_STATES = ["waiting", "prioritized", "active", "delayed", "failed", "completed"] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

export const FETCH_STATUSES = Object.values(FetchStatus);
export const AUGMENTATION_STATUSES = Object.values(AugmentationStatus);

export type OpsStats = {
  collectedAt: Date;
  lastfm: {
    /** Requests per second for the whole deployment (LASTFM_RATE_LIMIT). */
    ratePerSecond: number;
    /** Slots already reserved ahead of now: requests waiting for their turn, deployment-wide. */
    budgetBacklog: number;
    /** A 429 halved the budget for a few seconds. */
    isPenalized: boolean;
    totals: OutcomeCounts;
    /** Newest first. */
    minutes: MinuteCounts[];
  };
  imports: Record<FetchStatus, number>;
  queues: Record<QueueName, Record<QueueState, number>>;
  enrichment: {
    source: "mirror" | "webservice";
    scrobbles: Record<AugmentationStatus, number>;
    /** Scrobbles with an original release year. */
    datedScrobbles: number;
    /** How dated scrobbles were matched: "mbid", "name", "track". */
    byMethod: Record<string, number>;
    albums: { lookedUp: number; dated: number; unknownToMusicbrainz: number };
  };
};

type ScrobbleRow = { status: AugmentationStatus; method: string | null; scrobbles: number; dated: number };
type AlbumRow = { looked_up: number; dated: number; unknown: number };

async function countImports(): Promise<OpsStats["imports"]> {
  const rows = await db().fetchJob.groupBy({ by: ["status"], _count: { _all: true } });
  const counts = Object.fromEntries(FETCH_STATUSES.map((status) => [status, 0])) as OpsStats["imports"];
  for (const row of rows) counts[row.status] = row._count._all;
  return counts;
}

async function countEnrichment(): Promise<OpsStats["enrichment"]> {
  // One pass over scrobbles and one over the album cache; the counts the page and the metrics both show.
  const [scrobbleRows, [albumRow]] = await Promise.all([
    db().$queryRaw<ScrobbleRow[]>`
      SELECT augmentation_status::text AS status, match_method AS method,
             count(*)::int AS scrobbles, count(release_year)::int AS dated
        FROM scrobbles GROUP BY 1, 2`,
    db().$queryRaw<AlbumRow[]>`
      SELECT count(*)::int AS looked_up, count(original_year)::int AS dated,
             (count(*) FILTER (WHERE matched_as IS NULL))::int AS unknown
        FROM album_year_cache`,
  ]);
  const scrobbles = Object.fromEntries(AUGMENTATION_STATUSES.map((status) => [status, 0])) as Record<
    AugmentationStatus,
    number
  >;
  const byMethod: Record<string, number> = {};
  let datedScrobbles = 0;
  for (const row of scrobbleRows) {
    scrobbles[row.status] += row.scrobbles;
    datedScrobbles += row.dated;
    if (row.method && row.dated > 0) byMethod[row.method] = (byMethod[row.method] ?? 0) + row.dated;
  }
  return {
    source: env().MUSICBRAINZ_DATABASE_URL ? "mirror" : "webservice",
    scrobbles,
    datedScrobbles,
    byMethod,
    albums: { lookedUp: albumRow.looked_up, dated: albumRow.dated, unknownToMusicbrainz: albumRow.unknown },
  };
}

/**
 * The scrobble counts read every row of the biggest table: on every scrape of several Prometheus servers
 * that keeps Postgres busy for nothing. They are computed again only when an import changed since (every
 * write to scrobbles comes with a write to its fetch_jobs row: pages, dating progress, snapshots,
 * re-imports), which one read of the much smaller fetch_jobs tells (every write stamps its row's updated_at); an idle deployment's scrapes are free.
 */
let enrichmentCache: { fingerprint: string; value: Promise<OpsStats["enrichment"]> } | undefined;

async function fingerprintImports(): Promise<string> {
  // The sum, not the max: an update stamped earlier than another row's newest stamp (a transaction's
  // now() is its start) would not move a max.
  const [row] = await db().$queryRaw<{ n: number; stamps: string | null }[]>`
    SELECT count(*)::int AS n, sum(extract(epoch FROM updated_at))::text AS stamps FROM fetch_jobs`;
  return `${row.n}:${row.stamps ?? ""}`;
}

export async function countEnrichmentCached(): Promise<OpsStats["enrichment"]> {
  const fingerprint = await fingerprintImports();
  if (enrichmentCache?.fingerprint !== fingerprint) {
    const value = countEnrichment();
    enrichmentCache = { fingerprint, value };
    // A failed count is not kept: the next scrape asks again.
    value.catch(() => enrichmentCache?.value === value && (enrichmentCache = undefined));
  }
  return enrichmentCache.value;
}

async function countQueues(): Promise<OpsStats["queues"]> {
  const names = Object.values(QUEUE);
  const counts = await Promise.all(names.map((name) => queue(name).getJobCounts(...QUEUE_STATES)));
  return Object.fromEntries(
    names.map((name, i) => [
      name,
      Object.fromEntries(QUEUE_STATES.map((state) => [state, counts[i][state] ?? 0])) as Record<QueueState, number>,
    ]),
  ) as OpsStats["queues"];
}

/** Every figure, in parallel: a handful of Redis reads and grouped queries (the scrobble counts only when an import changed). */
export async function getOpsStats(options: { minutes?: number } = {}): Promise<OpsStats> {
  const budget = lastfmBudget();
  const [budgetBacklog, isPenalized, totals, minutes, imports, queues, enrichment] = await Promise.all([
    budget.backlog(),
    budget.isPenalized(),
    getLastfmTotals(),
    listLastfmMinutes(options.minutes ?? 15),
    countImports(),
    countQueues(),
    countEnrichmentCached(),
  ]);
  return {
    collectedAt: new Date(),
    lastfm: { ratePerSecond: env().LASTFM_RATE_LIMIT, budgetBacklog, isPenalized, totals, minutes },
    imports,
    queues,
    enrichment,
  };
}
