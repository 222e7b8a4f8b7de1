// Web speed: the result page of a finished year (p95, goal < 100 ms) and 1,000 SSE watchers of one
// import on one web process (events delivered to each, memory the watchers add).
import { type ChildProcess, execSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";

const PORT = 3127;
const BASE = `http://127.0.0.1:${PORT}`;
const WATCHERS = 1_000;

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

async function waitForComplete(path: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const body = await (await fetch(`${BASE}${path}`)).json();
    if (body.status === "complete") return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${path} did not complete`);
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

export async function benchWeb(): Promise<Record<string, number | string>> {
  const app: ChildProcess = spawn(process.execPath, ["--import", "tsx", "tests/support/serve-app.ts"], {
    env: { ...process.env, E2E_PORT: String(PORT), E2E_LASTFM_SIM_PORT: "3927", IMPORT_RATE_LIMIT: "100000" },
    stdio: "ignore",
  });
  try {
    for (let i = 0; i < 180; i++) {
      if ((await fetch(`${BASE}/api/health`).catch(() => null))?.ok) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    // The process listening on the port (Next renames its title, so find it by socket, not by name).
    const listening = execSync(`ss -ltnpH "sport = :${PORT}"`).toString();
    const serverPid = Number(/pid=(\d+)/.exec(listening)?.[1]);

    // A finished year's page, as a visitor following a shared link gets it.
    await waitForComplete("/api/user/VinylVera/2022");
    const page = "/user/VinylVera/2022";
    for (let i = 0; i < 20; i++) await (await fetch(`${BASE}${page}`)).text();
    const timings: number[] = [];
    for (let i = 0; i < 200; i++) {
      const started = performance.now();
      const response = await fetch(`${BASE}${page}`);
      await response.text();
      if (!response.ok) throw new Error(`page answered ${response.status}`);
      timings.push(performance.now() - started);
    }

    // 1,000 watchers of one running import (started first, as by the visitor who shared the link).
    await fetch(`${BASE}/api/user/HeavyHanna/2022`);
    const rssBefore = rssMiB(serverPid);
    const streams = Array.from({ length: WATCHERS }, () => watch(`${BASE}/api/user/HeavyHanna/2022/events`));
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const rssWatching = rssMiB(serverPid);
    const seen = await Promise.all(streams);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const rssAfter = rssMiB(serverPid);
    const delivered = seen.filter((events) => events.includes("complete")).length;
    const progressEvents = seen.map((events) => events.filter((e) => e === "progress").length);

    return {
      "page.requests": timings.length,
      "page.p50_ms": Math.round(percentile(timings, 50) * 10) / 10,
      "page.p95_ms": Math.round(percentile(timings, 95) * 10) / 10,
      "sse.watchers": WATCHERS,
      "sse.final_event_delivered": delivered,
      "sse.progress_events_min": Math.min(...progressEvents),
      "sse.progress_events_max": Math.max(...progressEvents),
      "sse.rss_before_mib": rssBefore,
      "sse.rss_with_watchers_mib": rssWatching,
      "sse.rss_after_disconnect_mib": rssAfter,
    };
  } finally {
    app.kill("SIGTERM");
    await new Promise((resolve) => app.once("exit", resolve));
  }
}
