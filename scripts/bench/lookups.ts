// Imports keep their pace while a crowd of IPs asks for names nobody has. The same imports (three years of
// HeavyHanna, ~95,000 plays) are fetched alone, then again while 50 clients from 1,000 addresses (through the
// trusted proxy's x-forwarded-for) ask for random unknown names, once with Last.fm's website answering
// the existence check (an unknown name then costs no API call) and once with the website blocking us (every
// unknown name then costs a user.getInfo from the budget the imports share). Printed: each round's fetch
// time against the time alone (goal ≤ 1.5×), the simulator's busiest second against the budget (goal ≤
// budget), and what the crowd got. The app is the one `npm start` runs (tests/support/serve-app.ts).
import { startApp, type App } from "./web";

const PORT = Number(process.env.BENCH_WEB_PORT ?? 3127);
/** serve-app's LASTFM_RATE_LIMIT: the deployment's budget, requests per second. */
const BUDGET = 20;
const IMPORTS: [string, number][] = [
  ["HeavyHanna", 2022],
  ["HeavyHanna", 2023],
  ["HeavyHanna", 2024],
];
/** LOOKUP_DEPLOYMENT_LIMIT's default at this budget (LASTFM_RATE_LIMIT × 5 a minute). */
const DEPLOYMENT_LIMIT = BUDGET * 5;
const CROWD_CLIENTS = 50;
const CROWD_ADDRESSES = 1_000;
/** The address the imports are asked for from (not one of the crowd's). */
const OWNER = "192.0.2.10";

type Stats = { requests: number; maxInAnySecond: number; rateLimited: number; byMethod: Record<string, number> };
type Round = { seconds: number; stats: Stats; crowd: Record<string, number> | null };

async function sim(app: App, path: string, body?: unknown): Promise<Stats> {
  const response = await fetch(`${app.simBase}${path}`, {
    method: body === undefined ? "GET" : "POST",
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: { "Content-Type": "application/json" },
  });
  return response.json();
}

function asOwner(app: App, path: string, method = "GET") {
  return fetch(`${app.base}${path}`, { method, headers: { "x-forwarded-for": OWNER } });
}

/** Polls every year until `isDone(status)` holds for each (a failed import ends the bench). */
async function waitForAll(app: App, isDone: (status: string) => boolean): Promise<void> {
  const pending = new Set(IMPORTS.map(([name, year]) => `${name}/${year}`));
  while (pending.size > 0) {
    for (const path of [...pending]) {
      const body = await (await asOwner(app, `/api/user/${path}`)).json();
      if (body.status === "failed") throw new Error(`${path} failed: ${JSON.stringify(body.error)}`);
      if (isDone(body.status)) pending.delete(path);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Starts (or re-imports) every year and waits until their Last.fm fetch is over: the seconds it took. */
async function fetchImports(app: App, isReimport: boolean): Promise<number> {
  const started = performance.now();
  for (const [name, year] of IMPORTS) {
    const response = await asOwner(
      app,
      `/api/user/${name}/${year}${isReimport ? "/reimport" : ""}`,
      isReimport ? "POST" : "GET",
    );
    if (response.status >= 300) throw new Error(`${name} ${year}: ${response.status} ${await response.text()}`);
  }
  await waitForAll(app, (status) => status !== "queued" && status !== "fetching");
  const seconds = (performance.now() - started) / 1000;
  // A year can be re-imported once it is finished: the next round waits for its dating too (not timed).
  await waitForAll(app, (status) => status === "complete" || status === "partial");
  return seconds;
}

/** Clients asking for random unknown names from random addresses until `stop` resolves: statuses counted. */
async function crowd(app: App, stop: Promise<unknown>): Promise<Record<string, number>> {
  let isStopped = false;
  void stop.then(() => {
    isStopped = true;
  });
  const statuses: Record<string, number> = {};
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CROWD_CLIENTS }, async () => {
      while (!isStopped) {
        const address = Math.floor(Math.random() * CROWD_ADDRESSES);
        const name = `Cr${Math.random().toString(36).slice(2, 12)}`;
        const response = await fetch(`${app.base}/api/user/${name}/2023`, {
          headers: { "x-forwarded-for": `198.18.${address >> 8}.${address & 255}` },
        }).catch(() => null);
        await response?.arrayBuffer();
        const key = String(response?.status ?? "error");
        statuses[key] = (statuses[key] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const total = Object.values(statuses).reduce((sum, n) => sum + n, 0);
  return { ...statuses, per_second: Math.round(total / seconds) };
}

async function round(app: App, withCrowd: boolean): Promise<Round> {
  await sim(app, "/__reset", {});
  const imports = fetchImports(app, true);
  const crowdStatuses = withCrowd
    ? crowd(
        app,
        imports.catch(() => undefined),
      )
    : null;
  const seconds = await imports;
  return { seconds, stats: await sim(app, "/__stats"), crowd: crowdStatuses && (await crowdStatuses) };
}

function report(results: Record<string, number | string>, label: string, measured: Round, alone: Round | null) {
  results[`${label}.fetch_s`] = Math.round(measured.seconds * 10) / 10;
  results[`${label}.busiest_second`] = measured.stats.maxInAnySecond;
  results[`${label}.lastfm_api_calls`] = JSON.stringify(measured.stats.byMethod);
  results[`${label}.lastfm_429s`] = measured.stats.rateLimited;
  if (measured.crowd) results[`${label}.crowd_statuses`] = JSON.stringify(measured.crowd);
  if (!alone) return;
  const ratio = Math.round((measured.seconds / alone.seconds) * 100) / 100;
  results[`${label}.ratio_vs_alone`] = ratio;
  const isMet = ratio <= 1.5 && measured.stats.maxInAnySecond <= BUDGET;
  results[`${label}.goal_1.5x_busiest_le_budget`] = isMet ? "met" : "MISSED";
}

export async function benchLookups(): Promise<Record<string, number | string>> {
  const results: Record<string, number | string> = {
    "budget.lastfm_per_s": BUDGET,
    "lookups.deployment_limit_per_min": DEPLOYMENT_LIMIT,
    "crowd.clients": CROWD_CLIENTS,
    "crowd.addresses": CROWD_ADDRESSES,
    imports: IMPORTS.map(([name, year]) => `${name} ${year}`).join(", "),
  };
  // Each address stays within its own LOOKUP_RATE_LIMIT (30): only a deployment-wide rule can stop them.
  const app = await startApp(PORT, { REIMPORT_COOLDOWN_S: "0", LOOKUP_DEPLOYMENT_LIMIT: String(DEPLOYMENT_LIMIT) });
  try {
    await fetchImports(app, false); // users looked up, years listed: the rounds below only fetch
    const alone = await round(app, false);
    report(results, "alone", alone, null);
    report(results, "crowd_website_answers", await round(app, true), alone);
    await sim(app, "/__config", { website: "blocked" });
    report(results, "crowd_website_blocked", await round(app, true), alone);
  } finally {
    await app.stop();
  }
  return results;
}
