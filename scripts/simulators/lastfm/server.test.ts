// The simulator's behaviours over HTTP, one test each. Every test starts its own simulator.
import assert from "node:assert/strict";
import { test } from "node:test";
import { FAULT_KINDS, type FaultKind, SIM_API_KEY, SUSPENDED_API_KEY } from "./options";
import { DEMO_USERS, type LastfmSimulator, startLastfmSimulator } from "./server";
import { type AnyJson, callApi, parse, recentTracks, tracksOf, withSimulator, yearStart } from "./test-support";

const Y2024 = yearStart(2024);
const Y2025 = yearStart(2025);

function utsOf(items: AnyJson[]): number[] {
  return items.filter((t) => t.date).map((t) => Number(t.date.uts));
}

function errorOf(response: { status: number; text: string }) {
  return { status: response.status, body: JSON.parse(response.text) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// --- user.getRecentTracks ---------------------------------------------------------------

test("from is inclusive and to is exclusive (half-open window)", async () => {
  await withSimulator({}, async (sim) => {
    const year = parse(await recentTracks(sim, { user: "BoundaryBen", from: Y2024, to: Y2025, limit: 1000 }));
    const next = parse(await recentTracks(sim, { user: "BoundaryBen", from: Y2025, to: Y2025 + 1 }));

    const uts = utsOf(tracksOf(year));
    assert.ok(uts.includes(Y2024), "the scrobble at from is in");
    assert.ok(uts.includes(Y2025 - 1), "the last second before to is in");
    assert.ok(!uts.includes(Y2025), "the scrobble at to is out");
    assert.equal(Number(year.recenttracks["@attr"].total), sim.users.countScrobbles("BoundaryBen", Y2024, Y2025));
    assert.deepEqual(utsOf(tracksOf(next)), [Y2025]);

    const truth = sim.users.listScrobbles("LightLeo", yearStart(2023), Y2024).map((s) => s.uts);
    const inside = parse(await recentTracks(sim, { user: "LightLeo", from: truth[10], to: truth[3] }));
    assert.deepEqual(utsOf(tracksOf(inside)), truth.slice(4, 11));
    assert.equal(inside.recenttracks["@attr"].total, "7");
  });
});

test("limit outside 1–1000 is error 6 'limit param out of bounds (1-1000)' with HTTP 400", async () => {
  await withSimulator({}, async (sim) => {
    for (const limit of ["0", "1001", "-1", "many"]) {
      assert.deepEqual(errorOf(await recentTracks(sim, { user: "LightLeo", limit })), {
        status: 400,
        body: { message: "limit param out of bounds (1-1000)", error: 6 },
      });
    }
    assert.equal(tracksOf(parse(await recentTracks(sim, { user: "LightLeo", limit: 1000 }))).length, 1000);
    assert.equal(tracksOf(parse(await recentTracks(sim, { user: "LightLeo", limit: 1 }))).length, 1);
    assert.equal(parse(await recentTracks(sim, { user: "LightLeo" })).recenttracks["@attr"].perPage, "50");
  });
});

test("page below 1 is error 6 'page param out of bounds (1-1000000)' with HTTP 400", async () => {
  await withSimulator({}, async (sim) => {
    for (const page of ["0", "-3", "1000001"]) {
      assert.deepEqual(errorOf(await recentTracks(sim, { user: "LightLeo", page })), {
        status: 400,
        body: { message: "page param out of bounds (1-1000000)", error: 6 },
      });
    }
  });
});

test("tracks come newest first and paging through a window returns exactly the truth", async () => {
  await withSimulator({}, async (sim) => {
    const window = { from: yearStart(2023), to: yearStart(2024) };
    const seen: number[] = [];
    for (let page = 1; ; page++) {
      const items = tracksOf(parse(await recentTracks(sim, { user: "LightLeo", limit: 50, page, ...window })));
      if (items.length === 0) break;
      seen.push(...utsOf(items));
    }
    const truth = sim.users.listScrobbles("LightLeo", window.from, window.to).map((s) => s.uts);
    assert.deepEqual(seen, truth);
    assert.ok(
      seen.every((uts, i) => i === 0 || uts <= seen[i - 1]),
      "descending",
    );
  });
});

test("total and totalPages describe the window (ceil), and are '0' for an empty one", async () => {
  await withSimulator({}, async (sim) => {
    const full = parse(await recentTracks(sim, { user: "HeavyHanna", from: yearStart(2023), to: Y2024, limit: 200 }));
    const small = parse(await recentTracks(sim, { user: "LightLeo", from: yearStart(2023), to: Y2024, limit: 7 }));
    const empty = parse(await recentTracks(sim, { user: "EmptyYearEmma", from: yearStart(2021), to: yearStart(2022) }));

    assert.deepEqual(
      { total: full.recenttracks["@attr"].total, totalPages: full.recenttracks["@attr"].totalPages },
      { total: "30000", totalPages: "150" },
    );
    const leo = sim.users.countScrobbles("LightLeo", yearStart(2023), Y2024);
    assert.equal(small.recenttracks["@attr"].totalPages, String(Math.ceil(leo / 7)));
    assert.deepEqual(empty.recenttracks["@attr"], {
      user: "EmptyYearEmma",
      totalPages: "0",
      page: "1",
      perPage: "50",
      total: "0",
    });
  });
});

test("a now-playing item (no date) is prepended to page 1 of a past window, beyond limit and outside total", async () => {
  await withSimulator({}, async (sim) => {
    const window = { from: yearStart(2019), to: yearStart(2020) };
    const page1 = parse(await recentTracks(sim, { user: "VinylVera", limit: 5, ...window }));
    const page2 = parse(await recentTracks(sim, { user: "VinylVera", limit: 5, page: 2, ...window }));

    const [playing, ...dated] = tracksOf(page1);
    assert.equal(tracksOf(page1).length, 6);
    assert.deepEqual(playing["@attr"], { nowplaying: "true" });
    assert.equal(playing.date, undefined);
    const truth = sim.users.listScrobbles("VinylVera", window.from, window.to).map((s) => s.uts);
    assert.deepEqual(utsOf(dated), truth.slice(0, 5));
    assert.equal(page1.recenttracks["@attr"].total, String(truth.length));
    assert.equal(tracksOf(page2).length, 5);
    assert.ok(tracksOf(page2).every((t) => t["@attr"] === undefined && t.date));
  });
});

test("the now-playing item can be switched off per user", async () => {
  await withSimulator({ nowPlaying: { VINYLVERA: false } }, async (sim) => {
    const items = tracksOf(parse(await recentTracks(sim, { user: "VinylVera", limit: 5 })));

    assert.equal(items.length, 5);
    assert.ok(items.every((t) => t.date));
  });
});

test("a windowed page with a single item carries it as a bare object; unwindowed it stays an array", async () => {
  await withSimulator({}, async (sim) => {
    const windowed = parse(
      await recentTracks(sim, { user: "OneScrobbleOlga", from: yearStart(2022), to: yearStart(2023) }),
    );
    const unwindowed = parse(await recentTracks(sim, { user: "OneScrobbleOlga", limit: 1 }));

    assert.equal(windowed.recenttracks["@attr"].total, "1");
    assert.ok(!Array.isArray(windowed.recenttracks.track));
    assert.equal(windowed.recenttracks.track.date.uts, String(Date.UTC(2022, 6, 14, 18, 30) / 1000));
    assert.ok(Array.isArray(unwindowed.recenttracks.track));
    assert.equal(unwindowed.recenttracks.track.length, 1);

    sim.configure({ windowedSingleItemAsObject: false });
    const asArray = parse(
      await recentTracks(sim, { user: "OneScrobbleOlga", from: yearStart(2022), to: yearStart(2023) }),
    );
    assert.ok(Array.isArray(asArray.recenttracks.track));
  });
});

test("an empty window answers track [] by default and no track member when emptyWindowTrack is 'missing'", async () => {
  await withSimulator({}, async (sim) => {
    const window = { from: yearStart(2021), to: yearStart(2022) };
    const asArray = parse(await recentTracks(sim, { user: "EmptyYearEmma", ...window }));
    sim.configure({ emptyWindowTrack: "missing" });
    const missing = parse(await recentTracks(sim, { user: "EmptyYearEmma", ...window }));

    assert.deepEqual(asArray.recenttracks.track, []);
    assert.ok(!("track" in missing.recenttracks));
    assert.equal(missing.recenttracks["@attr"].total, "0");
  });
});

test("a page past the end answers 200 with no tracks and the real totals (or the last page when clamped)", async () => {
  await withSimulator({}, async (sim) => {
    const window = { from: yearStart(2023), to: Y2024 };
    const total = sim.users.countScrobbles("LightLeo", window.from, window.to);
    const past = await recentTracks(sim, { user: "LightLeo", page: 99, limit: 50, ...window });

    assert.equal(past.status, 200);
    assert.deepEqual(parse(past).recenttracks, {
      track: [],
      "@attr": {
        user: "LightLeo",
        totalPages: String(Math.ceil(total / 50)),
        page: "99",
        perPage: "50",
        total: String(total),
      },
    });

    sim.configure({ pagePastEnd: "clamp" });
    const clamped = parse(await recentTracks(sim, { user: "LightLeo", page: 99, limit: 50, ...window }));
    assert.equal(clamped.recenttracks["@attr"].page, String(Math.ceil(total / 50)));
    assert.equal(tracksOf(clamped).length, total % 50 || 50);
  });
});

test("extended=1 gives artist {url, name, image, mbid ''} and loved on every item", async () => {
  await withSimulator({}, async (sim) => {
    const items = tracksOf(parse(await recentTracks(sim, { user: "HeavyHanna", limit: 200, extended: 1 })));

    for (const item of items) {
      assert.deepEqual(Object.keys(item.artist).sort(), ["image", "mbid", "name", "url"]);
      assert.equal(item.artist.mbid, "");
      assert.equal(item.artist.image.length, 4);
      assert.match(item.loved, /^[01]$/);
    }
    assert.ok(items.some((t) => t.loved === "1"));
  });
});

test("method and user are matched case-insensitively and @attr.user carries the canonical casing", async () => {
  await withSimulator({}, async (sim) => {
    const response = await callApi(sim, { method: "User.GetRecentTracks", user: "hEAVYhANNA", limit: 1 });

    assert.equal(response.status, 200);
    assert.equal(parse(response).recenttracks["@attr"].user, "HeavyHanna");
  });
});

test("bodies are compact JSON with \\/ escapes, raw UTF-8 and only string scalars, sent with Last.fm's headers", async () => {
  await withSimulator({}, async (sim) => {
    const response = await recentTracks(sim, { user: "HeavyHanna", limit: 1000, from: Y2024, to: Y2025 });

    assert.equal(response.headers.get("content-type"), "application/json");
    assert.equal(response.headers.get("server"), "openresty");
    assert.equal(response.headers.get("via"), "1.1 google");
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
    assert.equal(response.text, JSON.stringify(JSON.parse(response.text)).replaceAll("/", "\\/"));
    assert.doesNotMatch(response.text, /\\u[0-9a-f]{4}/i);
    assert.match(response.text, /[\u0080-\uffff]/);
    const scalars: unknown[] = [];
    const walk = (value: AnyJson) =>
      value !== null && typeof value === "object" ? Object.values(value).forEach(walk) : scalars.push(value);
    walk(parse(response));
    assert.ok(scalars.every((value) => typeof value === "string"));
  });
});

test("scrobbles carry realistic gaps: empty mbids, empty album names and empty image URLs", async () => {
  await withSimulator({}, async (sim) => {
    const items = tracksOf(parse(await recentTracks(sim, { user: "HeavyHanna", limit: 1000, from: Y2024, to: Y2025 })));
    const share = (predicate: (t: AnyJson) => boolean) => items.filter(predicate).length / items.length;

    assert.ok(share((t) => t.album.mbid === "") > 0.2);
    assert.ok(share((t) => t.album["#text"] === "") > 0.01);
    assert.ok(share((t) => t.mbid === "") > 0.25);
    assert.ok(share((t) => t.artist.mbid === "") > 0.05);
    assert.ok(share((t) => t.image.every((i: AnyJson) => i["#text"] === "")) > 0.02);
    assert.ok(items.every((t) => t.image.map((i: AnyJson) => i.size).join() === "small,medium,large,extralarge"));
  });
});

// --- errors --------------------------------------------------------------------------------

test("a missing user parameter is error 6 'Invalid parameters - Your request is missing a required parameter'", async () => {
  await withSimulator({}, async (sim) => {
    assert.deepEqual(errorOf(await recentTracks(sim, {})), {
      status: 400,
      body: { message: "Invalid parameters - Your request is missing a required parameter", error: 6 },
    });
  });
});

test("a missing or malformed api_key is error 10 with HTTP 403", async () => {
  await withSimulator({}, async (sim) => {
    const expected = {
      status: 403,
      body: { message: "Invalid API key - You must be granted a valid key by last.fm", error: 10 },
    };
    for (const api_key of [undefined, "", "TEST_API_KEY", "0123456789abcdef0123456789abcde", `${SIM_API_KEY}0`]) {
      const url = new URL(sim.apiUrl);
      url.search = new URLSearchParams({ method: "user.getrecenttracks", user: "LightLeo", format: "json" }).toString();
      if (api_key !== undefined) url.searchParams.set("api_key", api_key);
      const response = await fetch(url);
      assert.deepEqual({ status: response.status, body: await response.json() }, expected, `api_key=${api_key}`);
    }
  });
});

test("a suspended api_key is error 26 with HTTP 403", async () => {
  await withSimulator({}, async (sim) => {
    assert.deepEqual(errorOf(await recentTracks(sim, { user: "LightLeo", api_key: SUSPENDED_API_KEY })), {
      status: 403,
      body: {
        message: "API Key Suspended - This application is not allowed to make requests to the web services",
        error: 26,
      },
    });
  });
});

test("an unknown user is error 6 'User not found' with HTTP 404 for both methods", async () => {
  await withSimulator({}, async (sim) => {
    const expected = { status: 404, body: { message: "User not found", error: 6 } };
    assert.deepEqual(errorOf(await recentTracks(sim, { user: "NobodyAtAll" })), expected);
    assert.deepEqual(errorOf(await callApi(sim, { method: "user.getinfo", user: "NobodyAtAll" })), expected);
  });
});

test("PrivatePat's recent tracks are error 17 with HTTP 403 while getInfo works", async () => {
  await withSimulator({}, async (sim) => {
    assert.deepEqual(errorOf(await recentTracks(sim, { user: "privatepat" })), {
      status: 403,
      body: { message: "Login: User required to be logged in", error: 17 },
    });
    const info = await callApi(sim, { method: "user.getinfo", user: "privatepat" });
    assert.equal(info.status, 200);
    assert.equal(parse(info).user.name, "PrivatePat");
  });
});

test("an unknown method is error 3 with HTTP 400", async () => {
  await withSimulator({}, async (sim) => {
    assert.deepEqual(errorOf(await callApi(sim, { method: "user.getweeklychartlist", user: "LightLeo" })), {
      status: 400,
      body: { message: "Invalid Method - No method with that name in this package", error: 3 },
    });
  });
});

test('without format=json the answer is XML: <lfm status="failed"> for errors, <lfm status="ok"> otherwise', async () => {
  await withSimulator({}, async (sim) => {
    const failed = await recentTracks(sim, { user: "NobodyAtAll", format: undefined });
    const ok = await recentTracks(sim, { user: "LightLeo", limit: 2, format: undefined });

    assert.equal(failed.status, 404);
    assert.match(failed.headers.get("content-type") ?? "", /^text\/xml/);
    assert.match(failed.text, /<lfm status="failed">\s*<error code="6">User not found<\/error>\s*<\/lfm>/);
    assert.match(ok.text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<lfm status="ok">/);
    assert.match(ok.text, /<recenttracks user="LightLeo" totalPages="\d+" page="1" perPage="2" total="\d+">/);
    assert.equal(ok.text.match(/<track>/g)?.length, 2);
  });
});

// --- user.getInfo ---------------------------------------------------------------------------

test("user.getInfo gives the canonical name, registered as string unixtime plus numeric #text, and playcount as a string", async () => {
  await withSimulator({}, async (sim) => {
    const { user } = parse(await callApi(sim, { method: "user.getinfo", user: "heavyhanna" }));

    assert.equal(user.name, "HeavyHanna");
    assert.deepEqual(user.registered, {
      unixtime: String(Date.UTC(2012, 4, 2, 10, 15) / 1000),
      "#text": Date.UTC(2012, 4, 2, 10, 15) / 1000,
    });
    assert.match(user.playcount, /^\d+$/);
    assert.ok(Number(user.playcount) > sim.users.countScrobbles("HeavyHanna"), "old imports count in playcount only");
  });
});

// --- rate limit -------------------------------------------------------------------------------

test("calls beyond rateLimitPerSecond within one sliding second get error 29 with HTTP 429, /__stats is not counted", async () => {
  await withSimulator({ rateLimitPerSecond: 5 }, async (sim) => {
    for (let i = 0; i < 6; i++) await fetch(`${sim.url}/__stats`);
    const burst = await Promise.all(Array.from({ length: 8 }, () => recentTracks(sim, { user: "LightLeo", limit: 1 })));
    const limited = burst.filter((r) => r.status === 429);

    assert.equal(burst.filter((r) => r.status === 200).length, 5);
    assert.equal(limited.length, 3);
    assert.deepEqual(JSON.parse(limited[0].text), {
      message:
        "Rate Limit Exceeded - This application has made too many requests in a short period. If this is your API key, see https://www.last.fm/api/tos#4.4 for information about raising the limit.",
      error: 29,
    });
    assert.equal(sim.stats().rateLimited, 3);
    await sleep(1050);
    assert.equal((await recentTracks(sim, { user: "LightLeo", limit: 1 })).status, 200);
  });
});

test("an averaged window refuses calls once its budget is spent even when each second is quiet", async () => {
  await withSimulator(
    { rateLimitPerSecond: 0, rateLimitAveragePerSecond: 1, rateLimitAverageWindowMs: 5000 },
    async (sim) => {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await recentTracks(sim, { user: "LightLeo", limit: 1 })).status);

      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
    },
  );
});

test("stats report maxInAnySecond as the busiest sliding second and count requests by status and method", async () => {
  await withSimulator({}, async (sim) => {
    await Promise.all(Array.from({ length: 4 }, () => recentTracks(sim, { user: "LightLeo", limit: 1 })));
    await sleep(1100);
    await recentTracks(sim, { user: "LightLeo", limit: 1 });
    await callApi(sim, { method: "user.getinfo", user: "Nobody" });
    const stats = await (await fetch(`${sim.url}/__stats`)).json();

    assert.equal(stats.maxInAnySecond, 4);
    assert.equal(stats.requests, 6);
    assert.deepEqual(stats.byStatus, { "200": 5, "404": 1 });
    assert.deepEqual(stats.byMethod, { "user.getrecenttracks": 5, "user.getinfo": 1 });
    assert.ok(stats.maxConcurrent >= 1 && stats.maxConcurrent <= 4);
    assert.equal(stats.rateLimited, 0);
    assert.ok(!Number.isNaN(Date.parse(stats.startedAt)));
  });
});

test("POST /__reset clears the stats and POST /__config changes options at runtime (and rejects bad ones)", async () => {
  await withSimulator({}, async (sim) => {
    await recentTracks(sim, { user: "LightLeo", limit: 1 });
    const reset = await (await fetch(`${sim.url}/__reset`, { method: "POST" })).json();
    const config = await fetch(`${sim.url}/__config`, { method: "POST", body: JSON.stringify({ latencyMs: 150 }) });
    const bad = await fetch(`${sim.url}/__config`, { method: "POST", body: JSON.stringify({ latencyMs: -1 }) });
    const slow = await recentTracks(sim, { user: "LightLeo", limit: 1 });

    assert.equal(reset.requests, 0);
    assert.equal(config.status, 200);
    assert.equal((await config.json()).latencyMs, 150);
    assert.equal(bad.status, 400);
    assert.ok(slow.elapsedMs >= 140, `took ${slow.elapsedMs} ms`);
    assert.equal(sim.stats().requests, 1);
  });
});

test("latencyMs delays every API answer", async () => {
  await withSimulator({ latencyMs: 200 }, async (sim) => {
    const response = await recentTracks(sim, { user: "LightLeo", limit: 1 });

    assert.equal(response.status, 200);
    assert.ok(response.elapsedMs >= 190, `took ${response.elapsedMs} ms`);
  });
});

// --- faults -------------------------------------------------------------------------------------

const ERROR_FAULTS: [FaultKind, number, number, string][] = [
  ["error8-500", 500, 8, "Operation failed - Most likely the backend service failed. Please try again."],
  ["error8-503", 503, 8, "Operation failed - Most likely the backend service failed. Please try again."],
  ["error11", 503, 11, "Service Offline - This service is temporarily offline. Try again later."],
  ["error16", 503, 16, "There was a temporary error processing your request. Please try again"],
  ["user-not-found", 404, 6, "User not found"],
];

for (const [kind, status, code, message] of ERROR_FAULTS) {
  test(`fault ${kind} answers error ${code} with HTTP ${status} when forced`, async () => {
    await withSimulator({ faultRate: 1, faultWeights: { [kind]: 1 } }, async (sim) => {
      assert.deepEqual(errorOf(await recentTracks(sim, { user: "LightLeo", limit: 1 })), {
        status,
        body: { message, error: code },
      });
      assert.deepEqual(sim.stats().faultsInjected, { [kind]: 1 });
    });
  });
}

test("fault error29 answers a rate-limit error with HTTP 429 whatever the limiter says", async () => {
  await withSimulator({ faultRate: 1, faultWeights: { error29: 1 } }, async (sim) => {
    const { status, body } = errorOf(await recentTracks(sim, { user: "LightLeo", limit: 1 }));

    assert.deepEqual({ status, error: body.error }, { status: 429, error: 29 });
    assert.deepEqual(sim.stats().faultsInjected, { error29: 1 });
    assert.equal(sim.stats().rateLimited, 0);
  });
});

test("fault html500 answers openresty's HTML 500 page", async () => {
  await withSimulator({ faultRate: 1, faultWeights: { html500: 1 } }, async (sim) => {
    const response = await recentTracks(sim, { user: "LightLeo", limit: 1 });

    assert.equal(response.status, 500);
    assert.equal(response.headers.get("content-type"), "text/html");
    assert.match(response.text, /<title>500 Internal Server Error<\/title>[\s\S]*<center>openresty<\/center>/);
  });
});

test("fault truncated-json answers 200 with a cut-off body that does not parse", async () => {
  await withSimulator({ faultRate: 1, faultWeights: { "truncated-json": 1 } }, async (sim) => {
    const response = await recentTracks(sim, { user: "LightLeo", limit: 20 });

    assert.equal(response.status, 200);
    assert.match(response.text, /^\{"recenttracks":\{"track":\[/);
    assert.throws(() => JSON.parse(response.text), SyntaxError);
  });
});

test("fault reset drops the connection halfway through the body", { timeout: 5000 }, async () => {
  await withSimulator({ faultRate: 1, faultWeights: { reset: 1 } }, async (sim) => {
    await assert.rejects(recentTracks(sim, { user: "LightLeo", limit: 20 }));
    assert.deepEqual(sim.stats().faultsInjected, { reset: 1 });
  });
});

test("fault slow delays the answer by slowMs", async () => {
  await withSimulator({ faultRate: 1, faultWeights: { slow: 1 }, slowMs: 300 }, async (sim) => {
    const response = await recentTracks(sim, { user: "LightLeo", limit: 1 });

    assert.equal(response.status, 200);
    assert.ok(response.elapsedMs >= 290, `took ${response.elapsedMs} ms`);
  });
});

test("fault hang never answers: the client's timeout fires, the request is counted", { timeout: 5000 }, async () => {
  await withSimulator({ faultRate: 1, faultWeights: { hang: 1 } }, async (sim) => {
    await assert.rejects(recentTracks(sim, { user: "LightLeo", limit: 1 }, { signal: AbortSignal.timeout(300) }), {
      name: "TimeoutError",
    });
    assert.deepEqual(sim.stats().faultsInjected, { hang: 1 });
    assert.deepEqual(sim.stats().byStatus, {});
  });
});

test("fault wrong-user answers with another user's data", async () => {
  await withSimulator({ faultRate: 1, faultWeights: { "wrong-user": 1 } }, async (sim) => {
    const body = parse(await recentTracks(sim, { user: "LightLeo", limit: 1 }));

    assert.notEqual(body.recenttracks["@attr"].user, "LightLeo");
    assert.ok(sim.users.findUser(body.recenttracks["@attr"].user));
  });
});

test("user faults never hit answers that are not about a user", async () => {
  await withSimulator({ faultRate: 1, faultWeights: { "wrong-user": 1, "user-not-found": 1 } }, async (sim) => {
    assert.equal((await recentTracks(sim, { user: "PrivatePat" })).status, 403);
    assert.deepEqual(sim.stats().faultsInjected, {});
  });
});

test("faultQueue injects faults into the next requests in order: a one-off spurious 'User not found'", async () => {
  await withSimulator({}, async (sim) => {
    sim.configure({ faultQueue: ["user-not-found"] });
    const first = await recentTracks(sim, { user: "LightLeo", limit: 1 });
    const second = await recentTracks(sim, { user: "LightLeo", limit: 1 });

    assert.equal(first.status, 404);
    assert.equal(second.status, 200);
  });
});

test("faults are reproducible from faultSeed", async () => {
  const weights = Object.fromEntries(
    FAULT_KINDS.filter((k) => k !== "hang" && k !== "slow" && k !== "reset").map((k) => [k, 1]),
  );
  const run = (faultSeed: number) =>
    withSimulator({ faultRate: 0.5, faultWeights: weights, faultSeed }, async (sim) => {
      const outcomes: string[] = [];
      for (let i = 0; i < 30; i++) {
        const response = await recentTracks(sim, { user: "LightLeo", limit: 1 });
        outcomes.push(`${response.status}:${response.text.slice(0, 40)}`);
      }
      return outcomes;
    });

  const [first, again, other] = [await run(7), await run(7), await run(8)];
  assert.deepEqual(first, again);
  assert.notDeepEqual(first, other);
  assert.ok(first.some((o) => o.startsWith("200")) && first.some((o) => !o.startsWith("200")));
});

test("limits above 200 fail more often (largeLimitFaultMultiplier)", async () => {
  await withSimulator(
    { faultRate: 0.4, faultWeights: { "error8-500": 1 }, largeLimitFaultMultiplier: 2.5 },
    async (sim) => {
      const large: number[] = [];
      const small: number[] = [];
      for (let i = 0; i < 10; i++) large.push((await recentTracks(sim, { user: "LightLeo", limit: 1000 })).status);
      for (let i = 0; i < 20; i++) small.push((await recentTracks(sim, { user: "LightLeo", limit: 200 })).status);

      assert.ok(large.every((s) => s === 500));
      assert.ok(small.includes(200) && small.includes(500));
    },
  );
});

test("largePageFailUsers: pages above largePageFailAbove fail with error 8 for those accounts only", async () => {
  await withSimulator({ largePageFailUsers: ["heavyhanna"], largePageFailAbove: 500 }, async (sim) => {
    const window = { from: yearStart(2023), to: yearStart(2024) };
    const big = await recentTracks(sim, { user: "HeavyHanna", limit: 1000, ...window });
    assert.deepEqual(errorOf(big), {
      status: 500,
      body: { message: "Operation failed - Most likely the backend service failed. Please try again.", error: 8 },
    });
    assert.equal((await recentTracks(sim, { user: "HeavyHanna", limit: 500, ...window })).status, 200);
    assert.equal((await recentTracks(sim, { user: "VinylVera", limit: 1000, ...window })).status, 200);
    assert.equal(
      (await callApi(sim, { method: "user.getweeklyalbumchart", user: "HeavyHanna", limit: 1000, ...window })).status,
      200,
      "the album chart is not a page of recent tracks",
    );
    assert.deepEqual(sim.stats().faultsInjected, { "large-page": 1 });
  });
});

test("latencyPerItemMs makes a page of 1,000 slower than a page of 200", async () => {
  await withSimulator({ latencyPerItemMs: 0.3 }, async (sim) => {
    const window = { user: "HeavyHanna", from: yearStart(2023), to: yearStart(2024) };
    await recentTracks(sim, { ...window, limit: 1 }); // the year is generated on first read
    const small = await recentTracks(sim, { ...window, limit: 200 });
    const big = await recentTracks(sim, { ...window, limit: 1000 });

    assert.equal(tracksOf(parse(big)).length, 1001);
    assert.ok(big.elapsedMs >= 300, `1,000 items took ${big.elapsedMs} ms`);
    assert.ok(big.elapsedMs > small.elapsedMs + 150, `200: ${small.elapsedMs} ms, 1,000: ${big.elapsedMs} ms`);
  });
});

test("Bench<plays>_<n> listeners scrobble exactly <plays> a year over a library that grows with them", async () => {
  await withSimulator({}, async (sim) => {
    for (const [name, plays] of [
      ["Bench12000_1", 12_000],
      ["bench100000_7", 100_000],
    ] as const) {
      const attr = parse(await recentTracks(sim, { user: name, limit: 1, from: yearStart(2024), to: yearStart(2025) }))
        .recenttracks["@attr"];
      assert.equal(Number(attr.total), plays);
      assert.equal(attr.user, name.replace(/^bench/, "Bench"));
    }
    assert.equal((await recentTracks(sim, { user: "Bench1x2_3", limit: 1 })).status, 404);
  });
});

test("close() ends hanging responses at once", { timeout: 5000 }, async () => {
  const sim = await startLastfmSimulator({ faultRate: 1, faultWeights: { hang: 1 }, liveScrobbleIntervalMs: 0 });
  const pending = recentTracks(sim, { user: "LightLeo", limit: 1 });
  await sleep(100);
  const started = performance.now();

  await sim.close();

  await assert.rejects(pending);
  assert.ok(performance.now() - started < 1000);
});

// --- website stub ---------------------------------------------------------------------------------

test("HEAD /user/NAME is 200 for an existing user in any casing and 404 for a missing one", async () => {
  await withSimulator({}, async (sim) => {
    const head = (name: string) => fetch(`${sim.webUrl}/user/${name}`, { method: "HEAD" }).then((r) => r.status);

    assert.equal(await head("HeavyHanna"), 200);
    assert.equal(await head("heavyhanna"), 200);
    assert.equal(await head("PrivatePat"), 200);
    assert.equal(await head("NoSuchPerson"), 404);
    const page = await fetch(`${sim.webUrl}/user/lightleo`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /LightLeo/);
  });
});

test("the website can answer the blocked (406) or rate-limited (429) interstitial", async () => {
  await withSimulator({ website: "blocked" }, async (sim) => {
    const blocked = await fetch(`${sim.webUrl}/user/HeavyHanna`);
    assert.equal(blocked.status, 406);
    assert.match(await blocked.text(), /<title>Last\.fm - Rate Limited<\/title>[\s\S]*Your request was blocked/);

    sim.configure({ website: "rate-limited" });
    assert.equal((await fetch(`${sim.webUrl}/user/HeavyHanna`, { method: "HEAD" })).status, 429);
  });
});

// --- profiles -------------------------------------------------------------------------------------

async function yearTotal(sim: LastfmSimulator, user: string, year: number): Promise<number> {
  const body = parse(await recentTracks(sim, { user, limit: 1, from: yearStart(year), to: yearStart(year + 1) }));
  return Number(body.recenttracks["@attr"].total);
}

test("the demo users scrobble hundreds to thousands a year since registration and favour different decades", async () => {
  await withSimulator({}, async (sim) => {
    const favouriteDecades = new Set<number>();
    for (const name of DEMO_USERS) {
      const registered = new Date((sim.users.findUser(name)?.registered ?? 0) * 1000).getUTCFullYear();
      for (let year = registered + 1; year <= 2025; year++) {
        const total = await yearTotal(sim, name, year);
        assert.ok(total >= 300 && total <= 5000, `${name} ${year}: ${total}`);
      }
      const decades = new Map<number, number>();
      for (const [year, count] of sim.users.trueDistribution(name, yearStart(2024), Y2025).byYear) {
        if (year !== null)
          decades.set(Math.floor(year / 10) * 10, (decades.get(Math.floor(year / 10) * 10) ?? 0) + count);
      }
      favouriteDecades.add([...decades].sort((a, b) => b[1] - a[1])[0][0]);
    }
    assert.equal(favouriteDecades.size, 3);
  });
});

test("HeavyHanna has exactly 50,000 scrobbles in 2024 and 30,000 in 2023", async () => {
  await withSimulator({}, async (sim) => {
    assert.equal(await yearTotal(sim, "HeavyHanna", 2024), 50_000);
    assert.equal(await yearTotal(sim, "HeavyHanna", 2023), 30_000);
  });
});

test("LightLeo scrobbles about 200 a year", async () => {
  await withSimulator({}, async (sim) => {
    for (let year = 2020; year <= 2025; year++) {
      const total = await yearTotal(sim, "LightLeo", year);
      assert.ok(total >= 100 && total <= 300, `${year}: ${total}`);
    }
  });
});

test("EmptyYearEmma has no scrobbles in 2021 but some in 2020 and 2022", async () => {
  await withSimulator({}, async (sim) => {
    assert.equal(await yearTotal(sim, "EmptyYearEmma", 2021), 0);
    assert.ok((await yearTotal(sim, "EmptyYearEmma", 2020)) > 0);
    assert.ok((await yearTotal(sim, "EmptyYearEmma", 2022)) > 0);
  });
});

test("TimeTravelTom has scrobbles at uts 0, before his registration and in the future", async () => {
  await withSimulator({}, async (sim) => {
    const registered = sim.users.findUser("TimeTravelTom")?.registered ?? 0;
    const epoch = parse(await recentTracks(sim, { user: "TimeTravelTom", from: 0, to: 1 }));
    const before = parse(await recentTracks(sim, { user: "TimeTravelTom", from: 1, to: registered, limit: 1 }));
    const now = Math.floor(Date.now() / 1000);
    const future = parse(await recentTracks(sim, { user: "TimeTravelTom", from: now + 60 }));

    assert.deepEqual(
      tracksOf(epoch).map((t) => t.date),
      Array.from({ length: 3 }, () => ({ uts: "0", "#text": "01 Jan 1970, 00:00" })),
    );
    assert.ok(Number(before.recenttracks["@attr"].total) >= 50);
    assert.equal(future.recenttracks["@attr"].total, "2");
  });
});

test("LiveLiam keeps scrobbling: unpinned page 1 drifts while the truth follows", async () => {
  await withSimulator({ liveScrobbleIntervalMs: 40, liveBackdateProbability: 0 }, async (sim) => {
    const first = parse(await recentTracks(sim, { user: "LiveLiam", limit: 10 }));
    await sleep(250);
    const later = parse(await recentTracks(sim, { user: "LiveLiam", limit: 10 }));

    const added = Number(later.recenttracks["@attr"].total) - Number(first.recenttracks["@attr"].total);
    assert.ok(added >= 3, `added ${added}`);
    const firstItems = tracksOf(first).filter((t) => t.date);
    const laterItems = tracksOf(later).filter((t) => t.date);
    assert.notDeepEqual(laterItems[0], firstItems[0]);
    assert.deepEqual(laterItems[added], firstItems[0], "the old top item moved down by the number of new scrobbles");
    assert.ok(sim.users.countScrobbles("LiveLiam") >= Number(later.recenttracks["@attr"].total));
  });
});

test("LiveLiam's back-dated scrobbles land up to 14 days in the past", async () => {
  await withSimulator({ liveScrobbleIntervalMs: 20, liveBackdateProbability: 1 }, async (sim) => {
    const now = Math.floor(Date.now() / 1000);
    const window = { from: now - 14 * 86_400 - 60, to: now - 60 };
    const older = () => sim.users.countScrobbles("LiveLiam", window.from - 60 * 86_400, window.from);
    const [before, olderBefore] = [sim.users.countScrobbles("LiveLiam", window.from, window.to), older()];
    await sleep(200);
    const body = parse(await recentTracks(sim, { user: "LiveLiam", limit: 1, ...window }));

    assert.ok(Number(body.recenttracks["@attr"].total) >= before + 3);
    assert.equal(older(), olderBefore, "nothing older than 14 days");
  });
});

test("a pinned clock ends the year in progress at that moment", async () => {
  const now = Date.UTC(2025, 5, 1, 12);
  await withSimulator({ clock: () => now }, async (sim) => {
    const newest = tracksOf(parse(await recentTracks(sim, { user: "LightLeo", limit: 1 })))[0];

    assert.ok(Number(newest.date.uts) <= now / 1000);
    assert.ok(Number(newest.date.uts) > now / 1000 - 30 * 86_400);
    assert.equal(await yearTotal(sim, "LightLeo", 2026), 0);
  });
});

test("two simulators with the same seed serve identical pages; another seed serves different ones", async () => {
  const pages = (seed: number) =>
    withSimulator({ seed }, async (sim) => [
      (await recentTracks(sim, { user: "HeavyHanna", from: Y2024, to: Y2025, limit: 200, page: 37 })).text,
      (await recentTracks(sim, { user: "LightLeo", from: yearStart(2022), to: yearStart(2023), limit: 100 })).text,
      (await callApi(sim, { method: "user.getinfo", user: "VinylVera" })).text,
    ]);

  const [first, again, other] = [await pages(1973), await pages(1973), await pages(42)];
  assert.deepEqual(first, again);
  assert.notEqual(first[0], other[0]);
  assert.notEqual(first[1], other[1]);
});
