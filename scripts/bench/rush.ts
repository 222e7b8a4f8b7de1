// A year-end rush: listeners with a realistic spread of year sizes (median 12,000 plays, two heavy ones)
// arrive over a few seconds against one Last.fm budget (4 requests/s, 300 ms latency growing with the
// page size, 5 % faults), once with the previous design (200 plays a page, no preview, first come first
// served) and once with the current one, each in a process of its own (its own database and settings).
import { spawnSync } from "node:child_process";
import { createRng } from "@/scripts/simulators/catalog";
import { startStack } from "@/tests/support/stack";
import { FAULT_RATE, FAULTY_UPSTREAM_ARGS, LATENCY_MS } from "./import";

const YEAR = 2024;
const BUDGET = 4;
/** 1,000 plays answer 200 ms later than one: latency grows with the page size. */
const LATENCY_PER_PLAY_MS = 0.2;
const LISTENERS = 12;
const ARRIVALS_S = 30;
/** Listeners still waiting this long after the first arrival are reported as unfinished ("> CAP"). */
const CAP_S = 150;
const POLL_MS = 250;

type Design = "old" | "new";

const DESIGN_ENV: Record<Design, Record<string, string>> = {
  old: { LASTFM_PAGE_SIZE: "200", IMPORT_PREVIEW: "0", LASTFM_SCHEDULING: "fifo" },
  new: { LASTFM_PAGE_SIZE: "1000", IMPORT_PREVIEW: "1", LASTFM_SCHEDULING: "fair" },
};

type Listener = { name: string; plays: number; arriveS: number; isProbe?: boolean };

/**
 * The same listeners for both designs: year sizes log-normal around 12,000 (σ 0.8, 500–40,000), two heavy
 * ones (100,000 and 60,000) among the first arrivals, and a light probe (3,000) arriving halfway.
 */
function planListeners(): Listener[] {
  const rng = createRng(20261129);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const listeners: Listener[] = Array.from({ length: LISTENERS - 3 }, (_, i) => ({
    name: "",
    plays: Math.round(Math.min(40_000, Math.max(500, 12_000 * Math.exp(0.8 * normal())))),
    arriveS: Math.round(((i + 1) / (LISTENERS - 2)) * ARRIVALS_S * 10) / 10,
  }));
  listeners.push({ name: "", plays: 100_000, arriveS: 0 }, { name: "", plays: 60_000, arriveS: 1 });
  listeners.push({ name: "", plays: 3_000, arriveS: ARRIVALS_S / 2, isProbe: true });
  return listeners
    .sort((a, b) => a.arriveS - b.arriveS)
    .map((listener, i) => ({ ...listener, name: `Bench${listener.plays}_${i + 1}` }));
}

function percentile(values: (number | null)[], p: number): number | null {
  const sorted = values.map((value) => value ?? Number.POSITIVE_INFINITY).sort((a, b) => a - b);
  const value = sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  return Number.isFinite(value) ? value : null;
}

type Outcome = {
  firstChartS: number | null;
  exactS: number | null;
  isExact: boolean;
  refused: boolean;
  /** Plays stored when the listener finished or the run ended: the work the requests bought. */
  stored: number;
};

/** One listener as a visitor: open the year (starting its import), then watch until the exact chart. */
async function visit(listener: Listener, startedAt: number, deadline: number): Promise<Outcome> {
  const { requestImport } = await import("@/lib/imports/requests");
  const { getYearDistribution } = await import("@/lib/imports/distribution");
  const { db } = await import("@/lib/server/db");
  const since = () => (performance.now() - startedAt) / 1000;
  let user: Awaited<ReturnType<typeof requestImport>>["user"];
  try {
    ({ user } = await requestImport(listener.name, YEAR, {
      clientIp: `198.18.${listener.plays % 250}.${listener.arriveS}`,
    }));
  } catch (error) {
    if ((error as { code?: string }).code === "rate_limited")
      return { firstChartS: null, exactS: null, isExact: false, refused: true, stored: 0 };
    throw error;
  }
  const countStored = () =>
    db().scrobble.count({
      where: {
        userId: user.id,
        scrobbledAt: { gte: new Date(Date.UTC(YEAR, 0, 1)), lt: new Date(Date.UTC(YEAR + 1, 0, 1)) },
      },
    });
  let firstChartS: number | null = null;
  while (performance.now() < deadline) {
    const result = await getYearDistribution(user, YEAR);
    if (firstChartS === null && result.distribution.length > 0) firstChartS = since() - listener.arriveS;
    if (result.status === "complete") {
      const exactS = since() - listener.arriveS;
      const stored = await countStored();
      return { firstChartS, exactS, isExact: stored === listener.plays, refused: false, stored };
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return { firstChartS, exactS: null, isExact: false, refused: false, stored: await countStored() };
}

/** One design, in this process: the probe alone first, then the rush. Prints one JSON line. */
async function runDesign(design: Design): Promise<void> {
  Object.assign(process.env, DESIGN_ENV[design], { IMPORT_RATE_LIMIT: "1000" });
  const stack = await startStack({
    rateLimit: BUDGET,
    lastfmArgs: FAULTY_UPSTREAM_ARGS,
  });
  try {
    await stack.lastfm.configure({ latencyPerItemMs: LATENCY_PER_PLAY_MS });
    await stack.startWorker(DESIGN_ENV[design]);
    const listeners = planListeners();
    const probe = listeners.find((listener) => listener.isProbe) as Listener;

    // The light listener alone, on an idle deployment: the yardstick for its time during the rush.
    const alone = await visit(
      { ...probe, name: `Bench${probe.plays}_900`, arriveS: 0 },
      performance.now(),
      performance.now() + CAP_S * 1000,
    );
    await stack.lastfm.resetStats();

    const startedAt = performance.now();
    const deadline = startedAt + CAP_S * 1000;
    const outcomes = await Promise.all(
      listeners.map(async (listener) => {
        await new Promise((resolve) => setTimeout(resolve, listener.arriveS * 1000));
        return visit(listener, startedAt, deadline);
      }),
    );
    const stats = await stack.lastfm.stats();
    const probeOutcome = outcomes[listeners.indexOf(probe)];
    const firstChartS = outcomes.map((o) => o.firstChartS);
    const exactS = outcomes.map((o) => o.exactS);
    console.log(
      `RUSH_RESULT ${JSON.stringify({
        design,
        listeners: listeners.length,
        plays: listeners.reduce((sum, listener) => sum + listener.plays, 0),
        firstChartP50: percentile(firstChartS, 50),
        firstChartP95: percentile(firstChartS, 95),
        exactP50: percentile(exactS, 50),
        exactP95: percentile(exactS, 95),
        finished: outcomes.filter((o) => o.exactS !== null).length,
        exact: outcomes.filter((o) => o.isExact).length,
        refused: outcomes.filter((o) => o.refused).length,
        requests: stats.requests,
        stored: outcomes.reduce((sum, o) => sum + o.stored, 0),
        rateLimited: stats.rateLimited,
        busiestSecond: stats.maxInAnySecond,
        probeAloneS: alone.exactS,
        probeInRushS: probeOutcome.exactS,
      })}`,
    );
  } finally {
    await stack.stop();
  }
}

const fmt = (value: number | null, digits = 1) => (value === null ? `>${CAP_S}` : value.toFixed(digits));

export async function benchRush(): Promise<Record<string, number | string>> {
  const results = {} as Record<Design, Record<string, number | null>>;
  for (const design of ["old", "new"] as const) {
    const child = spawnSync(process.execPath, ["--import", "tsx", "scripts/bench/rush.ts"], {
      env: { ...process.env, BENCH_RUSH_DESIGN: design, LOG_LEVEL: "warn" },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 64 * 1024 * 1024,
    });
    const line = child.stdout.split("\n").find((text) => text.startsWith("RUSH_RESULT "));
    if (child.status !== 0 || !line) throw new Error(`rush ${design} failed:\n${child.stdout.slice(-4000)}`);
    results[design] = JSON.parse(line.slice("RUSH_RESULT ".length));
  }
  const { old, new: next } = results;
  const side = (key: string, digits = 1) => `old ${fmt(old[key], digits)} | new ${fmt(next[key], digits)}`;
  const perListener = (r: Record<string, number | null>) => (r.requests ?? 0) / (r.listeners ?? 1);
  const perThousand = (r: Record<string, number | null>) => ((r.requests ?? 0) * 1000) / Math.max(1, r.stored ?? 0);
  const ratio = (a: number | null, b: number | null) => (a === null || b === null ? "n/a" : (a / b).toFixed(2));
  return {
    "rush.setup": `${next.listeners} listeners (${next.plays} plays in ${YEAR}) over ${ARRIVALS_S} s, budget ${BUDGET}/s, ${LATENCY_MS} ms + ${LATENCY_PER_PLAY_MS} ms/play, ${FAULT_RATE * 100} % faults`,
    "rush.first_chart_p50_s": side("firstChartP50"),
    "rush.first_chart_p95_s": side("firstChartP95"),
    "rush.first_chart_p95_improvement": ratio(old.firstChartP95 ?? CAP_S, next.firstChartP95),
    "rush.exact_chart_p50_s": side("exactP50"),
    "rush.exact_chart_p95_s": side("exactP95"),
    "rush.finished_of_listeners": `old ${old.finished}/${old.listeners} | new ${next.finished}/${next.listeners}`,
    "rush.exact_against_truth": `old ${old.exact}/${old.finished} | new ${next.exact}/${next.finished}`,
    "rush.requests_per_listener": `old ${perListener(old).toFixed(1)} | new ${perListener(next).toFixed(1)}`,
    // The previous design does not finish within the cap: per play stored is the comparable cost.
    "rush.requests_per_1000_plays_stored": `old ${perThousand(old).toFixed(2)} | new ${perThousand(next).toFixed(2)}`,
    "rush.requests_ratio_new_to_old": (perThousand(next) / perThousand(old)).toFixed(3),
    "rush.refused": side("refused", 0),
    "rush.upstream_429s": side("rateLimited", 0),
    "rush.busiest_simulator_second": side("busiestSecond", 0),
    "rush.light_listener_alone_s": side("probeAloneS"),
    "rush.light_listener_in_rush_s": side("probeInRushS"),
    "rush.light_listener_rush_to_alone": `old ${ratio(old.probeInRushS, old.probeAloneS)} | new ${ratio(next.probeInRushS, next.probeAloneS)}`,
  };
}

const design = process.env.BENCH_RUSH_DESIGN;
if (design === "old" || design === "new") {
  runDesign(design).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
