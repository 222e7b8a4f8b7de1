// Web speed, side by side in one run:
// - a finished year's page and share image under 100 concurrent visitors for 30 s, served from the page
//   cache (PAGE_CACHE=1) and by today's path (PAGE_CACHE=0, rendered per view): views/s, p95, errors.
//   Goals: ≥ 10× today's views/s, p95 ≤ 250 ms, 0 errors. Then the same bytes from a bare Node server
//   under the same load: the ceiling of this machine at that moment (p95 ≤ 250 ms at 100 visitors needs
//   ≥ 400 views/s, with the load generator on the same cores).
// - 1,000 random unknown names from one IP cost at most LOOKUP_RATE_LIMIT Last.fm calls.
// - 1,000 SSE watchers of one import on one web process (events delivered to each, memory they add).
// Each app is the one `npm start` runs (tests/support/serve-app.ts), on its own database; load generator,
// app, worker, PostgreSQL and Redis share this machine's cores (2 here, shared with others: note the load).
import { type ChildProcess, execSync, spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";

const PORT = Number(process.env.BENCH_WEB_PORT ?? 3127);
const WATCHERS = 1_000;
const VISITORS = Number(process.env.BENCH_VISITORS ?? 100);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 30);
const LOOKUP_LIMIT = 30;
const NAMES = 1_000;

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmRSS:"));
  return Math.round(Number(line?.replace(/\D+/g, "") ?? 0) / 1024);
}

/** Opens one SSE stream and resolves with the events it saw, once the final one arrives (or `signal` aborts). */
export async function watch(url: string, init: RequestInit = {}): Promise<string[]> {
  const response = await fetch(url, init);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: string[] = [];
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
    if (done) return events;
    buffer += decoder.decode(value, { stream: true });
    for (const match of buffer.matchAll(/^event: (\w+)$/gm)) events.push(match[1]);
    buffer = buffer.slice(buffer.lastIndexOf("\n\n") + 2);
    if (events.includes("complete") || events.includes("partial") || events.includes("failed")) {
      await reader.cancel();
      return events;
    }
  }
}

export type App = { base: string; simBase: string; serverPid: number; stop: () => Promise<void> };

export async function startApp(port: number, env: Record<string, string>): Promise<App> {
  const base = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "tests/support/serve-app.ts"], {
    env: {
      ...process.env,
      E2E_PORT: String(port),
      E2E_LASTFM_SIM_PORT: String(port + 1),
      IMPORT_RATE_LIMIT: "100000",
      LOOKUP_RATE_LIMIT: String(LOOKUP_LIMIT),
      ...env,
    },
    stdio: "ignore",
  });
  for (let i = 0; i < 180; i++) {
    if ((await fetch(`${base}/api/health`).catch(() => null))?.ok) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  // The process listening on the port (Next renames its title, so find it by socket, not by name).
  const listening = execSync(`ss -ltnpH "sport = :${port}"`).toString();
  return {
    base,
    simBase: `http://127.0.0.1:${port + 1}`,
    serverPid: Number(/pid=(\d+)/.exec(listening)?.[1]),
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    },
  };
}

export async function waitForComplete(base: string, path: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const body = await (await fetch(`${base}${path}`)).json();
    if (body.status === "complete") return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${path} did not complete`);
}

type Load = { views: number; perSecond: number; p50: number; p95: number; errors: number };

/** `visitors` keep-alive clients asking for `url` back to back for `seconds`; every answer read whole. */
export async function load(url: string, visitors: number, seconds: number): Promise<Load> {
  const agent = new Agent({ keepAlive: true, maxSockets: visitors });
  const timings: number[] = [];
  let errors = 0;
  const until = performance.now() + seconds * 1000;
  const once = () =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      const req = request(url, { agent }, (res) => {
        res.on("data", () => undefined);
        res.on("end", () => {
          if (res.statusCode === 200) timings.push(performance.now() - started);
          else errors++;
          resolve();
        });
      });
      req.on("error", () => {
        errors++;
        resolve();
      });
      req.end();
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: visitors }, async () => {
      while (performance.now() < until) await once();
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return {
    views: timings.length,
    perSecond: Math.round(timings.length / elapsed),
    p50: Math.round(percentile(timings, 50)),
    p95: Math.round(percentile(timings, 95)),
    errors,
  };
}

/** Both paths of one address, each under the same load, each on its own app (one at a time). */
async function measureFinishedYear(app: App, label: string, results: Record<string, number | string>) {
  const page = "/user/VinylVera/2022";
  await waitForComplete(app.base, "/api/user/VinylVera/2022");
  for (const [kind, path] of [
    ["page", page],
    ["image", `${page}/opengraph-image`],
  ]) {
    for (let i = 0; i < 20; i++) await (await fetch(`${app.base}${path}`)).arrayBuffer();
    const measured = await load(`${app.base}${path}`, VISITORS, LOAD_SECONDS);
    results[`${kind}.${label}.views_per_s`] = measured.perSecond;
    results[`${kind}.${label}.p50_ms`] = measured.p50;
    results[`${kind}.${label}.p95_ms`] = measured.p95;
    results[`${kind}.${label}.errors`] = measured.errors;
  }
}

/** A bare Node server answering these bytes to every request, in a process of its own: the ceiling here. */
const BARE_SERVER = `
const body = require("node:fs").readFileSync(process.argv[1]);
require("node:http").createServer((req, res) => {
  res.writeHead(200, { "content-type": process.argv[2], "content-length": body.length });
  res.end(body);
}).listen(Number(process.argv[3]), "127.0.0.1", () => process.send("ready"));
`;

/**
 * The same bytes under the same load from a bare Node server: what this machine allows at this moment,
 * with the load generator on it, whatever the app does.
 */
async function measureBare(app: App, results: Record<string, number | string>) {
  const page = "/user/VinylVera/2022";
  for (const [kind, path, type] of [
    ["page", page, "text/html; charset=utf-8"],
    ["image", `${page}/opengraph-image`, "image/png"],
  ]) {
    const file = join(tmpdir(), `lyfm-bench-${kind}-${process.pid}`);
    writeFileSync(file, Buffer.from(await (await fetch(`${app.base}${path}`)).arrayBuffer()));
    const port = PORT + 2;
    const bare = spawn(process.execPath, ["-e", BARE_SERVER, file, type, String(port)], {
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    try {
      await new Promise((resolve) => bare.once("message", resolve));
      const measured = await load(`http://127.0.0.1:${port}/`, VISITORS, LOAD_SECONDS);
      results[`${kind}.bare_node.views_per_s`] = measured.perSecond;
      results[`${kind}.bare_node.p50_ms`] = measured.p50;
      results[`${kind}.bare_node.p95_ms`] = measured.p95;
    } finally {
      bare.kill();
      rmSync(file, { force: true });
    }
  }
}

/** 1,000 random names nobody has, from one IP: the Last.fm calls they cost, with the limit's answer. */
async function measureUnknownNames(app: App, results: Record<string, number | string>) {
  await fetch(`${app.simBase}/__reset`, {
    method: "POST",
    body: "{}",
    headers: { "Content-Type": "application/json" },
  });
  const statuses: Record<number, number> = {};
  const names = Array.from({ length: NAMES }, (_, i) => `Nb${i}x${Math.random().toString(36).slice(2, 10)}`);
  let next = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < names.length) {
        const response = await fetch(`${app.base}/api/user/${names[next++]}/2023`, {
          headers: { "x-forwarded-for": "203.0.113.200" },
        });
        await response.arrayBuffer();
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      }
    }),
  );
  const stats = await (await fetch(`${app.simBase}/__stats`)).json();
  results["names.unknown_from_one_ip"] = NAMES;
  results["names.statuses"] = JSON.stringify(statuses);
  results["names.lastfm_calls"] = stats.requests;
  results["names.lookup_limit"] = LOOKUP_LIMIT;
  results["names.goal_calls_within_limit"] = stats.requests <= LOOKUP_LIMIT ? "met" : "MISSED";
}

async function measureWatchers(app: App, results: Record<string, number | string>) {
  // 1,000 watchers of one running import (started first, as by the visitor who shared the link).
  await fetch(`${app.base}/api/user/HeavyHanna/2022`);
  const rssBefore = rssMiB(app.serverPid);
  const streams = Array.from({ length: WATCHERS }, () => watch(`${app.base}/api/user/HeavyHanna/2022/events`));
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const rssWatching = rssMiB(app.serverPid);
  // A watcher the busy server could not even accept counts as one that saw nothing.
  const seen = (await Promise.allSettled(streams)).map((outcome) =>
    outcome.status === "fulfilled" ? outcome.value : [],
  );
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const progressEvents = seen.map((events) => events.filter((e) => e === "progress").length);
  Object.assign(results, {
    "sse.watchers": WATCHERS,
    "sse.final_event_delivered": seen.filter((events) => events.includes("complete")).length,
    "sse.progress_events_min": Math.min(...progressEvents),
    "sse.progress_events_max": Math.max(...progressEvents),
    "sse.rss_before_mib": rssBefore,
    "sse.rss_with_watchers_mib": rssWatching,
    "sse.rss_after_disconnect_mib": rssMiB(app.serverPid),
  });
}

function goal(results: Record<string, number | string>, kind: string): void {
  const cached = Number(results[`${kind}.cached.views_per_s`]);
  const today = Math.max(1, Number(results[`${kind}.today.views_per_s`]));
  const ratio = Math.round((cached / today) * 10) / 10;
  const p95 = Number(results[`${kind}.cached.p95_ms`]);
  const errors = Number(results[`${kind}.cached.errors`]);
  results[`${kind}.ratio_cached_vs_today`] = ratio;
  results[`${kind}.goal_10x_p95_250ms_0_errors`] = ratio >= 10 && p95 <= 250 && errors === 0 ? "met" : "MISSED";
}

export async function benchWeb(): Promise<Record<string, number | string>> {
  const results: Record<string, number | string> = {
    "machine.cores": Number(execSync("nproc").toString().trim()),
    "machine.load_1min_at_start": Math.round(loadavg()[0] * 100) / 100,
    "load.visitors": VISITORS,
    "load.seconds": LOAD_SECONDS,
  };
  const today = await startApp(PORT, { PAGE_CACHE: "0" });
  try {
    await measureFinishedYear(today, "today", results);
  } finally {
    await today.stop();
  }
  const cached = await startApp(PORT, { PAGE_CACHE: "1" });
  try {
    await measureFinishedYear(cached, "cached", results);
    goal(results, "page");
    goal(results, "image");
    await measureBare(cached, results);
    await measureUnknownNames(cached, results);
    await measureWatchers(cached, results);
  } finally {
    await cached.stop();
  }
  results["machine.load_1min_at_end"] = Math.round(loadavg()[0] * 100) / 100;
  return results;
}
