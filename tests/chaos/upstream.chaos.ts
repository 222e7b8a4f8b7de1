// Upstream faults: 10 imports at once against a Last.fm that fails 20 % of requests in every way it
// is known to (errors 8, 11, 16 and 29, HTML 5xx pages, truncated JSON, hangs) and has latency spikes.
// Every import ends exact against the simulator's truth and the shared budget is never exceeded.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { assertImportExact } from "@/tests/support/imports";
import { type Stack, startStack } from "@/tests/support/stack";

const BUDGET = 8;
const IMPORTS = [
  ["VinylVera", 2019],
  ["VinylVera", 2021],
  ["NightBusNico", 2019],
  ["NightBusNico", 2020],
  ["DadRockDan", 2018],
  ["DadRockDan", 2020],
  ["LightLeo", 2022],
  ["OneScrobbleOlga", 2022],
  ["EmptyYearEmma", 2021],
  ["HeavyHanna", 2021],
] as const;
let stack: Stack;

before(async () => {
  // The simulator refuses (error 29) anything over the budget, in a process of its own so its clock
  // stamps arrivals when they happen.
  stack = await startStack({
    rateLimit: BUDGET,
    lastfmArgs: ["--rate-limit", String(BUDGET), "--latency", "30"],
  });
});
after(async () => {
  await stack.stop();
});

test(`10 imports at once, 20 % mixed faults and latency spikes: every import exact, never over ${BUDGET} requests/s`, async () => {
  await Promise.all([stack.startWorker(), stack.startWorker()]);
  // Profiles are checked and each year generated before the measured part (a simulator busy generating
  // would stamp the requests queued meanwhile as arriving at once).
  const { resolveUser } = await import("@/lib/lastfm/users");
  const { countScrobbles } = await import("@/lib/lastfm/client");
  for (const [username, year] of IMPORTS) {
    await resolveUser(username);
    await countScrobbles(username, Date.UTC(year, 0, 1) / 1000, Date.UTC(year + 1, 0, 1) / 1000);
  }
  await stack.lastfm.configure({
    faultRate: 0.2,
    // The mix; "slow" answers (3 s) and a 0–400 ms jitter are the latency spikes.
    faultWeights: {
      "error8-500": 2,
      "error8-503": 1,
      error11: 1,
      error16: 1,
      error29: 1,
      html500: 1,
      "truncated-json": 1,
      hang: 0.5,
      slow: 1,
    },
    latencyJitterMs: 400,
  });
  await stack.lastfm.resetStats();
  const started = Date.now();
  const results = await Promise.all(IMPORTS.map(([username, year]) => assertImportExact(username, year, 240_000)));
  const seconds = (Date.now() - started) / 1000;
  const stats = await stack.lastfm.stats();
  await stack.lastfm.configure({ faultRate: 0, latencyJitterMs: 0 });
  const scrobbles = results.reduce((sum, { job }) => sum + job.scrobblesFetched, 0);
  console.log(
    `upstream: ${IMPORTS.length} imports (${scrobbles} scrobbles) exact in ${seconds.toFixed(1)} s; ${stats.requests} requests, ` +
      `faults ${JSON.stringify(stats.faultsInjected)}, busiest second ${stats.maxInAnySecond}/${BUDGET}, refused by the limiter ${stats.rateLimited}`,
  );
  const kinds = Object.values(stats.faultsInjected).filter((count) => (count ?? 0) > 0);
  assert.ok(kinds.length >= 6, `expected a mix of faults, got ${JSON.stringify(stats.faultsInjected)}`);
  assert.ok(stats.maxInAnySecond <= BUDGET, `busiest second held ${stats.maxInAnySecond} requests`);
  assert.equal(stats.rateLimited, 0, "the simulator's own limiter never had to refuse");
});
