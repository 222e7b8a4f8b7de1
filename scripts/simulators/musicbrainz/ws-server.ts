// MusicBrainz ws/2 simulator: JSON lookups, browse and search over the shared catalog (the
// same data the test mirror holds), with the real service's errors, 301s for merged MBIDs,
// per-IP rate limiting and User-Agent checks. See MUSICBRAINZ.md §5, §6 and §9.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  buildCatalog,
  type Catalog,
  createRng,
  DEFAULT_SEED,
  SCROBBLED_GENERATED_RELEASES,
} from "@/scripts/simulators/catalog";
import { type FixtureRequest, fixtureFor } from "./fixtures";
import { parseQuery, QuerySyntaxError } from "./lucene";
import { WsCatalog } from "./ws-catalog";

export type SimulatorSettings = {
  /** Average requests per second each client IP may make (real service: 1). */
  ratePerSecond: number;
  /** Requests an idle client may make at once before the average applies. */
  burst: number;
  requireUserAgent: boolean;
  /** How a request without a User-Agent is refused. */
  userAgentStatus: 403 | 503;
  /** Share of search requests answered 503, as when the search backend fails (0..1). */
  searchFailureRate: number;
  /** Answer the saved real responses for their requests (fixtures.ts). */
  serveFixtures: boolean;
};

export type MusicbrainzSimulatorOptions = Partial<SimulatorSettings> & {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  seed?: number;
  /** Generated releases, as for the mirror's --scale. */
  scale?: number;
  /** A catalog already built, to skip building it again. */
  catalog?: Catalog;
};

export type SimulatorStats = {
  requests: number;
  byStatus: Record<string, number>;
  rateLimited: number;
  /** Most requests in any sliding 1 s, counting those the rate limiter let through. */
  maxInAnySecond: number;
  userAgents: Record<string, number>;
};

export type MusicbrainzSimulator = {
  /** Base URL ending in /ws/2, e.g. http://127.0.0.1:3902/ws/2 */
  url: string;
  stats(): SimulatorStats;
  resetStats(): void;
  /** Changes settings for later requests and refills every client's rate-limit bucket. */
  configure(settings: Partial<SimulatorSettings>): void;
  close(): Promise<void>;
};

const DEFAULTS: SimulatorSettings = {
  ratePerSecond: 1,
  burst: 3,
  requireUserAgent: true,
  userAgentStatus: 403,
  searchFailureRate: 0,
  serveFixtures: true,
};

const HELP = "For usage, please see: https://musicbrainz.org/development/mmd";
const RATE_LIMITED =
  "Your requests are exceeding the allowable rate limit. Please see https://musicbrainz.org/doc/XML_Web_Service/Rate_Limiting for more information.";
const MBID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NIL_MBID = "00000000-0000-0000-0000-000000000000";
const RELATIONSHIP_INCS =
  "area-rels artist-rels event-rels genre-rels instrument-rels label-rels place-rels recording-rels release-rels release-group-rels series-rels url-rels work-rels";
const COMMON_INCS = `aliases annotation tags user-tags genres user-genres ratings user-ratings ${RELATIONSHIP_INCS}`;
const VALID_INCS: Record<string, Set<string>> = {
  release: new Set(
    `artists artist-credits collections user-collections labels recordings release-groups media discids isrcs recording-level-rels work-level-rels release-group-level-rels ${COMMON_INCS}`.split(
      " ",
    ),
  ),
  "release-group": new Set(`artists artist-credits releases media discids ${COMMON_INCS}`.split(" ")),
  recording: new Set(`artists artist-credits releases release-groups isrcs ${COMMON_INCS}`.split(" ")),
};

type Reply = { status: number; body: Buffer | object; headers?: Record<string, string> };

const fail = (status: number, error: string, headers?: Record<string, string>): Reply => ({
  status,
  body: { error, help: HELP },
  headers,
});

export async function startMusicbrainzSimulator(
  options: MusicbrainzSimulatorOptions = {},
): Promise<MusicbrainzSimulator> {
  const {
    port = 0,
    host = "127.0.0.1",
    seed = DEFAULT_SEED,
    scale = SCROBBLED_GENERATED_RELEASES,
    catalog,
    ...settings
  } = options;
  let current: SimulatorSettings = { ...DEFAULTS, ...settings };
  const data = new WsCatalog(catalog ?? buildCatalog(seed, scale), seed);
  const random = createRng(seed);
  const limiter = new RateLimiter();
  let stats = emptyStats();
  let window = new BusiestSecond();

  function handle(request: IncomingMessage, response: ServerResponse) {
    const authority = request.headers.host ?? `${host}:${(server.address() as AddressInfo).port}`;
    const url = new URL(request.url ?? "/", `http://${authority}`);
    const userAgent = request.headers["user-agent"]?.trim() ?? "";
    stats.requests++;
    stats.userAgents[userAgent] = (stats.userAgents[userAgent] ?? 0) + 1;
    const reply = (): Reply => {
      if (!userAgent && current.requireUserAgent)
        return fail(
          current.userAgentStatus,
          "A User-Agent header is required. Please see https://musicbrainz.org/doc/MusicBrainz_API/Rate_Limiting",
        );
      const wait = limiter.take(clientIp(request), current);
      if (wait > 0) {
        stats.rateLimited++;
        return fail(503, RATE_LIMITED, { "Retry-After": String(Math.ceil(wait)) });
      }
      window.record(performance.now());
      stats.maxInAnySecond = window.max;
      return route(url, request, { data, settings: current, random });
    };
    send(response, replyOrCrash(reply), request.method === "HEAD");
  }

  function send(response: ServerResponse, { status, body, headers }: Reply, isHead: boolean) {
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    response.writeHead(status, {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": bytes.length,
      "Access-Control-Allow-Origin": "*",
      ...headers,
    });
    response.end(isHead ? undefined : bytes);
  }

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${address.port}/ws/2`,
    stats: () => structuredClone(stats),
    resetStats: () => {
      stats = emptyStats();
      window = new BusiestSecond();
    },
    configure: (settings) => {
      current = { ...current, ...settings };
      limiter.reset();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

// A simulator bug must fail the one request, not the process a whole test run shares.
function replyOrCrash(reply: () => Reply): Reply {
  try {
    return reply();
  } catch (error) {
    process.stderr.write(`musicbrainz simulator: ${error instanceof Error ? error.stack : String(error)}\n`);
    return fail(500, "Internal Server Error");
  }
}

type Context = { data: WsCatalog; settings: SimulatorSettings; random: () => number };

function route(url: URL, request: IncomingMessage, context: Context): Reply {
  if (request.method !== "GET" && request.method !== "HEAD") return fail(405, "Method Not Allowed");
  const fmt = url.searchParams.get("fmt");
  const wantsJson = fmt === null ? /application\/json/.test(request.headers.accept ?? "") : fmt === "json";
  if (!wantsJson)
    return {
      status: 406,
      body: Buffer.from("This simulator answers JSON only: add fmt=json or Accept: application/json.\n"),
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    };

  const [entity, mbid, ...rest] = url.pathname
    .replace(/^\/ws\/2\//, "")
    .replace(/\/+$/, "")
    .split("/");
  if (!url.pathname.startsWith("/ws/2/") || rest.length || !(entity in VALID_INCS)) return fail(404, "Not Found");
  if (mbid !== undefined) return lookup(entity, mbid, url, context);
  if (url.searchParams.has("query")) return search(entity, url, context);
  if (entity === "release-group" && url.searchParams.has("release")) return browseByRelease(url, context);
  return fail(400, `Browse requests for ${entity} need a linked entity, or use query= to search.`);
}

function parseIncs(entity: string, url: URL): Set<string> | Reply {
  // "+" separates incs; URLSearchParams has already decoded it to a space.
  const incs = new Set((url.searchParams.get("inc") ?? "").split(/[+ ]/).filter(Boolean));
  for (const inc of incs)
    if (!VALID_INCS[entity].has(inc))
      return fail(400, `${inc} is not a valid inc parameter for the ${entity} resource.`);
  return incs;
}

function validMbid(text: string): string | undefined {
  const mbid = text.toLowerCase();
  return MBID.test(mbid) && mbid !== NIL_MBID ? mbid : undefined;
}

function lookup(entity: string, text: string, url: URL, { data, settings }: Context): Reply {
  const mbid = validMbid(text);
  if (!mbid) return fail(400, "Invalid mbid.");
  const incs = parseIncs(entity, url);
  if (!(incs instanceof Set)) return incs;
  const fixture = settings.serveFixtures ? fixtureFor({ kind: "lookup", entity, mbid, incs }) : undefined;
  if (fixture) return { status: 200, body: fixture };

  if (entity === "recording") {
    const recording = data.findRecording(mbid);
    return recording ? { status: 200, body: data.recordingJson(recording.entity, incs) } : fail(404, "Not Found");
  }
  const found = entity === "release" ? data.findRelease(mbid) : data.findReleaseGroup(mbid);
  if (!found) return fail(404, "Not Found");
  const body =
    "releaseGroupGid" in found.entity
      ? data.releaseJson(found.entity, incs)
      : data.releaseGroupJson(found.entity, incs);
  if (!found.moved) return { status: 200, body };
  // The server answers a merged MBID with the surviving entity's canonical URL, query kept.
  const location = `${url.origin}/ws/2/${entity}/${found.entity.gid}${url.search}`;
  return { status: 301, body, headers: { Location: location } };
}

function browseByRelease(url: URL, { data }: Context): Reply {
  const mbid = validMbid(url.searchParams.get("release") ?? "");
  if (!mbid) return fail(400, "Invalid mbid.");
  const incs = parseIncs("release-group", url);
  if (!(incs instanceof Set)) return incs;
  const found = data.findRelease(mbid);
  if (!found) return fail(404, "Not Found");
  const { offset } = paging(url);
  const groups = [data.groupOf(found.entity)].slice(offset);
  return {
    status: 200,
    body: {
      "release-group-count": 1,
      "release-group-offset": offset,
      "release-groups": groups.map((group) => data.releaseGroupJson(group, incs)),
    },
  };
}

function search(entity: string, url: URL, { data, settings, random }: Context): Reply {
  const query = url.searchParams.get("query") ?? "";
  if (!query.trim()) return fail(400, "You must specify a query.");
  if (random() < settings.searchFailureRate)
    return fail(503, "The search server could not fulfill your request due to an internal error.");
  const { limit, offset } = paging(url);
  const fixture = settings.serveFixtures
    ? fixtureFor({ kind: "search", entity, query, limit, offset } satisfies FixtureRequest)
    : undefined;
  if (fixture) return { status: 200, body: fixture };

  let parsed: ReturnType<typeof parseQuery>;
  try {
    parsed = parseQuery(
      query,
      entity === "release" ? "release" : entity === "recording" ? "recording" : "releasegroup",
    );
  } catch (error) {
    if (error instanceof QuerySyntaxError) return fail(400, `Invalid query: ${error.message}`);
    throw error;
  }
  const created = new Date().toISOString();
  if (entity === "recording") {
    const hits = data.searchRecordings(parsed);
    const page = hits.slice(offset, offset + limit).map((hit) => data.searchedRecordingJson(hit.entity, hit.score));
    return { status: 200, body: { created, count: hits.length, offset, recordings: page } };
  }
  if (entity === "release") {
    const hits = data.searchReleases(parsed);
    const page = hits.slice(offset, offset + limit).map((hit) => data.searchedReleaseJson(hit.entity, hit.score));
    return { status: 200, body: { created, count: hits.length, offset, releases: page } };
  }
  const hits = data.searchReleaseGroups(parsed);
  const page = hits.slice(offset, offset + limit).map((hit) => data.searchedGroupJson(hit.entity, hit.score));
  return { status: 200, body: { created, count: hits.length, offset, "release-groups": page } };
}

/** Like the real service, a limit outside 1..100 silently becomes 25. */
function paging(url: URL): { limit: number; offset: number } {
  const limit = Number(url.searchParams.get("limit"));
  const offset = Number(url.searchParams.get("offset"));
  return {
    limit: Number.isInteger(limit) && limit >= 1 && limit <= 100 ? limit : 25,
    offset: Number.isInteger(offset) && offset > 0 ? offset : 0,
  };
}

function clientIp(request: IncomingMessage): string {
  return (request.socket.remoteAddress ?? "unknown").replace(/^::ffff:/, "");
}

function emptyStats(): SimulatorStats {
  return { requests: 0, byStatus: {}, rateLimited: 0, maxInAnySecond: 0, userAgents: {} };
}

/** A token bucket per client IP: `burst` tokens, refilled at `ratePerSecond`. */
class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();

  /** 0 when the request may go ahead, otherwise the seconds until it could. */
  take(ip: string, { ratePerSecond, burst }: SimulatorSettings): number {
    const now = performance.now();
    const bucket = this.buckets.get(ip) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * ratePerSecond);
    bucket.at = now;
    this.buckets.set(ip, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return (1 - bucket.tokens) / ratePerSecond;
  }

  reset() {
    this.buckets.clear();
  }
}

/** The most events in any window of 1 s (a window ending at an event is always the busiest). */
class BusiestSecond {
  private times: number[] = [];
  max = 0;

  record(now: number) {
    this.times.push(now);
    while (this.times[0] <= now - 1000) this.times.shift();
    this.max = Math.max(this.max, this.times.length);
  }
}
