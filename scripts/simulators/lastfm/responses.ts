// Bodies and bytes as Last.fm sends them: compact JSON with `\/` escapes and raw UTF-8,
// every scalar a string, the XML translation, error bodies and the HTML pages.
import type { PlayingTrack, ScrobbleRecord, UserInfo } from "./users";

export type Body = { status: number; contentType: string; text: string };
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export const ERROR_MESSAGES = {
  3: "Invalid Method - No method with that name in this package",
  6: "Invalid parameters - Your request is missing a required parameter",
  8: "Operation failed - Most likely the backend service failed. Please try again.",
  10: "Invalid API key - You must be granted a valid key by last.fm",
  11: "Service Offline - This service is temporarily offline. Try again later.",
  16: "There was a temporary error processing your request. Please try again",
  17: "Login: User required to be logged in",
  26: "API Key Suspended - This application is not allowed to make requests to the web services",
  29: "Rate Limit Exceeded - This application has made too many requests in a short period. If this is your API key, see https://www.last.fm/api/tos#4.4 for information about raising the limit.",
} as const;
export type ErrorCode = keyof typeof ERROR_MESSAGES;

export const USER_NOT_FOUND = "User not found";
export const LIMIT_OUT_OF_BOUNDS = "limit param out of bounds (1-1000)";
export const PAGE_OUT_OF_BOUNDS = "page param out of bounds (1-1000000)";

/** The headers of a recorded 200 (tests/fixtures/lastfm/recenttracks_page1_limit200_interaction.yaml). */
export const API_HEADERS = {
  server: "openresty",
  via: "1.1 google",
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "POST, GET, OPTIONS",
  "access-control-max-age": "86400",
};

const IMAGE_SIZES = [
  ["small", "34s"],
  ["medium", "64s"],
  ["large", "174s"],
  ["extralarge", "300x300"],
] as const;
const ARTIST_PLACEHOLDER = "2a96cbd8b46e442fc41c2b86b821562f";
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** JSON as Last.fm writes it: compact, raw UTF-8, and every "/" escaped. */
export function serializeJson(value: unknown): string {
  return JSON.stringify(value).replaceAll("/", "\\/");
}

/** Last.fm's path encoding: "+" for spaces, %27 for apostrophes, "&" and "," left alone. */
export function encodeMusicPath(name: string): string {
  return encodeURIComponent(name)
    .replaceAll("%20", "+")
    .replaceAll("'", "%27")
    .replaceAll("%26", "&")
    .replaceAll("%2C", ",");
}

/** "03 Jul 2026, 07:25" (UTC, zero-padded day). */
export function formatDate(uts: number): string {
  const d = new Date(uts * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

function images(hash: string, extension: "jpg" | "png"): Json[] {
  return IMAGE_SIZES.map(([size, dir]) => ({
    size,
    "#text": hash ? `https://lastfm.freetls.fastly.net/i/u/${dir}/${hash}.${extension}` : "",
  }));
}

/** One `track` item; a PlayingTrack without `uts` is the now-playing item. */
export function trackJson(track: PlayingTrack & { uts?: number }, isExtended: boolean): Json {
  const artistUrl = `https://www.last.fm/music/${encodeMusicPath(track.artist)}`;
  const item: Record<string, Json> = {
    artist: isExtended
      ? { url: artistUrl, name: track.artist, image: images(ARTIST_PLACEHOLDER, "png"), mbid: "" }
      : { mbid: track.artistMbid, "#text": track.artist },
    streamable: "0",
    image: images(track.imageHash, "jpg"),
    mbid: track.mbid,
    album: { mbid: track.albumMbid, "#text": track.album },
    name: track.name,
  };
  if (track.uts === undefined) item["@attr"] = { nowplaying: "true" };
  item.url = `${artistUrl}/_/${encodeMusicPath(track.name)}`;
  if (track.uts !== undefined) item.date = { uts: String(track.uts), "#text": formatDate(track.uts) };
  if (isExtended) item.loved = track.isLoved ? "1" : "0";
  return item;
}

export type RecentTracksPage = {
  user: string;
  page: number;
  perPage: number;
  total: number;
  nowPlaying?: PlayingTrack;
  items: ScrobbleRecord[];
  isExtended: boolean;
  isWindowed: boolean;
  emptyWindowTrack: "array" | "missing";
  windowedSingleItemAsObject: boolean;
};

function recentTracksAttr(p: RecentTracksPage) {
  return {
    user: p.user,
    totalPages: String(Math.ceil(p.total / p.perPage)),
    page: String(p.page),
    perPage: String(p.perPage),
    total: String(p.total),
  };
}

export function recentTracksJson(p: RecentTracksPage): Json {
  const tracks = [...(p.nowPlaying ? [p.nowPlaying] : []), ...p.items].map((t) => trackJson(t, p.isExtended));
  const attr = recentTracksAttr(p);
  if (p.isWindowed && tracks.length === 0 && p.emptyWindowTrack === "missing")
    return { recenttracks: { "@attr": attr } };
  const track = p.isWindowed && tracks.length === 1 && p.windowedSingleItemAsObject ? tracks[0] : tracks;
  return { recenttracks: { track, "@attr": attr } };
}

/** Items shaped and serialized per chunk: about a millisecond of work between two turns. */
const ITEMS_PER_TURN = 100;
const ITEMS_MARK = "@@items@@";

/**
 * `serializeJson(shell)` with the array `items.map(toJson)` where the shell holds ITEMS_MARK: the same
 * text, built a chunk of items at a time, yielding between chunks (see answerApiInTurns).
 */
function* serializeWithItems<T>(
  shell: Json,
  items: readonly T[],
  toJson: (item: T, index: number) => Json,
): Generator<void, string, void> {
  const parts: string[] = [];
  for (let start = 0; start < items.length; start += ITEMS_PER_TURN) {
    const chunk = items.slice(start, start + ITEMS_PER_TURN).map((item, k) => toJson(item, start + k));
    parts.push(serializeJson(chunk).slice(1, -1));
    yield;
  }
  return serializeJson(shell).replace(`"${ITEMS_MARK}"`, () => `[${parts.join(",")}]`);
}

/** The JSON text of `recentTracksJson(p)`, built in turns. */
export function* recentTracksText(p: RecentTracksPage): Generator<void, string, void> {
  const count = p.items.length + (p.nowPlaying ? 1 : 0);
  // A missing or single-object `track` is small and shaped otherwise.
  if (p.isWindowed && count <= 1) return serializeJson(recentTracksJson(p));
  const tracks = [...(p.nowPlaying ? [p.nowPlaying] : []), ...p.items];
  const shell = { recenttracks: { track: ITEMS_MARK, "@attr": recentTracksAttr(p) } };
  return yield* serializeWithItems(shell, tracks, (t) => trackJson(t, p.isExtended));
}

export type ChartAlbum = { name: string; mbid: string; artist: string; artistMbid: string; playcount: number };

/** The recorded shape (fixture weeklyalbumchart_2023-01-01_to_2023-10-15.json): no images, no totals, no paging. */
type AlbumChart = { user: string; from: number; to: number; albums: ChartAlbum[] };

function chartAlbumJson(album: ChartAlbum, index: number): Json {
  return {
    artist: { mbid: album.artistMbid, "#text": album.artist },
    mbid: album.mbid,
    url: `https://www.last.fm/music/${encodeMusicPath(album.artist)}/${encodeMusicPath(album.name)}`,
    name: album.name,
    "@attr": { rank: String(index + 1) },
    playcount: String(album.playcount),
  };
}

function albumChartShell(chart: AlbumChart, album: Json): Json {
  return { weeklyalbumchart: { album, "@attr": { from: String(chart.from), user: chart.user, to: String(chart.to) } } };
}

export function albumChartJson(chart: AlbumChart): Json {
  return albumChartShell(chart, chart.albums.map(chartAlbumJson));
}

/** The JSON text of `albumChartJson(chart)`, built in turns. */
export function albumChartText(chart: AlbumChart): Generator<void, string, void> {
  return serializeWithItems(albumChartShell(chart, ITEMS_MARK), chart.albums, chartAlbumJson);
}

export function userInfoJson(user: UserInfo, playcount: number, avatarHash: string): Json {
  return {
    user: {
      playlists: "0",
      playcount: String(playcount),
      gender: "n",
      name: user.username,
      subscriber: "0",
      url: `https://www.last.fm/user/${user.username}`,
      country: user.country,
      image: images(user.hasAvatar ? avatarHash : "", "png"),
      registered: { unixtime: String(user.registered), "#text": user.registered },
      type: "user",
      age: "0",
      bootstrap: "0",
      realname: user.realname,
    },
  };
}

function escapeXml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

/** The reverse of Last.fm's mechanical XML → JSON translation: `@attr` and the scalar siblings of `#text` become attributes. */
function xmlElement(name: string, value: Json): string {
  if (Array.isArray(value)) return value.map((item) => xmlElement(name, item)).join("\n");
  if (value === null || typeof value !== "object") return `<${name}>${escapeXml(String(value))}</${name}>`;
  const hasText = "#text" in value;
  const attributes: string[] = [];
  const children: string[] = [];
  for (const [key, member] of Object.entries(value)) {
    if (key === "#text") continue;
    if (key === "@attr" && member && typeof member === "object" && !Array.isArray(member)) {
      for (const [attribute, text] of Object.entries(member))
        attributes.push(` ${attribute}="${escapeXml(String(text))}"`);
    } else if (hasText && (member === null || typeof member !== "object")) {
      attributes.push(` ${key}="${escapeXml(String(member))}"`);
    } else {
      children.push(xmlElement(key, member));
    }
  }
  const text = hasText ? escapeXml(String(value["#text"])) : "";
  const inner = children.length ? `\n${children.join("\n")}\n` : text;
  return `<${name}${attributes.join("")}>${inner}</${name}>`;
}

function xmlDocument(status: "ok" | "failed", inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<lfm status="${status}">\n${inner}</lfm>\n`;
}

/** A 200 with JSON text already serialized (by serializeJson or in turns). */
export function okJsonText(text: string): Body {
  return { status: 200, contentType: "application/json", text };
}

export function okBody(json: Json, format: "json" | "xml"): Body {
  if (format === "json") return { status: 200, contentType: "application/json", text: serializeJson(json) };
  const inner = Object.entries(json as Record<string, Json>)
    .map(([name, member]) => xmlElement(name, member))
    .join("\n");
  return { status: 200, contentType: "text/xml; charset=utf-8", text: xmlDocument("ok", `${inner}\n`) };
}

export function errorBody(status: number, code: number, message: string, format: "json" | "xml"): Body {
  if (format === "json")
    return { status, contentType: "application/json", text: serializeJson({ message, error: code }) };
  return {
    status,
    contentType: "text/xml; charset=utf-8",
    text: xmlDocument("failed", `<error code="${code}">${escapeXml(message)}</error>\n`),
  };
}

export const HTML_500: Body = {
  status: 500,
  contentType: "text/html",
  text: "<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n<center><h1>500 Internal Server Error</h1></center>\r\n<hr><center>openresty</center>\r\n</body>\r\n</html>\r\n",
};

function htmlPage(title: string, body: string): string {
  return `<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>${escapeXml(title)}</title></head>\n<body>\n${body}\n</body>\n</html>\n`;
}

export function profilePage(username: string): Body {
  return {
    status: 200,
    contentType: "text/html; charset=utf-8",
    text: htmlPage(`${username}’s Music Profile | Last.fm`, `<h1 class="header-title">${escapeXml(username)}</h1>`),
  };
}

export const PAGE_NOT_FOUND: Body = {
  status: 404,
  contentType: "text/html; charset=utf-8",
  text: htmlPage("Page Not Found | Last.fm", "<h1>Page not found</h1>"),
};

/** The firewall interstitial (title "Last.fm - Rate Limited", "Your request was blocked"), served with a non-2xx status. */
export function blockedPage(status: 406 | 429): Body {
  return {
    status,
    contentType: "text/html; charset=utf-8",
    text: htmlPage(
      "Last.fm - Rate Limited",
      `<h1>Your request was blocked</h1>\n<p>Our firewall flagged this request. Try again later.</p>\n<div id="error">Error ${status}</div>`,
    ),
  };
}
