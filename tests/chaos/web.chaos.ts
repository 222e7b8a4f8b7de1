// Bad input, abuse, secrets and load against one web process, as `npm start` runs it.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { Redis } from "ioredis";
import { DEMO_API_KEY } from "@/scripts/dev-services/demo";
import { TEST_REDIS_URL } from "@/tests/support/databases";
import { TEST_ADMIN, TEST_IMPORT_RATE_LIMIT, TEST_LOOKUP_RATE_LIMIT } from "@/tests/support/limits";
import { waitFor } from "@/tests/support/stack";
import { type App, countRows, heapSnapshot, percentile, rssMiB, seededRandom, sleep, startApp } from "./support";

const PORT = Number(process.env.CHAOS_WEB_PORT ?? 4310);
const QUEUE_CAP = 12;
const FUZZ_REQUESTS = Number(process.env.CHAOS_FUZZ_REQUESTS ?? 1_200);
const LOAD_SECONDS = Number(process.env.CHAOS_LOAD_SECONDS ?? 60);
const VISITORS = 200;
const WATCHERS = 1_000;
/** Finished years, imported once before the tests: what shared links point at. */
const FINISHED = [
  ["VinylVera", 2022],
  ["NightBusNico", 2020],
  ["DadRockDan", 2018],
] as const;

const HEAP_DIR = mkdtempSync(join(tmpdir(), "lyfm-chaos-heap-"));
let app: App;
/** Every body the app sent during this file, searched for secrets at the end. */
const bodies: string[] = [];

async function get(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${app.base}${path}`, { redirect: "manual", ...init });
}

before(async () => {
  app = await startApp(PORT, {
    IMPORT_QUEUE_CAP: String(QUEUE_CAP),
    // The load test asks the web process for heap snapshots (each one after a full garbage collection).
    NODE_OPTIONS: `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${HEAP_DIR}`,
  });
  for (const [user, year] of FINISHED)
    await waitFor(
      async () =>
        (await (await get(`/api/user/${user}/${year}`, { headers: ipHeader("198.51.100.1") })).json()).status ===
        "complete",
      120_000,
    );
});
after(async () => {
  await app?.stop();
  rmSync(HEAP_DIR, { recursive: true, force: true });
});

function ipHeader(ip: string): Record<string, string> {
  return { "x-forwarded-for": ip };
}

function isErrorShape(body: unknown): boolean {
  const error = (body as { error?: { code?: unknown; message?: unknown } })?.error;
  return (
    typeof error?.code === "string" && typeof error.message === "string" && Object.keys(body as object).length === 1
  );
}

// ---------------------------------------------------------------------------------------------- bad input

const BAD_NAMES = [
  "../etc/passwd",
  "..%2F..%2Fetc%2Fpasswd",
  "a/b",
  "a%2Fb",
  "a%5Cb",
  "..",
  ".",
  "%2e%2e",
  "Jürgen",
  "用户名",
  "🎵music",
  "\u202eevil",
  "a\u0000b",
  "%00",
  "a%0Ab",
  "a%0D%0ASet-Cookie:x=1",
  "%1F%7F",
  "x".repeat(1_000),
  "A".repeat(16),
  "a",
  "1abc",
  "_abc",
  "' OR 1=1 --",
  "Robert'); DROP TABLE scrobbles;--",
  "1; SELECT pg_sleep(5)",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "${jndi:ldap://x}",
  "%",
  "%E0%A4%A",
  "%ZZ",
  "a b",
  "%20",
  "a+b",
  "a.b",
  "a@b",
  "a*",
  "~root",
];
const BAD_YEARS = [
  "-1",
  "-2024",
  "0",
  "2001",
  "2101",
  "99999",
  "1e3",
  "2e3",
  "2024.5",
  "2024.0",
  "0x7E8",
  "abc",
  "",
  "%20",
  "NaN",
  "Infinity",
  "２０２４",
  "2024abc",
  "9".repeat(400),
  "2024%00",
  "+2024",
  "00002024",
];
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
const BAD_EVENT_IDS = [
  "abc",
  "-1",
  "1e309",
  "99999999999999999999999",
  "\u00ff",
  "1.5",
  " ",
  "0x10",
  "9".repeat(300),
  "\u00e9t\u00e9",
];

type FuzzCase = { method: string; path: string; headers: Record<string, string>; body?: string };

/** The same seed always gives the same ≥1,000 requests, over every route. */
function fuzzCases(count: number, seed: number): FuzzCase[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const encodeName = (name: string) => (/%[0-9A-Fa-f]{2}|%$|%E0|%ZZ/.test(name) ? name : encodeURIComponent(name));
  const cases: FuzzCase[] = [];
  for (let i = 0; i < count; i++) {
    const knownUser = pick(FINISHED)[0];
    // Either a bad name with any year, or a real user with a bad year: both must be refused.
    const isBadName = random() < 0.6;
    const name = isBadName ? encodeName(pick(BAD_NAMES)) : knownUser;
    const year = isBadName ? pick([...BAD_YEARS, "2022", "2020"]) : pick(BAD_YEARS);
    const headers: Record<string, string> = ipHeader(`203.0.113.${1 + (i % 200)}`);
    const kind = Math.floor(random() * 11);
    const method = random() < 0.25 ? pick(METHODS) : undefined;
    switch (kind) {
      case 0:
        cases.push({ method: method ?? "GET", path: `/api/user/${name}`, headers });
        break;
      case 1:
        cases.push({ method: method ?? "GET", path: `/api/user/${name}/${year}`, headers });
        break;
      case 2:
        headers["last-event-id"] = pick(BAD_EVENT_IDS);
        cases.push({ method: method ?? "GET", path: `/api/user/${name}/${year}/events`, headers });
        break;
      case 3:
      case 4: {
        const action = kind === 3 ? "reimport" : "retry";
        const isOversized = random() < 0.3;
        cases.push({
          method: method ?? "POST",
          path: `/api/user/${name}/${year}/${action}`,
          headers: { ...headers, "content-type": isOversized ? "application/json" : "text/plain" },
          body: isOversized ? JSON.stringify({ junk: "x".repeat(2 * 1024 * 1024) }) : "<xml/>",
        });
        break;
      }
      case 5:
        cases.push({ method: method ?? "GET", path: "/api/health", headers });
        break;
      case 6:
        cases.push({ method: method ?? "GET", path: `/user/${name}`, headers });
        break;
      case 7:
        cases.push({ method: method ?? "GET", path: `/user/${name}/${year}`, headers });
        break;
      case 8:
        cases.push({
          method: "GET",
          path: `/user/${name}/${year}/${pick(["opengraph-image", "twitter-image"])}`,
          headers,
        });
        break;
      case 9:
        // A finished year, with a broken Last-Event-ID: a valid stream that writes nothing.
        headers["last-event-id"] = pick(BAD_EVENT_IDS);
        cases.push({ method: "GET", path: `/api/user/${pick(FINISHED).join("/")}/events`, headers });
        break;
      default:
        cases.push({
          method: pick(METHODS),
          path: `/api/user/${name}/${year}/${pick(["", "events", "x", "..", "%2e%2e"])}`,
          headers,
        });
    }
  }
  return cases;
}

test(`fuzz: ${FUZZ_REQUESTS} seeded requests over every route – no 5xx, the JSON error shape on API errors, nothing written`, async () => {
  const before = await countRows(app.databaseUrl);
  const cases = fuzzCases(FUZZ_REQUESTS, 20_261_124);
  const statuses: Record<number, number> = {};
  const failures: string[] = [];
  let index = 0;
  const runOne = async (fuzz: FuzzCase) => {
    const hasBody = fuzz.method !== "GET" && fuzz.method !== "HEAD";
    const response = await get(fuzz.path, {
      method: fuzz.method,
      headers: fuzz.headers,
      body: hasBody ? fuzz.body : undefined,
    });
    const text = fuzz.path.endsWith("/events") && response.ok ? await readSome(response) : await response.text();
    bodies.push(text);
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    const label = `${fuzz.method} ${fuzz.path.slice(0, 80)} → ${response.status}`;
    if (response.status >= 500) failures.push(`${label}: ${text.slice(0, 200)}`);
    const isApi = fuzz.path.startsWith("/api/");
    if (isApi && response.status >= 400 && fuzz.method !== "HEAD") {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      if (!isErrorShape(body)) failures.push(`${label}: not the error shape: ${text.slice(0, 200)}`);
    }
  };
  // 8 at a time: a crowd of bad clients, not one polite one.
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (index < cases.length) await runOne(cases[index++]);
    }),
  );
  const afterCounts = await countRows(app.databaseUrl);
  console.log(
    `fuzz: ${cases.length} requests, statuses ${JSON.stringify(statuses)}, rows before ${JSON.stringify(before)} after ${JSON.stringify(afterCounts)}`,
  );
  assert.deepEqual(failures.slice(0, 20), []);
  assert.deepEqual(afterCounts, before, "rejected input wrote nothing");
});

/** The first chunk of a stream, then hang up. */
async function readSome(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const { value } = await reader.read();
  await reader.cancel();
  return new TextDecoder().decode(value);
}

test("a username like <script> renders as text in pages", async () => {
  const evil = "<script>alert(1)</script>";
  for (const path of [
    `/user/${encodeURIComponent(evil)}`,
    `/user/${encodeURIComponent(evil)}/2022`,
    `/user/x${encodeURIComponent('"><img src=x onerror=alert(1)>')}`,
  ]) {
    const response = await get(path);
    const html = await response.text();
    bodies.push(html);
    assert.ok(response.status < 500, `${path}: ${response.status}`);
    assert.ok(!html.includes(evil), `${path} contains the raw <script>`);
    assert.ok(!html.includes("<img src=x onerror"), `${path} contains a raw <img onerror>`);
    const echoed = html.includes("&lt;script&gt;alert(1)&lt;/script&gt;") || html.includes("\\u003cscript\\u003e");
    console.log(`escape: ${path} → ${response.status}, name echoed escaped: ${echoed}`);
  }
});

// --------------------------------------------------------------------------------------- secrets, access

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

test("admin, queues and metrics are closed without credentials: never 200, no data", async () => {
  const closed = [
    "/admin",
    "/admin/queues",
    "/admin/queues/api/queues?page=1",
    "/admin/queues/api/redis/stats",
    "/api/metrics",
  ];
  for (const path of closed)
    for (const headers of [
      {},
      { Authorization: basic(TEST_ADMIN.username, "wrong") },
      { Authorization: "Basic !!!" },
    ] as Record<string, string>[]) {
      const response = await get(path, { headers });
      const text = await response.text();
      bodies.push(text);
      console.log(
        `access: ${path} ${Object.keys(headers).length ? "bad credentials" : "no credentials"} → ${response.status}`,
      );
      assert.notEqual(response.status, 200, path);
      assert.ok(response.status === 401 || response.status === 404, `${path}: ${response.status}`);
      for (const leak of ["fetch-scrobbles", "enrich-albums", "redis_version", "# HELP"])
        assert.ok(!text.includes(leak), `${path} leaks ${leak}`);
    }
});

test("pages carry a nonce CSP (no inline scripts), frame-ancestors, referrer, nosniff and permissions policies", async () => {
  for (const path of ["/", "/user/VinylVera", "/user/VinylVera/2022", "/user/NoSuchUserX/2022"]) {
    const response = await get(path);
    const html = await response.text();
    bodies.push(html);
    const csp = response.headers.get("content-security-policy") ?? "";
    const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? "";
    const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
    assert.ok(nonce, `${path}: no nonce in ${csp}`);
    assert.ok(!scriptSrc.includes("'unsafe-inline'") && !scriptSrc.includes("'unsafe-eval'"), scriptSrc);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /object-src 'none'/);
    assert.equal(response.headers.get("x-content-type-options"), "nosniff");
    assert.equal(response.headers.get("x-frame-options"), "DENY");
    assert.equal(response.headers.get("referrer-policy"), "strict-origin-when-cross-origin");
    assert.ok(response.headers.get("permissions-policy")?.includes("camera=()"));
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.ok(scripts.length > 0);
    for (const tag of scripts) assert.ok(tag.includes(`nonce="${nonce}"`), `${path}: script without the nonce: ${tag}`);
    // A second request gets a different nonce.
    const again = (await get(path)).headers.get("content-security-policy");
    assert.notEqual(again, csp);
  }
  const api = await get("/api/health");
  assert.equal(api.headers.get("x-content-type-options"), "nosniff");
  console.log("headers: pages have a per-request nonce CSP; every page script carries it");
});

// ---------------------------------------------------------------------------------------------- load

test(`load: ${VISITORS} visitors on result pages and ${WATCHERS} SSE streams for ${LOAD_SECONDS} s – p95, errors, no memory growth`, async () => {
  const sim = (patch: object) =>
    fetch(`${app.simUrl}/__config`, {
      method: "POST",
      body: JSON.stringify(patch),
      headers: { "content-type": "application/json" },
    });
  // A slow Last.fm keeps one big import running for the whole test, so its watchers stay connected: 51
  // pages of 1,000 plays, six at a time, 12 s each, outlast both rounds (at 3 s a page, 2023's 31 pages
  // ended inside the first round, and the second measured 1,000 opens of a finished year instead).
  await sim({ latencyMs: 12_000 });
  const watched = "/api/user/HeavyHanna/2024";
  assert.equal((await get(watched, { headers: ipHeader("198.51.100.77") })).status, 202);
  for (let i = 0; i < 30; i++) await (await get(`/user/${FINISHED[i % 3].join("/")}`)).text();
  const heapBefore = await heapSnapshot(app.serverPid, HEAP_DIR);
  const rssBefore = rssMiB(app.serverPid);

  const redis = new Redis(TEST_REDIS_URL);
  const numsub = async () => {
    const channels = (await redis.pubsub("CHANNELS", "*progress*heavyhanna*2024*")) as string[];
    return channels.length ? Number(((await redis.pubsub("NUMSUB", ...channels)) as (string | number)[])[1]) : 0;
  };

  const runOnce = async (seconds: number) => {
    const abort = new AbortController();
    let sseOpened = 0;
    let sseErrors = 0;
    const streams = Array.from({ length: WATCHERS }, () =>
      fetch(`${app.base}${watched}/events`, { signal: abort.signal, headers: ipHeader("198.51.100.77") }).then(
        async (response) => {
          if (response.status !== 200) return void sseErrors++;
          sseOpened++;
          const reader = (response.body as ReadableStream<Uint8Array>).getReader();
          while (!(await reader.read().catch(() => ({ done: true }))).done);
        },
        () => undefined,
      ),
    );
    const timings: number[] = [];
    let errors = 0;
    const deadline = Date.now() + seconds * 1000;
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMiB(app.serverPid))), 1_000);
    await Promise.all(
      Array.from({ length: VISITORS }, async (_, v) => {
        while (Date.now() < deadline) {
          const started = performance.now();
          try {
            const response = await fetch(`${app.base}/user/${FINISHED[v % 3].join("/")}`);
            await response.text();
            if (response.status !== 200) errors++;
          } catch {
            errors++;
          }
          timings.push(performance.now() - started);
        }
      }),
    );
    clearInterval(sampler);
    const openAtEnd = sseOpened;
    const subscribedAtEnd = await numsub();
    abort.abort();
    await Promise.all(streams);
    return { timings, errors, openAtEnd, sseErrors, subscribedAtEnd, peakRss };
  };

  const first = await runOnce(LOAD_SECONDS);
  await sleep(5_000);
  const rssAfter = rssMiB(app.serverPid);
  const subscribedAfter = await numsub();
  const heapAfter = await heapSnapshot(app.serverPid, HEAP_DIR);
  // The same crowd again, as long: the first round also warms caches, so a leak shows as a second step up.
  // (A 20 s second round measured mostly the 1,000 streams connecting at once, ~10 ms each on 2 cores
  // beside 200 visitors: 996 of 1,000 were in by its end.)
  const second = await runOnce(LOAD_SECONDS);
  await sleep(5_000);
  const rssAfterSecond = rssMiB(app.serverPid);
  const heapAfterSecond = await heapSnapshot(app.serverPid, HEAP_DIR);
  await sim({ latencyMs: 20 });
  await redis.quit();

  console.log(
    `load: ${first.timings.length} page views in ${LOAD_SECONDS} s (${Math.round(first.timings.length / LOAD_SECONDS)}/s) by ${VISITORS} visitors, ` +
      `p50 ${percentile(first.timings, 50).toFixed(0)} ms, p95 ${percentile(first.timings, 95).toFixed(0)} ms, errors ${first.errors}; ` +
      `SSE open at the end ${first.openAtEnd}/${WATCHERS} (refused ${first.sseErrors}), subscribers in Redis ${first.subscribedAtEnd} → ${subscribedAfter} after disconnect`,
  );
  console.log(
    `memory (web process): RSS ${rssBefore} MiB before, peak ${first.peakRss}, ${rssAfter} 5 s after disconnect; ` +
      `heap after a full GC ${heapBefore.mib} MiB (${heapBefore.nodes} objects) before → ${heapAfter.mib} MiB (${heapAfter.nodes} objects) after; ` +
      `second round (${LOAD_SECONDS} s, p95 ${percentile(second.timings, 95).toFixed(0)} ms, errors ${second.errors}): ` +
      `RSS peak ${second.peakRss}, ${rssAfterSecond} after, heap ${heapAfterSecond.mib} MiB (${heapAfterSecond.nodes} objects)`,
  );
  assert.equal(first.errors, 0);
  assert.equal(first.sseErrors, 0);
  assert.equal(first.openAtEnd, WATCHERS);
  assert.equal(subscribedAfter, 0, "every stream unsubscribed when its client left");
  assert.equal(second.errors, 0);
  assert.equal(second.openAtEnd, WATCHERS);
  // RSS stays high after a burst (V8 and malloc keep the pages they grew into), so "no growth" is judged
  // on the heap after a full collection. The first round warms Next's and React's caches (+5–15 %); a
  // second identical crowd must not add another step. Between rounds we measured −1 to +1 % in bytes and
  // up to +2.2 % in objects; 1,000 leaked streams (a ReadableStream, its closures and listener: ~50
  // objects, several KiB each) would add ~8 % of the objects and several MiB, so 5 % separates the two.
  assert.ok(heapAfter.nodes <= heapBefore.nodes * 1.25, `heap objects ${heapBefore.nodes} → ${heapAfter.nodes}`);
  assert.ok(
    heapAfterSecond.nodes <= heapAfter.nodes * 1.05 && heapAfterSecond.mib <= heapAfter.mib * 1.05 + 1,
    `heap ${heapAfter.mib} MiB (${heapAfter.nodes} objects) → ${heapAfterSecond.mib} MiB (${heapAfterSecond.nodes}) after a second round`,
  );
});

// --------------------------------------------------------------------------------------------- abuse

test("one client asking for 1,000 users: its IP limit and the queue cap hold, other users' imports still finish", async () => {
  const victim = await get("/api/user/LightLeo/2021", { headers: ipHeader("198.51.100.50") });
  assert.equal(victim.status, 202);
  const users = [
    "VinylVera",
    "NightBusNico",
    "DadRockDan",
    "HeavyHanna",
    "LightLeo",
    "EmptyYearEmma",
    "OneScrobbleOlga",
    "BoundaryBen",
    "TimeTravelTom",
  ];
  const requests = Array.from({ length: 1_000 }, (_, i) =>
    i < users.length * 4
      ? `/api/user/${users[i % users.length]}/${2019 - Math.floor(i / users.length)}`
      : `/api/user/abuser${i}/2023`,
  );
  const statuses: Record<number, number> = {};
  let index = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (index < requests.length) {
        const response = await get(requests[index++], { headers: ipHeader("203.0.113.99") });
        bodies.push(await response.text());
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      }
    }),
  );
  const started = statuses[202] ?? 0;
  console.log(
    `abuse, one IP: 1,000 requests → ${JSON.stringify(statuses)} (limit ${TEST_IMPORT_RATE_LIMIT} new imports)`,
  );
  assert.ok(!Object.keys(statuses).some((status) => Number(status) >= 500));
  assert.ok(started <= TEST_IMPORT_RATE_LIMIT, `${started} imports started from one IP`);
  assert.ok((statuses[429] ?? 0) > 0);

  // Many IPs at once (a botnet, or a spoofed x-forwarded-for): the deployment-wide cap still holds.
  const client = await import("pg");
  const db = new client.default.Client({ connectionString: app.databaseUrl });
  await db.connect();
  let maxQueued = 0;
  let isFlooding = true;
  const sampler = (async () => {
    while (isFlooding) {
      const { rows } = await db.query(
        "SELECT count(*)::int AS n FROM fetch_jobs WHERE status IN ('queued', 'fetching')",
      );
      maxQueued = Math.max(maxQueued, rows[0].n);
      await sleep(50);
    }
  })();
  const flood: string[] = [];
  for (const user of users) for (let year = 2004; year <= 2025; year++) flood.push(`/api/user/${user}/${year}`);
  const floodStatuses: Record<number, number> = {};
  index = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (index < flood.length) {
        const i = index++;
        const response = await get(flood[i], { headers: ipHeader(`192.0.2.${i % 250}`) });
        bodies.push(await response.text());
        floodStatuses[response.status] = (floodStatuses[response.status] ?? 0) + 1;
      }
    }),
  );
  isFlooding = false;
  await sampler;
  await db.end();
  console.log(
    `abuse, ${flood.length} requests from many IPs: ${JSON.stringify(floodStatuses)}, most imports queued or fetching at once ${maxQueued} (cap ${QUEUE_CAP})`,
  );
  assert.ok(!Object.keys(floodStatuses).some((status) => Number(status) >= 500));
  assert.ok(maxQueued <= QUEUE_CAP, `${maxQueued} imports queued at once, cap ${QUEUE_CAP}`);

  const finished = await waitFor(async () => {
    const body = await (await get("/api/user/LightLeo/2021", { headers: ipHeader("198.51.100.50") })).json();
    return body.status === "complete" ? body : undefined;
  }, 180_000);
  console.log(`abuse: the victim's import finished (${finished.totals.scrobbles} scrobbles)`);
});

test("1,000 random unknown names from one IP, with a forged x-forwarded-for: at most LOOKUP_RATE_LIMIT Last.fm calls; unknown and private pages are 404 and 403", async () => {
  await fetch(`${app.simUrl}/__reset`, { method: "POST", body: "{}", headers: { "Content-Type": "application/json" } });
  const statuses: Record<number, number> = {};
  const random = seededRandom(16);
  let index = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (index < 1_000) {
        const i = index++;
        const name = `Ghost${Math.floor(random() * 1e9).toString(36)}${i}`;
        // The client writes whatever it likes on the left; the proxy (the test, TRUSTED_PROXY_HOPS=1) appends the real address.
        const response = await get(`/api/user/${name}/2023`, {
          headers: { "x-forwarded-for": `10.${i % 250}.0.1, 203.0.113.201` },
        });
        bodies.push(await response.text());
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      }
    }),
  );
  const stats = await (await fetch(`${app.simUrl}/__stats`)).json();
  const lookups = Object.entries(stats.byMethod as Record<string, number>)
    .filter(([method]) => method.includes("/user/:name") || method === "user.getinfo")
    .reduce((sum, [, n]) => sum + n, 0);
  console.log(
    `abuse, unknown names from one IP: ${JSON.stringify(statuses)}, ${lookups} Last.fm look-ups (limit ${TEST_LOOKUP_RATE_LIMIT})`,
  );
  assert.ok(lookups <= TEST_LOOKUP_RATE_LIMIT, `${lookups} look-ups`);
  assert.equal((statuses[404] ?? 0) + (statuses[429] ?? 0), 1_000);
  assert.ok((statuses[429] ?? 0) >= 1_000 - TEST_LOOKUP_RATE_LIMIT);

  for (const [path, status] of [
    ["/user/GhostOfNobody/2020", 404],
    ["/user/PrivatePat/2020", 403],
  ] as const) {
    const page = await get(path, { headers: ipHeader("198.51.100.77") });
    const html = await page.text();
    assert.equal(page.status, status, path);
    assert.match(html, /<meta name="robots" content="noindex"/, path);
  }
});

// ------------------------------------------------------------------------------------ no key anywhere

test("no API key or admin password in any response, page, client bundle or log", async () => {
  const secrets = [DEMO_API_KEY, TEST_ADMIN.password];
  for (const secret of secrets) {
    assert.ok(!bodies.some((body) => body.includes(secret)), "a response contains a secret");
    assert.ok(!app.output().includes(secret), "the app's log contains a secret");
  }
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(".next/static");
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const secret of secrets) assert.ok(!text.includes(secret), `${file} contains a secret`);
    assert.ok(!text.includes("LASTFM_API_KEY"), `${file} names LASTFM_API_KEY`);
  }
  console.log(
    `secrets: ${bodies.length} responses, ${files.length} client files and the app log checked; no key, no password`,
  );
});
