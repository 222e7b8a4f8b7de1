// The two API methods, as pure functions of the query string: validation in Last.fm's
// order, then user.getRecentTracks or user.getInfo. Faults and latency live in server.ts.
import { deterministicUuid } from "@/scripts/simulators/catalog";
import { answerGetSession, type TokenStore } from "./auth";
import type { RuntimeOptions } from "./options";
import {
  albumChartJson,
  albumChartText,
  type Body,
  type ChartAlbum,
  ERROR_MESSAGES,
  type ErrorCode,
  errorBody,
  LIMIT_OUT_OF_BOUNDS,
  okBody,
  okJsonText,
  PAGE_OUT_OF_BOUNDS,
  recentTracksJson,
  recentTracksText,
  USER_NOT_FOUND,
  userInfoJson,
} from "./responses";
import type { LastfmDataset, UserInfo } from "./users";

export type ApiContext = { users: LastfmDataset; options: RuntimeOptions; nowMs: number; tokens?: TokenStore };

export type ApiAnswer = {
  body: Body;
  /** Canonical name of the user whose data the body holds (successful answers only). */
  username?: string;
  /** Tracks in the body, for per-item latency. */
  itemCount: number;
};

const API_KEY = /^[0-9a-f]{32}$/i;
const METHODS = new Set(["user.getrecenttracks", "user.getinfo", "user.getweeklyalbumchart"]);
const WEEK = 7 * 86_400;
const MAX_PAGE = 1_000_000;

export function responseFormat(params: URLSearchParams): "json" | "xml" {
  return params.get("format") === "json" ? "json" : "xml";
}

/** Absent or empty → the default; a non-negative integer → itself; anything else → undefined (out of bounds). */
function parseCount(text: string | null, fallback: number): number | undefined {
  if (text === null || text === "") return fallback;
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

/** A Unix time, or undefined when absent or not a number (then it is ignored). */
function parseTime(text: string | null): number | undefined {
  return text !== null && /^-?\d+$/.test(text) ? Number(text) : undefined;
}

export function nowPlayingShare(user: UserInfo, overrides: RuntimeOptions["nowPlaying"]): number {
  const key = user.username.toLowerCase();
  const override = Object.entries(overrides).find(([name]) => name.toLowerCase() === key)?.[1];
  if (override === undefined) return user.nowPlaying;
  return typeof override === "number" ? override : override ? 1 : 0;
}

export function answerApi(params: URLSearchParams, context: ApiContext): ApiAnswer {
  const steps = answerSteps(params, context);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * The same answer, letting the event loop turn between chunks of about a millisecond of work. A page of
 * 1,000 plays or a year's album chart is tens of milliseconds of work, hundreds on a busy machine, and
 * the server stamps a request's arrival when its loop gets to it: requests that came meanwhile were
 * stamped late and together, a crowded second in the stats (and refusals by the limiter) that the
 * client never sent. Measured in the upstream chaos test: arrivals stamped up to 240 ms after they
 * were sent, behind a 215 ms album chart.
 */
export async function answerApiInTurns(params: URLSearchParams, context: ApiContext): Promise<ApiAnswer> {
  const steps = answerSteps(params, context);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Plays counted into an album chart between two turns. */
const PLAYS_PER_TURN = 2_000;

function* answerSteps(params: URLSearchParams, context: ApiContext): Generator<void, ApiAnswer, void> {
  const format = responseFormat(params);
  const fail = (status: number, code: ErrorCode, message: string = ERROR_MESSAGES[code]): ApiAnswer => ({
    body: errorBody(status, code, message, format),
    itemCount: 0,
  });

  const method = (params.get("method") ?? "").toLowerCase();
  const isAuth = method === "auth.getsession" && context.tokens !== undefined;
  if (!METHODS.has(method) && !isAuth) return fail(400, 3);
  const apiKey = params.get("api_key") ?? "";
  if (!API_KEY.test(apiKey)) return fail(403, 10);
  if (context.options.suspendedApiKeys.some((key) => key.toLowerCase() === apiKey.toLowerCase())) return fail(403, 26);
  if (isAuth && context.tokens) {
    const body = answerGetSession(params, {
      tokens: context.tokens,
      secret: context.options.apiSecret,
      nowMs: context.nowMs,
      format,
    });
    return { body, itemCount: 0 };
  }
  const username = params.get("user");
  if (!username) return fail(400, 6);

  if (method === "user.getinfo") {
    const user = context.users.findUser(username);
    if (!user) return fail(404, 6, USER_NOT_FOUND);
    const avatar = deterministicUuid("avatar", user.username).replaceAll("-", "");
    return {
      body: okBody(userInfoJson(user, context.users.playcount(user.username), avatar), format),
      username: user.username,
      itemCount: 0,
    };
  }

  if (method === "user.getweeklyalbumchart") return yield* answerAlbumChart(params, context, fail);

  const limit = parseCount(params.get("limit"), 50);
  if (limit === undefined || limit < 1 || limit > 1000) return fail(400, 6, LIMIT_OUT_OF_BOUNDS);
  const page = parseCount(params.get("page"), 1);
  if (page === undefined || page < 1 || page > MAX_PAGE) return fail(400, 6, PAGE_OUT_OF_BOUNDS);
  const user = context.users.findUser(username);
  if (!user) return fail(404, 6, USER_NOT_FOUND);
  if (user.isPrivate) return fail(403, 17);

  const window = { from: parseTime(params.get("from")), to: parseTime(params.get("to")) };
  let served = page;
  let result = context.users.pageScrobbles(user.username, window, limit, page);
  const lastPage = Math.max(1, Math.ceil(result.total / limit));
  if (page > lastPage && context.options.pagePastEnd === "clamp") {
    served = lastPage;
    result = context.users.pageScrobbles(user.username, window, limit, served);
  }
  const nowPlaying =
    served === 1
      ? context.users.playingTrack(user.username, context.nowMs, nowPlayingShare(user, context.options.nowPlaying))
      : undefined;
  const shown = {
    user: user.username,
    page: served,
    perPage: limit,
    total: result.total,
    nowPlaying,
    items: result.items,
    isExtended: params.get("extended") === "1",
    isWindowed: window.from !== undefined || window.to !== undefined,
    emptyWindowTrack: context.options.emptyWindowTrack,
    windowedSingleItemAsObject: context.options.windowedSingleItemAsObject,
  };
  const body = format === "json" ? okJsonText(yield* recentTracksText(shown)) : okBody(recentTracksJson(shown), format);
  return { body, username: user.username, itemCount: result.items.length + (nowPlaying ? 1 : 0) };
}

/**
 * user.getWeeklyAlbumChart over any range: one chart of the albums played in [from, to] (`to` counted
 * in, as fmbot's "+1 year − 1 s" implies), ranked by plays, cut at `limit`. Plays without an album name
 * cannot be in it. With `from` or `to` missing Last.fm answers the latest week.
 */
function* answerAlbumChart(
  params: URLSearchParams,
  context: ApiContext,
  fail: (status: number, code: ErrorCode, message?: string) => ApiAnswer,
): Generator<void, ApiAnswer, void> {
  const format = responseFormat(params);
  const limit = parseCount(params.get("limit"), context.options.albumChartDefaultLimit);
  if (limit === undefined || limit < 1 || limit > 1000) return fail(400, 6, LIMIT_OUT_OF_BOUNDS);
  const user = context.users.findUser(params.get("user") ?? "");
  if (!user) return fail(404, 6, USER_NOT_FOUND);
  if (user.isPrivate) return fail(403, 17);
  let from = parseTime(params.get("from"));
  let to = parseTime(params.get("to"));
  if (from === undefined || to === undefined) {
    to = Math.floor(context.nowMs / 1000);
    from = to - WEEK;
  }
  const albums = new Map<string, ChartAlbum>();
  let read = 0;
  for (const play of context.users.eachScrobble(user.username, from, to + 1)) {
    if (++read % PLAYS_PER_TURN === 0) yield;
    if (!play.album) continue;
    const key = `${play.artist}\u0000${play.album}`;
    const album = albums.get(key);
    if (album) {
      album.playcount++;
      if (!album.mbid) album.mbid = play.albumMbid;
    } else {
      albums.set(key, {
        name: play.album,
        mbid: play.albumMbid,
        artist: play.artist,
        artistMbid: play.artistMbid,
        playcount: 1,
      });
    }
  }
  const ranked = [...albums.values()]
    .sort((a, b) => b.playcount - a.playcount || a.artist.localeCompare(b.artist) || a.name.localeCompare(b.name))
    .slice(0, limit);
  const chart = { user: user.username, from, to, albums: ranked };
  return {
    body: format === "json" ? okJsonText(yield* albumChartText(chart)) : okBody(albumChartJson(chart), format),
    username: user.username,
    itemCount: ranked.length,
  };
}
