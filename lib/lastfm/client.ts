// Typed Last.fm client. Every API call takes a slot of the deployment-wide budget first;
// every answer is parsed from the body (Last.fm's HTTP status is not reliable) into data or a LastfmError.
import { z } from "zod";
import { env } from "@/lib/server/env";
import { type BudgetLane, createRateBudget, type RateBudget } from "./budget";
import { recordLastfmRequest } from "./request-counters";
import { fetchSent } from "@/lib/server/fetch-sent";

export type LastfmErrorKind =
  | "transient" // 8, 11, 16, 2, 5xx, HTML, truncated JSON, timeouts: try again
  | "rate_limited" // 29: try again, later, and slow everyone down
  | "user_not_found" // 6 "User not found": re-check once, Last.fm sends spurious ones
  | "private_profile" // 17: the user hides their listening
  | "bad_key" // 10, 26, 4: our configuration, not the user's fault
  | "invalid_request"; // 6 for a parameter, 3: a bug on our side

export class LastfmError extends Error {
  constructor(
    readonly kind: LastfmErrorKind,
    message: string,
    readonly code: number | null = null,
    readonly httpStatus: number | null = null,
  ) {
    super(message);
    this.name = "LastfmError";
  }

  get isRetryable(): boolean {
    return this.kind === "transient" || this.kind === "rate_limited";
  }
}

function kindOfCode(code: number, message: string): LastfmErrorKind {
  if (code === 29) return "rate_limited";
  if (code === 17) return "private_profile";
  if (code === 10 || code === 26 || code === 4) return "bad_key";
  if (code === 6) return /user not found/i.test(message) ? "user_not_found" : "invalid_request";
  if (code === 3) return "invalid_request";
  return "transient";
}

const TextSchema = z.object({ "#text": z.string().default(""), mbid: z.string().default("") }).partial();

const TrackSchema = z.object({
  name: z.string().default(""),
  mbid: z.string().default(""),
  artist: z.union([TextSchema, z.object({ name: z.string(), mbid: z.string().default("") })]).optional(),
  album: TextSchema.optional(),
  date: z.object({ uts: z.string() }).optional(),
  "@attr": z.object({ nowplaying: z.string().optional() }).partial().optional(),
});

const RecentTracksSchema = z.object({
  recenttracks: z.object({
    // An array, a bare object (one item in a window), or missing (empty window).
    track: z.union([z.array(TrackSchema), TrackSchema]).optional(),
    "@attr": z.object({
      user: z.string(),
      page: z.coerce.number().int(),
      perPage: z.coerce.number().int(),
      totalPages: z.coerce.number().int(),
      total: z.coerce.number().int(),
    }),
  }),
});

const UserInfoSchema = z.object({
  user: z.object({
    name: z.string(),
    url: z.string().optional(),
    playcount: z.coerce.number().int().optional(),
    registered: z.object({ unixtime: z.coerce.number().int() }).optional(),
  }),
});

export type LastfmScrobble = {
  uts: number;
  track: string;
  artist: string;
  album: string;
  trackMbid: string | null;
  albumMbid: string | null;
  artistMbid: string | null;
};

export type RecentTracksPage = {
  user: string;
  page: number;
  perPage: number;
  totalPages: number;
  total: number;
  /** Dated plays only: the now-playing item has no date and is dropped here. */
  scrobbles: LastfmScrobble[];
};

export type UserInfo = { name: string; url: string; playcount: number | null; registeredAt: Date | null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const mbidOrNull = (value: string | undefined) => (value && UUID.test(value) ? value.toLowerCase() : null);

const USER_AGENT = "LastYear.fm/0.1 (+https://github.com/lastyear-fm)";

const globalForBudget = globalThis as unknown as { lastfmBudget?: RateBudget };

export function lastfmBudget(): RateBudget {
  const { LASTFM_RATE_LIMIT, LASTFM_RATE_MARGIN_MS, LASTFM_SCHEDULING } = env();
  globalForBudget.lastfmBudget ??= createRateBudget("lastfm", LASTFM_RATE_LIMIT, LASTFM_RATE_MARGIN_MS, {
    isFifo: LASTFM_SCHEDULING === "fifo",
  });
  return globalForBudget.lastfmBudget;
}

/**
 * Opens a connection to Last.fm's host before the first budgeted call: a process's first fetch spends
 * 25–100 ms loading the HTTP client and connecting (measured), and a request that late crowds the ones
 * after it into one upstream second. A HEAD on the host's root is no API call and carries no key.
 */
export async function warmUpLastfm(): Promise<void> {
  const origin = new URL("/", env().LASTFM_API_URL);
  await fetch(origin, { method: "HEAD", signal: AbortSignal.timeout(2_000) })
    .then((response) => response.body?.cancel())
    .catch(() => undefined);
}

/** One API call: budget slot, request with a timeout, body parsed into JSON or a LastfmError. */
async function callApi(
  params: Record<string, string | number>,
  signal?: AbortSignal,
  lane?: BudgetLane,
): Promise<unknown> {
  const { LASTFM_API_KEY, LASTFM_API_URL } = env();
  if (!LASTFM_API_KEY) throw new LastfmError("bad_key", "LASTFM_API_KEY is not set");
  const leaving = await lastfmBudget().acquire(signal, lane);
  const url = new URL(LASTFM_API_URL);
  for (const [name, value] of Object.entries({ ...params, api_key: LASTFM_API_KEY, format: "json" })) {
    url.searchParams.set(name, String(value));
  }
  const timeout = AbortSignal.timeout(env().LASTFM_TIMEOUT_MS);
  let response: Response;
  let text: string;
  try {
    response = await fetchSent(leaving, url, {
      headers: { "User-Agent": USER_AGENT, Accept: "application/json" },
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    text = await response.text();
  } catch (error) {
    signal?.throwIfAborted();
    void recordLastfmRequest("network_error");
    throw new LastfmError("transient", `Last.fm request failed: ${(error as Error).message}`);
  }
  const isHttp429 = response.status === 429;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    void recordLastfmRequest(isHttp429 ? "rate_limited" : "http_error");
    throw new LastfmError("transient", `Last.fm sent a non-JSON body (HTTP ${response.status})`, null, response.status);
  }
  const failure = z.object({ error: z.number(), message: z.string().default("") }).safeParse(body);
  if (failure.success) {
    const { error: code, message } = failure.data;
    void recordLastfmRequest(code === 29 || isHttp429 ? "rate_limited" : "api_error");
    if (code === 29) await lastfmBudget().penalize(5_000);
    throw new LastfmError(kindOfCode(code, message), `Last.fm error ${code}: ${message}`, code, response.status);
  }
  if (!response.ok) {
    void recordLastfmRequest(isHttp429 ? "rate_limited" : "http_error");
    throw new LastfmError("transient", `Last.fm answered HTTP ${response.status}`, null, response.status);
  }
  void recordLastfmRequest("ok");
  return body;
}

function parseOrTransient<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new LastfmError("transient", `Last.fm sent an unexpected ${what} body`);
  return parsed.data;
}

export async function getRecentTracksPage(
  options: { user: string; from: number; to: number; page: number; limit: number; lane?: BudgetLane },
  signal?: AbortSignal,
): Promise<RecentTracksPage> {
  const body = await callApi(
    {
      method: "user.getrecenttracks",
      user: options.user,
      from: options.from,
      to: options.to,
      page: options.page,
      limit: options.limit,
    },
    signal,
    options.lane,
  );
  const { recenttracks } = parseOrTransient(RecentTracksSchema, body, "recent tracks");
  const attr = recenttracks["@attr"];
  // Last.fm has been seen answering with another user's data: never store it under this one.
  if (attr.user.toLowerCase() !== options.user.toLowerCase()) {
    throw new LastfmError("transient", `Last.fm answered for user ${attr.user}, not ${options.user}`);
  }
  const items =
    recenttracks.track === undefined
      ? []
      : Array.isArray(recenttracks.track)
        ? recenttracks.track
        : [recenttracks.track];
  const scrobbles: LastfmScrobble[] = [];
  for (const item of items) {
    if (!item.date || item["@attr"]?.nowplaying === "true") continue;
    const artist = item.artist && "name" in item.artist ? item.artist.name : (item.artist?.["#text"] ?? "");
    scrobbles.push({
      uts: Number(item.date.uts),
      track: item.name,
      artist,
      album: item.album?.["#text"] ?? "",
      trackMbid: mbidOrNull(item.mbid),
      albumMbid: mbidOrNull(item.album?.mbid),
      artistMbid: mbidOrNull(item.artist?.mbid),
    });
  }
  return {
    user: attr.user,
    page: attr.page,
    perPage: attr.perPage,
    totalPages: attr.totalPages,
    total: attr.total,
    scrobbles,
  };
}

export async function getUserInfo(user: string, signal?: AbortSignal): Promise<UserInfo> {
  const body = await callApi({ method: "user.getinfo", user }, signal);
  const info = parseOrTransient(UserInfoSchema, body, "user info").user;
  return {
    name: info.name,
    url: info.url ?? `${env().LASTFM_WEB_URL}/user/${encodeURIComponent(info.name)}`,
    playcount: info.playcount ?? null,
    registeredAt: info.registered ? new Date(info.registered.unixtime * 1000) : null,
  };
}

/** Scrobbles in [from, to), from a `limit=1` call's total (ignores the now-playing extra item). */
export async function countScrobbles(
  user: string,
  from: number,
  to: number,
  signal?: AbortSignal,
  lane?: BudgetLane,
): Promise<number> {
  return (await getRecentTracksPage({ user, from, to, page: 1, limit: 1, lane }, signal)).total;
}

const ChartAlbumSchema = z.object({
  name: z.string(),
  mbid: z.string().default(""),
  artist: TextSchema.optional(),
  playcount: z.coerce.number().int(),
});

const AlbumChartSchema = z.object({
  weeklyalbumchart: z.object({
    // Like recent tracks: an array, a bare object for one album, or nothing for none.
    album: z.union([z.array(ChartAlbumSchema), ChartAlbumSchema]).optional(),
    "@attr": z.object({ user: z.string() }),
  }),
});

export type ChartAlbum = { artist: string; album: string; albumMbid: string | null; plays: number };

/** The largest chart Last.fm sends: a listener with more albums loses the tail (LASTFM-API.md §3b). */
export const ALBUM_CHART_LIMIT = 1000;

/**
 * user.getWeeklyAlbumChart over any [from, to): one ranked chart of albums, no paging. `to` is sent as
 * the window's last second, as fmbot does, so the range is the same whether Last.fm counts it in or not.
 * `limit` is always sent: the default is undocumented.
 */
export async function getAlbumChart(
  options: { user: string; from: number; to: number },
  signal?: AbortSignal,
): Promise<ChartAlbum[]> {
  const body = await callApi(
    {
      method: "user.getweeklyalbumchart",
      user: options.user,
      from: options.from,
      to: options.to - 1,
      limit: ALBUM_CHART_LIMIT,
    },
    signal,
  );
  const chart = parseOrTransient(AlbumChartSchema, body, "album chart").weeklyalbumchart;
  if (chart["@attr"].user.toLowerCase() !== options.user.toLowerCase()) {
    throw new LastfmError("transient", `Last.fm answered for user ${chart["@attr"].user}, not ${options.user}`);
  }
  const rows = chart.album === undefined ? [] : Array.isArray(chart.album) ? chart.album : [chart.album];
  return rows
    .filter((row) => row.name !== "" && row.playcount > 0)
    .map((row) => ({
      artist: row.artist?.["#text"] ?? "",
      album: row.name,
      albumMbid: mbidOrNull(row.mbid),
      plays: row.playcount,
    }));
}

/**
 * The website check costs no API quota: 200 exists, 404 does not. Anything else (blocked, rate-limited,
 * down) says nothing, so the caller falls back to the API.
 */
export async function checkProfilePage(user: string): Promise<"exists" | "missing" | "unknown"> {
  try {
    const response = await fetch(`${env().LASTFM_WEB_URL}/user/${encodeURIComponent(user)}`, {
      method: "HEAD",
      redirect: "follow",
      headers: { "User-Agent": USER_AGENT },
      signal: AbortSignal.timeout(5_000),
    });
    return response.status === 200 ? "exists" : response.status === 404 ? "missing" : "unknown";
  } catch {
    return "unknown";
  }
}
