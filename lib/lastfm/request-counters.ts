// Deployment-wide counters of upstream requests, kept in Redis: the worker makes most Last.fm calls, the
// web process serves /admin and /api/metrics, and every process of the deployment adds to the same counts.
import { redis, redisKey } from "@/lib/server/redis";

/** How one Last.fm request ended. `rate_limited` is error 29 or HTTP 429. */
export const LASTFM_OUTCOMES = ["ok", "rate_limited", "api_error", "http_error", "network_error"] as const;
export type LastfmOutcome = (typeof LASTFM_OUTCOMES)[number];

export type OutcomeCounts = Record<LastfmOutcome, number>;
export type MinuteCounts = { minute: Date; counts: OutcomeCounts };

/** Per-minute buckets live this long: the admin page shows the last hour at most. */
const MINUTE_TTL_S = 2 * 3600;

const minuteOf = (ms: number) => Math.floor(ms / 60_000);
const totalKey = (outcome: LastfmOutcome) => redisKey("stats", "lastfm", outcome);
const minuteKey = (outcome: LastfmOutcome, minute: number) => redisKey("stats", "lastfm", outcome, minute);

function emptyCounts(): OutcomeCounts {
  return Object.fromEntries(LASTFM_OUTCOMES.map((outcome) => [outcome, 0])) as OutcomeCounts;
}

/**
 * Counts one request, fire-and-forget: a Redis hiccup must never fail or slow the request it counts.
 * Resolves when the count is stored (tests await it; callers need not).
 */
export function recordLastfmRequest(outcome: LastfmOutcome, now = Date.now()): Promise<void> {
  const bucket = minuteKey(outcome, minuteOf(now));
  return redis()
    .multi()
    .incr(totalKey(outcome))
    .incr(bucket)
    .expire(bucket, MINUTE_TTL_S)
    .exec()
    .then(
      () => undefined,
      () => undefined,
    );
}

/** Every request since the deployment's Redis started counting (Prometheus counters). */
export async function getLastfmTotals(): Promise<OutcomeCounts> {
  const values = await redis().mget(LASTFM_OUTCOMES.map(totalKey));
  const counts = emptyCounts();
  for (const [i, outcome] of LASTFM_OUTCOMES.entries()) counts[outcome] = Number(values[i] ?? 0);
  return counts;
}

/** The last `minutes` whole and current minutes, newest first, each with its counts by outcome. */
export async function listLastfmMinutes(minutes: number, now = Date.now()): Promise<MinuteCounts[]> {
  const current = minuteOf(now);
  const buckets = Array.from({ length: minutes }, (_, i) => current - i);
  const keys = buckets.flatMap((minute) => LASTFM_OUTCOMES.map((outcome) => minuteKey(outcome, minute)));
  const values = await redis().mget(keys);
  return buckets.map((minute, i) => {
    const counts = emptyCounts();
    for (const [j, outcome] of LASTFM_OUTCOMES.entries()) {
      counts[outcome] = Number(values[i * LASTFM_OUTCOMES.length + j] ?? 0);
    }
    return { minute: new Date(minute * 60_000), counts };
  });
}
