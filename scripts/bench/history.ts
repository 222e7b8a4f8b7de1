// The whole-history view: what "chart every year" costs in Last.fm requests and time per year (exact imports,
// until the one-request album-chart preview replaces them), and reading a history of every year against
// reading one year (both from Postgres, as the pages do).
import { percentile } from "./web";
import { startStack, waitFor } from "@/tests/support/stack";

const LISTENER = "DadRockDan";
const READS = 40;

async function timeReads(read: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < READS; i++) {
    const started = performance.now();
    await read();
    times.push(performance.now() - started);
  }
  return percentile(times, 50);
}

export async function benchHistory(): Promise<Record<string, number | string>> {
  const stack = await startStack({ rateLimit: 4, lastfm: { latencyMs: 120, rateLimitPerSecond: 5 } });
  try {
    await stack.startWorker();
    const { getHistory, requestHistoryImports } = await import("@/lib/imports/history");
    const { getYearDistribution } = await import("@/lib/imports/distribution");
    const { findUser } = await import("@/lib/lastfm/users");
    await getHistory(LISTENER); // the profile and its year list (one limit=1 call per year), counted apart
    await stack.lastfm.resetStats();
    const started = performance.now();
    const { queued, years } = await requestHistoryImports(LISTENER);
    await waitFor(async () => {
      const history = await getHistory(LISTENER);
      return history.years.every((year) => year.status === "complete") ? history : undefined;
    }, 600_000);
    const seconds = (performance.now() - started) / 1000;
    const requests = (await stack.lastfm.stats()).byMethod["user.getrecenttracks"] ?? 0;
    const user = await findUser(LISTENER);
    if (!user) throw new Error("no user");
    const historyMs = await timeReads(() => getHistory(LISTENER));
    const yearMs = await timeReads(() => getYearDistribution(user, years[years.length - 1].year));
    return {
      "history: listener": LISTENER,
      "history: years queued": queued,
      "history: Last.fm requests, all years": requests,
      "history: Last.fm requests per year": (requests / queued).toFixed(1),
      "history: seconds to chart every year (4/s)": seconds.toFixed(1),
      "history: read every year, median ms": historyMs.toFixed(1),
      "history: read one year, median ms": yearMs.toFixed(1),
      "history: read ratio (all years / one year)": (historyMs / yearMs).toFixed(1),
    };
  } finally {
    await stack.stop();
  }
}
