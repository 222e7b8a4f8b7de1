// The Last.fm simulator: node:http on 127.0.0.1 serving /2.0/ (the API), /user/NAME (the
// website check) and /__stats, /__reset, /__config (control). Rate limiting, faults and
// latency wrap the pure API answers of api.ts.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createRng, hashString } from "@/scripts/simulators/catalog";
import { type ApiAnswer, answerApi, answerApiInTurns, responseFormat } from "./api";
import { answerAuthPage, createTokenStore } from "./auth";
import { createFaultPicker, USER_FAULTS } from "./faults";
import {
  DEFAULT_OPTIONS,
  type FaultKind,
  type LastfmSimOptions,
  type RuntimeOptions,
  type RuntimeOptionsPatch,
  RuntimeOptionsPatchSchema,
  RuntimeOptionsSchema,
} from "./options";
import { createRateLimiter } from "./rate-limiter";
import {
  API_HEADERS,
  type Body,
  blockedPage,
  ERROR_MESSAGES,
  errorBody,
  HTML_500,
  PAGE_NOT_FOUND,
  profilePage,
  USER_NOT_FOUND,
} from "./responses";
import { createStats, type LastfmSimStats } from "./stats";
import { createDataset, DEMO_USERS, type LastfmDataset, PROFILES } from "./users";

export type { FaultKind, LastfmSimOptions, RuntimeOptions, RuntimeOptionsPatch } from "./options";
export { DEFAULT_OPTIONS, FAULT_KINDS, SIM_API_KEY, SIM_API_SECRET, SUSPENDED_API_KEY } from "./options";
export type { LastfmSimStats } from "./stats";
export { DEMO_USERS, PROFILE_SUMMARIES } from "./users";

export type LastfmSimulator = {
  /** Base URL, e.g. http://127.0.0.1:3901 */
  url: string;
  /** `${url}/2.0/`: what production code uses instead of https://ws.audioscrobbler.com/2.0/ */
  apiUrl: string;
  /** Base of the website stub (HEAD/GET /user/NAME); equals `url`. */
  webUrl: string;
  stats(): LastfmSimStats;
  resetStats(): void;
  /** Changes runtime options (latency, faults, rate limit, quirks); throws on an invalid patch. */
  configure(patch: RuntimeOptionsPatch): void;
  /** The current options. */
  options(): LastfmSimOptions;
  /** The dataset this simulator serves, live changes included: the truth for tests. */
  users: LastfmDataset;
  /** Stops listening and destroys every open socket, hanging responses included. */
  close(): Promise<void>;
};

const JSON_HEADERS = { "content-type": "application/json" };

export async function startLastfmSimulator(options: Partial<LastfmSimOptions> = {}): Promise<LastfmSimulator> {
  const { port, host, seed, clock, ...initial } = { ...DEFAULT_OPTIONS, ...options };
  let runtime: RuntimeOptions = RuntimeOptionsSchema.parse(initial);
  const initialApiSecret = runtime.apiSecret;
  const users = createDataset({ seed, clock });
  const tokens = createTokenStore();
  const stats = createStats(clock);
  const limiter = createRateLimiter();
  const faults = createFaultPicker(runtime.faultSeed);
  let jitter = createRng(hashString(`latency|${runtime.faultSeed}`));
  const timers = new Set<NodeJS.Timeout>();
  /** The answer being worked out (see handleApi). */
  let answering: Promise<unknown> = Promise.resolve();
  let liveTimer: NodeJS.Timeout | undefined;

  function wait(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  }

  function send(res: ServerResponse, body: Body, headers: Record<string, string> = API_HEADERS): void {
    if (res.destroyed || res.writableEnded) return;
    stats.responded(body.status);
    res.writeHead(body.status, {
      ...headers,
      "content-type": body.contentType,
      "content-length": String(Buffer.byteLength(body.text)),
    });
    res.end(body.text);
  }

  function restartLive(): void {
    if (liveTimer) clearInterval(liveTimer);
    liveTimer = undefined;
    if (runtime.liveScrobbleIntervalMs <= 0) return;
    liveTimer = setInterval(() => {
      users.tickLive(clock(), {
        backdateProbability: runtime.liveBackdateProbability,
        backdateMaxDays: runtime.liveBackdateMaxDays,
        deleteProbability: runtime.liveDeleteProbability,
      });
    }, runtime.liveScrobbleIntervalMs);
    liveTimer.unref();
  }

  function configure(patch: RuntimeOptionsPatch): void {
    const { faultQueue, restoreApiSecret, ...changes } = RuntimeOptionsPatchSchema.parse(patch);
    const previous = runtime;
    runtime = { ...runtime, ...changes, ...(restoreApiSecret && { apiSecret: initialApiSecret }) };
    if (runtime.faultSeed !== previous.faultSeed) {
      faults.reseed(runtime.faultSeed);
      jitter = createRng(hashString(`latency|${runtime.faultSeed}`));
    }
    if (runtime.liveScrobbleIntervalMs !== previous.liveScrobbleIntervalMs) restartLive();
    if (faultQueue) faults.enqueue(faultQueue);
  }

  function faultBody(kind: FaultKind, format: "json" | "xml"): Body | undefined {
    switch (kind) {
      case "error8-500":
        return errorBody(500, 8, ERROR_MESSAGES[8], format);
      case "error8-503":
        return errorBody(503, 8, ERROR_MESSAGES[8], format);
      case "error11":
        return errorBody(503, 11, ERROR_MESSAGES[11], format);
      case "error16":
        return errorBody(503, 16, ERROR_MESSAGES[16], format);
      case "error29":
        return errorBody(429, 29, ERROR_MESSAGES[29], format);
      case "html500":
        return HTML_500;
      case "user-not-found":
        return errorBody(404, 6, USER_NOT_FOUND, format);
      default:
        return undefined;
    }
  }

  /** The same request about another user: Last.fm's rare "random results". */
  function answerForAnotherUser(params: URLSearchParams, answer: ApiAnswer, nowMs: number): ApiAnswer {
    const others = PROFILES.filter((p) => !p.isPrivate && p.username !== answer.username);
    const other = others[faults.pickIndex(others.length)];
    const changed = new URLSearchParams(params);
    changed.set("user", other.username);
    return answerApi(changed, { users, options: runtime, nowMs, tokens });
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, params: URLSearchParams): Promise<void> {
    const nowMs = clock();
    const format = responseFormat(params);
    stats.received((params.get("method") ?? "").toLowerCase() || "(none)");
    stats.apiStarted(nowMs);
    res.on("close", () => stats.apiEnded());

    const limiterKey =
      runtime.rateLimitScope === "key" ? (params.get("api_key") ?? "") : (req.socket.remoteAddress ?? "");
    const isAllowed = limiter.tryAcquire(limiterKey, nowMs, {
      perSecond: runtime.rateLimitPerSecond,
      averagePerSecond: runtime.rateLimitAveragePerSecond,
      averageWindowMs: runtime.rateLimitAverageWindowMs,
    });
    const baseLatency = runtime.latencyMs + jitter() * runtime.latencyJitterMs;
    if (!isAllowed) {
      stats.rateLimited();
      await wait(baseLatency);
      return send(res, errorBody(429, 29, ERROR_MESSAGES[29], format));
    }

    const limit = Math.min(1000, Math.max(1, Number(params.get("limit")) || 50));
    // Answers are worked out in turns (answerApiInTurns) but one after another, in arrival order, so
    // the seeded draws (faults, large pages) and a fault queue go to requests in the order they came.
    const drawn = answering.then(async () => {
      const answer = await answerApiInTurns(params, { users, options: runtime, nowMs, tokens });
      if (isFailingLargePage(params, limit, answer)) return { answer, isLargePageFailure: true } as const;
      const rate = Math.min(1, runtime.faultRate * (limit > 200 ? runtime.largeLimitFaultMultiplier : 1));
      const fault = faults.next(
        rate,
        runtime.faultWeights,
        (kind) => !USER_FAULTS.has(kind) || answer.username !== undefined,
      );
      return { answer, fault, isLargePageFailure: false } as const;
    });
    answering = drawn.catch(() => undefined);
    const { isLargePageFailure, fault, answer: answered } = await drawn;
    let answer = answered;
    if (isLargePageFailure) {
      stats.faultInjected("large-page");
      await wait(baseLatency + limit * runtime.latencyPerItemMs);
      return send(res, errorBody(500, 8, ERROR_MESSAGES[8], format));
    }
    if (fault) stats.faultInjected(fault);
    if (fault === "hang") return; // the socket stays open until the client gives up or close()
    if (fault === "wrong-user" && answer.username) answer = answerForAnotherUser(params, answer, nowMs);

    let delay = baseLatency + answer.itemCount * runtime.latencyPerItemMs;
    if (fault === "slow") delay += runtime.slowMs * Math.max(1, limit / 200);
    await wait(delay);

    const body = (fault && faultBody(fault, format)) || answer.body;
    if (fault === "truncated-json") {
      const cut = Math.max(1, Math.floor(body.text.length * (0.3 + (0.4 * faults.pickIndex(1000)) / 1000)));
      return send(res, { ...body, text: body.text.slice(0, cut) });
    }
    if (fault === "reset") return resetMidBody(res, body);
    send(res, body);
  }

  /** Big recent-tracks pages of the accounts configured to fail them (a seeded draw at largePageFailRate). */
  function isFailingLargePage(params: URLSearchParams, limit: number, answer: ApiAnswer): boolean {
    if ((params.get("method") ?? "").toLowerCase() !== "user.getrecenttracks" || !answer.username) return false;
    if (limit <= runtime.largePageFailAbove) return false;
    const name = answer.username.toLowerCase();
    if (!runtime.largePageFailUsers.some((user) => user.toLowerCase() === name)) return false;
    return runtime.largePageFailRate >= 1 || jitter() < runtime.largePageFailRate;
  }

  /** Headers promise the whole body, half arrives, then the connection drops. */
  function resetMidBody(res: ServerResponse, body: Body): void {
    if (res.destroyed) return;
    const bytes = Buffer.from(body.text);
    stats.responded(body.status);
    res.writeHead(body.status, {
      ...API_HEADERS,
      "content-type": body.contentType,
      "content-length": String(bytes.length),
    });
    res.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
    setImmediate(() => res.socket?.destroy());
  }

  function handleWebsite(req: IncomingMessage, res: ServerResponse, name: string): void {
    stats.received(`${req.method} /user/:name`);
    const user = users.findUser(name);
    const page = user ? profilePage(user.username) : PAGE_NOT_FOUND;
    send(res, runtime.website === "normal" ? page : blockedPage(runtime.website === "blocked" ? 406 : 429), {});
  }

  async function readJson(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    return text ? JSON.parse(text) : {};
  }

  function sendControl(res: ServerResponse, status: number, value: unknown): void {
    const text = JSON.stringify(value);
    res.writeHead(status, { ...JSON_HEADERS, "content-length": String(Buffer.byteLength(text)) });
    res.end(text);
  }

  function currentOptions(): LastfmSimOptions {
    return { ...runtime, port: boundPort, host, seed, clock };
  }

  function handleAuthPage(req: IncomingMessage, res: ServerResponse, params: URLSearchParams): void {
    stats.received(`${req.method} /api/auth/`);
    const { body, location } = answerAuthPage(params, {
      tokens,
      nowMs: clock(),
      findUser: (name) => users.findUser(name)?.username,
      defaultUser: DEMO_USERS[0],
    });
    send(res, body, location ? { location } : {});
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (path === "/__stats" && req.method === "GET") return sendControl(res, 200, stats.snapshot());
    if (path === "/__auth/token" && req.method === "POST") {
      // Tests mint tokens the way the authorisation page does, optionally already old (expired).
      const body = (await readJson(req)) as { user?: unknown; ageMs?: unknown };
      const user = typeof body.user === "string" ? users.findUser(body.user) : undefined;
      if (!user) return sendControl(res, 400, { error: "user: a simulated Last.fm user is required" });
      const ageMs = typeof body.ageMs === "number" ? body.ageMs : 0;
      return sendControl(res, 200, { token: tokens.grant(user.username, clock(), ageMs) });
    }
    if (path === "/__reset" && req.method === "POST") {
      stats.reset();
      return sendControl(res, 200, stats.snapshot());
    }
    if (path === "/__config" && req.method === "POST") {
      try {
        configure(RuntimeOptionsPatchSchema.parse(await readJson(req)));
      } catch (error) {
        return sendControl(res, 400, { error: error instanceof Error ? error.message : String(error) });
      }
      // The shared secret signs demo sessions: it is never shown, only replaced or restored.
      const { clock: _clock, apiSecret: _secret, ...shown } = currentOptions();
      return sendControl(res, 200, shown);
    }
    sendControl(res, 405, { error: `${req.method} ${path} is not supported` });
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const website = /^\/user\/([^/]+)\/?$/.exec(url.pathname);
    if (url.pathname === "/2.0/" || url.pathname === "/2.0") return handleApi(req, res, url.searchParams);
    if (website) return handleWebsite(req, res, decodeURIComponent(website[1]));
    if (url.pathname === "/api/auth/" || url.pathname === "/api/auth")
      return handleAuthPage(req, res, url.searchParams);
    if (url.pathname.startsWith("/__")) return handleControl(req, res, url.pathname);
    stats.received(`${req.method} ${url.pathname}`);
    send(res, PAGE_NOT_FOUND, {});
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      console.error("lastfm simulator:", error);
      if (!res.headersSent) send(res, HTML_500, {});
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const boundPort = (server.address() as AddressInfo).port;
  const url = `http://${host}:${boundPort}`;
  restartLive();

  return {
    url,
    apiUrl: `${url}/2.0/`,
    webUrl: url,
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    configure,
    options: currentOptions,
    users,
    close() {
      if (liveTimer) clearInterval(liveTimer);
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
