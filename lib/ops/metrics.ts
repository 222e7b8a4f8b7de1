// Prometheus metrics (prom-client). The HTTP latency histogram belongs to each web process, as usual for
// Prometheus; every other series is read at scrape time from the figures lib/ops/stats.ts collects for the
// whole deployment, so it does not matter which web process a scrape reaches.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { OpsStats } from "./stats";

type Metrics = {
  registry: Registry;
  httpDuration: Histogram<"method" | "route" | "status">;
  imports: Gauge<"status">;
  queueJobs: Gauge<"queue" | "state">;
  lastfmRequests: Counter<"outcome">;
  lastfmBacklog: Gauge;
  lastfmRateLimit: Gauge;
  lastfmPenalized: Gauge;
  enrichmentScrobbles: Gauge<"status">;
  enrichmentCoverage: Gauge;
  enrichmentMatches: Gauge<"method">;
  albumCache: Gauge<"result">;
};

// Route modules are bundled separately by Next: the registry lives on globalThis so that the histogram
// route() observes and the registry /api/metrics renders are the same objects.
const globalForMetrics = globalThis as unknown as { metrics?: Metrics };

function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "lyfm_" });
  const registers = [registry];
  return {
    registry,
    httpDuration: new Histogram({
      name: "lyfm_http_request_duration_seconds",
      help: "API request latency, per web process (route is the path template)",
      labelNames: ["method", "route", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    imports: new Gauge({
      name: "lyfm_imports",
      help: "Imports (fetch_jobs rows) by status",
      labelNames: ["status"],
      registers,
    }),
    queueJobs: new Gauge({
      name: "lyfm_queue_jobs",
      help: "BullMQ jobs by queue and state",
      labelNames: ["queue", "state"],
      registers,
    }),
    lastfmRequests: new Counter({
      name: "lyfm_lastfm_requests_total",
      help: "Last.fm API requests by outcome, deployment-wide (rate_limited: error 29 or HTTP 429)",
      labelNames: ["outcome"],
      registers,
    }),
    lastfmBacklog: new Gauge({
      name: "lyfm_lastfm_budget_backlog",
      help: "Last.fm request slots reserved ahead of now, deployment-wide",
      registers,
    }),
    lastfmRateLimit: new Gauge({
      name: "lyfm_lastfm_rate_limit_per_second",
      help: "The shared Last.fm budget (LASTFM_RATE_LIMIT): rate(lyfm_lastfm_requests_total[1m]) over it is the share in use",
      registers,
    }),
    lastfmPenalized: new Gauge({
      name: "lyfm_lastfm_budget_penalized",
      help: "1 while a Last.fm 429 halves the shared budget",
      registers,
    }),
    enrichmentScrobbles: new Gauge({
      name: "lyfm_enrichment_scrobbles",
      help: "Stored scrobbles by MusicBrainz augmentation status",
      labelNames: ["status"],
      registers,
    }),
    enrichmentCoverage: new Gauge({
      name: "lyfm_enrichment_coverage_ratio",
      help: "Share of stored scrobbles with an original release year",
      registers,
    }),
    enrichmentMatches: new Gauge({
      name: "lyfm_enrichment_matched_scrobbles",
      help: "Dated scrobbles by match method",
      labelNames: ["method"],
      registers,
    }),
    albumCache: new Gauge({
      name: "lyfm_album_cache_albums",
      help: "Albums looked up in MusicBrainz, by result (dated, undated, unknown)",
      labelNames: ["result"],
      registers,
    }),
  };
}

function metrics(): Metrics {
  globalForMetrics.metrics ??= createMetrics();
  return globalForMetrics.metrics;
}

/** Records one API request's latency (route() calls this for every request). */
export function observeHttpRequest(method: string, route: string, status: number, seconds: number): void {
  metrics().httpDuration.observe({ method, route, status: String(status) }, seconds);
}

/**
 * The exposition text: the deployment's figures (from getOpsStats, read for this scrape) plus this
 * process's own histogram and default process metrics. Only prom-client is imported here, so route()
 * can record latency without loading the stats queries.
 */
export async function renderMetrics(stats: OpsStats): Promise<{ contentType: string; body: string }> {
  const m = metrics();
  for (const [status, count] of Object.entries(stats.imports)) m.imports.set({ status }, count);
  for (const [name, states] of Object.entries(stats.queues)) {
    for (const [state, count] of Object.entries(states)) m.queueJobs.set({ queue: name, state }, count);
  }
  // The counts are kept in Redis; this process's counter is set to them (reset + inc keeps its type).
  m.lastfmRequests.reset();
  for (const [outcome, count] of Object.entries(stats.lastfm.totals)) m.lastfmRequests.inc({ outcome }, count);
  m.lastfmBacklog.set(stats.lastfm.budgetBacklog);
  m.lastfmRateLimit.set(stats.lastfm.ratePerSecond);
  m.lastfmPenalized.set(stats.lastfm.isPenalized ? 1 : 0);
  for (const [status, count] of Object.entries(stats.enrichment.scrobbles))
    m.enrichmentScrobbles.set({ status }, count);
  const scrobbles = Object.values(stats.enrichment.scrobbles).reduce((sum, n) => sum + n, 0);
  m.enrichmentCoverage.set(scrobbles === 0 ? 0 : stats.enrichment.datedScrobbles / scrobbles);
  m.enrichmentMatches.reset();
  for (const [method, count] of Object.entries(stats.enrichment.byMethod)) m.enrichmentMatches.set({ method }, count);
  const { lookedUp, dated, unknownToMusicbrainz } = stats.enrichment.albums;
  m.albumCache.set({ result: "dated" }, dated);
  m.albumCache.set({ result: "undated" }, lookedUp - dated - unknownToMusicbrainz);
  m.albumCache.set({ result: "unknown" }, unknownToMusicbrainz);
  return { contentType: m.registry.contentType, body: await m.registry.metrics() };
}
