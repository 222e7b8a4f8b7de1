// What the simulator saw: served by GET /__stats and LastfmSimulator.stats().
import type { FaultKind } from "./options";

export type LastfmSimStats = {
  /** API and website requests (the /__ control endpoints are not counted). */
  requests: number;
  byStatus: Record<string, number>;
  /** API calls by lowercased `method` ("(none)" if missing); website calls as "GET /user/:name" / "HEAD /user/:name". */
  byMethod: Record<string, number>;
  /** "large-page": a big page of an account configured to fail them (largePageFailUsers). */
  faultsInjected: Partial<Record<FaultKind | "large-page", number>>;
  /** API calls refused by the rate limiter (injected error29 faults are counted under faultsInjected). */
  rateLimited: number;
  /** The busiest sliding 1-second window of API requests received. */
  maxInAnySecond: number;
  /** The most API requests in flight at once (hanging ones included). */
  maxConcurrent: number;
  /** When the first and the last API request arrived (ms since the epoch), null before any: a run's send span. */
  firstApiAt: number | null;
  lastApiAt: number | null;
  startedAt: string;
};

export type StatsRecorder = {
  snapshot(): LastfmSimStats;
  reset(): void;
  received(method: string): void;
  apiStarted(nowMs: number): void;
  apiEnded(): void;
  responded(status: number): void;
  faultInjected(kind: FaultKind | "large-page"): void;
  rateLimited(): void;
};

export function createStats(clock: () => number): StatsRecorder {
  let stats = empty();
  let recent: number[] = [];
  let inFlight = 0;

  function empty(): LastfmSimStats {
    return {
      requests: 0,
      byStatus: {},
      byMethod: {},
      faultsInjected: {},
      rateLimited: 0,
      maxInAnySecond: 0,
      maxConcurrent: 0,
      firstApiAt: null,
      lastApiAt: null,
      startedAt: new Date(clock()).toISOString(),
    };
  }

  return {
    snapshot: () => structuredClone(stats),
    reset() {
      stats = empty();
      recent = [];
      stats.maxConcurrent = inFlight;
    },
    received(method) {
      stats.requests++;
      stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1;
    },
    apiStarted(nowMs) {
      stats.firstApiAt ??= nowMs;
      stats.lastApiAt = nowMs;
      recent.push(nowMs);
      let expired = 0;
      while (recent[expired] <= nowMs - 1000) expired++;
      recent.splice(0, expired);
      stats.maxInAnySecond = Math.max(stats.maxInAnySecond, recent.length);
      inFlight++;
      stats.maxConcurrent = Math.max(stats.maxConcurrent, inFlight);
    },
    apiEnded() {
      inFlight--;
    },
    responded(status) {
      stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
    },
    faultInjected(kind) {
      stats.faultsInjected[kind] = (stats.faultsInjected[kind] ?? 0) + 1;
    },
    rateLimited() {
      stats.rateLimited++;
    },
  };
}
