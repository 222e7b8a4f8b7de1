// The simulator against every recorded Last.fm response in tests/fixtures/lastfm: same keys
// (recursively, order-insensitive), same JSON types, same error bodies and statuses, same
// headers and byte conventions. Each case asks the simulator for the situation the fixture recorded.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { gunzipSync } from "node:zlib";
import type { LastfmSimulator } from "./server";
import { startLastfmSimulator } from "./server";
import { type AnyJson, callApi, parse, recentTracks, yearStart } from "./test-support";
import { listScrobbles } from "./users";

const FIXTURES = new URL("../../../tests/fixtures/lastfm/", import.meta.url);

function fixtureText(name: string): string {
  const bytes = readFileSync(new URL(name, FIXTURES));
  return (name.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8");
}

type Shape = string | Shape[] | { [key: string]: Shape };

/** Keys (sorted) and JSON types, recursively; an array becomes the set of its elements' shapes. */
function shapeOf(value: AnyJson): Shape {
  if (value === null) return "null";
  if (Array.isArray(value)) {
    const shapes = new Map(value.map((item) => [JSON.stringify(shapeOf(item)), shapeOf(item)]));
    return [...shapes.keys()].sort().map((key) => shapes.get(key) as Shape);
  }
  if (typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, shapeOf(value[key])]),
    );
  }
  return typeof value;
}

/** What the raw recorded body shows: compact, every "/" escaped, non-ASCII raw. */
function assertLastfmEncoding(text: string): void {
  assert.equal(text, JSON.stringify(JSON.parse(text)).replaceAll("/", "\\/"), "compact JSON with \\/ escapes");
  assert.doesNotMatch(text, /(^|[^\\])\//, "no unescaped slash");
  assert.doesNotMatch(text, /\\u[0-9a-fA-F]{4}/, "no \\u escapes");
}

const HOUR = 3600;
let sim: LastfmSimulator;

before(async () => {
  sim = await startLastfmSimulator({ rateLimitPerSecond: 0, liveScrobbleIntervalMs: 0 });
});

after(async () => {
  await sim.close();
});

test("recenttracks_window_6tracks_raw.json – a windowed page of 6 has the recorded keys, types and byte encoding", async () => {
  const fixture = fixtureText("recenttracks_window_6tracks_raw.json");
  assertLastfmEncoding(fixture);
  // Six consecutive scrobbles of a user who is not playing, one of them with a non-ASCII name.
  const truth = listScrobbles("LightLeo", yearStart(2023), yearStart(2024));
  const index = truth.findIndex((s, i) => i >= 5 && /[\u0080-\uffff]/.test(s.name + s.artist + s.album));
  const window = { from: truth[index].uts, to: truth[index - 5].uts + 1 };

  const response = await recentTracks(sim, { user: "LightLeo", limit: 200, ...window });

  assert.equal(response.status, 200);
  const body = parse(response);
  assert.equal(body.recenttracks.track.length, 6);
  assert.deepEqual(shapeOf(body), shapeOf(JSON.parse(fixture)));
  assertLastfmEncoding(response.text);
  assert.match(response.text, /[\u0080-\uffff]/, "raw UTF-8 in the body");
});

test("recenttracks_day_window_extended_nowplaying.json.gz – an extended day window with a now-playing item matches", async () => {
  const fixture = JSON.parse(fixtureText("recenttracks_day_window_extended_nowplaying.json.gz"));
  const day = listScrobbles("VinylVera", yearStart(2023), yearStart(2024))[100].uts;
  const from = day - (day % (24 * HOUR));

  const response = await recentTracks(sim, { user: "VinylVera", limit: 200, extended: 1, from, to: from + 24 * HOUR });

  assert.equal(response.status, 200);
  const body = parse(response);
  assert.equal(body.recenttracks.track.length, Number(body.recenttracks["@attr"].total) + 1);
  assert.deepEqual(shapeOf(body), shapeOf(fixture));
});

test("recenttracks_extended_nowplaying_limit1.json – extended limit=1 while playing gives now-playing plus one", async () => {
  const fixture = JSON.parse(fixtureText("recenttracks_extended_nowplaying_limit1.json"));

  const response = await recentTracks(sim, { user: "NightBusNico", limit: 1, extended: 1 });

  assert.equal(response.status, 200);
  assert.equal(parse(response).recenttracks.track.length, 2);
  assert.deepEqual(shapeOf(parse(response)), shapeOf(fixture));
});

test("recenttracks_limit1.json – unwindowed limit=1 of a user not playing is a one-element array", async () => {
  const fixture = JSON.parse(fixtureText("recenttracks_limit1.json"));

  const response = await recentTracks(sim, { user: "LightLeo", limit: 1 });

  assert.equal(response.status, 200);
  assert.ok(Array.isArray(parse(response).recenttracks.track));
  assert.deepEqual(shapeOf(parse(response)), shapeOf(fixture));
});

test("recenttracks_nowplaying_empty_album.json – a default page while playing has the recorded keys and types", async () => {
  const fixture = JSON.parse(fixtureText("recenttracks_nowplaying_empty_album.json"));

  const response = await recentTracks(sim, { user: "DadRockDan" });

  assert.equal(response.status, 200);
  const body = parse(response);
  assert.equal(body.recenttracks["@attr"].perPage, "50");
  assert.equal(body.recenttracks.track.length, 51);
  assert.deepEqual(shapeOf(body), shapeOf(fixture));
});

test("userinfo.json – user.getInfo has the recorded keys and types (registered #text a number)", async () => {
  const fixture = JSON.parse(fixtureText("userinfo.json"));

  const response = await callApi(sim, { method: "user.getinfo", user: "VinylVera" });

  assert.equal(response.status, 200);
  assert.deepEqual(shapeOf(parse(response)), shapeOf(fixture));
  assertLastfmEncoding(response.text);
});

test("error_6_user_not_found_http404.json – an unknown user gets the recorded body with HTTP 404", async () => {
  const response = await recentTracks(sim, { user: "NoSuchUserHere" });

  assert.equal(response.status, 404);
  assert.deepEqual(parse(response), JSON.parse(fixtureText("error_6_user_not_found_http404.json")));
});

test("error_17_login_required_http403.json – a private user gets the recorded body with HTTP 403", async () => {
  const response = await recentTracks(sim, { user: "PrivatePat" });

  assert.equal(response.status, 403);
  assert.deepEqual(parse(response), JSON.parse(fixtureText("error_17_login_required_http403.json")));
});

/** The response headers of the cassette: `name:\n- value` pairs under `response: headers:`. */
function recordedHeaders(yaml: string): { status: number; headers: Map<string, string> } {
  const response = yaml.slice(yaml.indexOf("  response:"));
  const status = Number(/status: (\d+)/.exec(response)?.[1]);
  const block = response.slice(response.indexOf("headers:"), response.indexOf("body_file:"));
  const headers = new Map([...block.matchAll(/^ {6}([\w-]+):\n {6}- '?(.*?)'?$/gm)].map((m) => [m[1], m[2]]));
  return { status, headers };
}

test("recenttracks_page1_limit200_interaction.yaml – a limit=200 page carries the recorded status and headers", async () => {
  const recorded = recordedHeaders(fixtureText("recenttracks_page1_limit200_interaction.yaml"));
  assert.ok(recorded.headers.size >= 8, "the cassette's headers were read");

  const response = await recentTracks(sim, { user: "HeavyHanna", page: 1, limit: 200 });

  assert.equal(response.status, recorded.status);
  for (const [name, value] of recorded.headers) {
    if (name === "alt-svc") continue; // an HTTP/3 advertisement of the real host, meaningless here
    assert.ok(response.headers.has(name), `header ${name}`);
    if (name === "date") continue;
    const expected = name === "content-length" ? String(Buffer.byteLength(response.text)) : value;
    assert.equal(response.headers.get(name), expected, `header ${name}`);
  }
  assert.equal(parse(response).recenttracks.track.length, 201);
});

test("weeklyalbumchart_2023-01-01_to_2023-10-15.json – an album chart over any range has the recorded keys and types, the range echoed exactly", async () => {
  const fixture = JSON.parse(fixtureText("weeklyalbumchart_2023-01-01_to_2023-10-15.json"));
  const from = yearStart(2023);
  const to = 1697379092; // 2023-10-15T14:11:32Z, not a chart-week boundary

  const response = await callApi(sim, { method: "user.getweeklyalbumchart", user: "vinylvera", from, to, limit: 1000 });

  assert.equal(response.status, 200);
  const body = parse(response);
  assert.deepEqual(shapeOf(body), shapeOf(fixture));
  assert.deepEqual(body.weeklyalbumchart["@attr"], { from: String(from), user: "VinylVera", to: String(to) });
  assertLastfmEncoding(response.text);
});

test("user.getWeeklyAlbumChart – ranked by plays, the plays of the range without album-less ones, cut at `limit`", async () => {
  const from = yearStart(2023);
  const to = yearStart(2024) - 1;
  const truth = listScrobbles("HeavyHanna", from, to + 1);
  const withAlbum = truth.filter((play) => play.album !== "");
  const albums = new Set(withAlbum.map((play) => `${play.artist}|${play.album}`));
  assert.ok(albums.size > 1000, `HeavyHanna plays ${albums.size} albums in 2023: more than one chart holds`);

  const full = parse(
    await callApi(sim, { method: "user.getweeklyalbumchart", user: "HeavyHanna", from, to, limit: 1000 }),
  );
  const rows = full.weeklyalbumchart.album;
  assert.equal(rows.length, 1000, "cut at 1,000 rows");
  const counts = rows.map((row: AnyJson) => Number(row.playcount));
  assert.deepEqual(
    counts,
    [...counts].sort((a: number, b: number) => b - a),
    "ranked by plays",
  );
  assert.deepEqual(
    rows.slice(0, 3).map((row: AnyJson) => row["@attr"].rank),
    ["1", "2", "3"],
  );
  const sum = counts.reduce((a: number, b: number) => a + b, 0);
  assert.ok(sum < withAlbum.length && withAlbum.length < truth.length, "the tail and album-less plays are missing");
  const top = rows[0];
  assert.equal(
    Number(top.playcount),
    withAlbum.filter((play) => play.artist === top.artist["#text"] && play.album === top.name).length,
  );

  const five = parse(
    await callApi(sim, { method: "user.getweeklyalbumchart", user: "HeavyHanna", from, to, limit: 5 }),
  );
  assert.deepEqual(five.weeklyalbumchart.album, rows.slice(0, 5), "a smaller limit is the same chart's head");
});

test("user.getWeeklyAlbumChart – a light year is whole; limit out of 1–1000 is error 6; a missing `to` gives the latest week", async () => {
  const from = yearStart(2023);
  const to = yearStart(2024) - 1;
  const truth = listScrobbles("LightLeo", from, to + 1).filter((play) => play.album !== "");
  const chart = parse(
    await callApi(sim, { method: "user.getweeklyalbumchart", user: "LightLeo", from, to, limit: 1000 }),
  );
  const sum = chart.weeklyalbumchart.album.reduce((total: number, row: AnyJson) => total + Number(row.playcount), 0);
  assert.equal(sum, truth.length);

  for (const limit of [0, 1001]) {
    const response = await callApi(sim, { method: "user.getweeklyalbumchart", user: "LightLeo", from, to, limit });
    assert.equal(response.status, 400);
    assert.deepEqual(parse(response), { message: "limit param out of bounds (1-1000)", error: 6 });
  }
  const latest = parse(await callApi(sim, { method: "user.getweeklyalbumchart", user: "LightLeo", from }));
  const attr = latest.weeklyalbumchart["@attr"];
  assert.equal(Number(attr.to) - Number(attr.from), 7 * 86_400, "from alone is ignored: the latest week");
  assert.ok(latest.weeklyalbumchart.album.length <= 50, "without a limit: a default the client must not rely on");
});
