import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { get as httpGet } from "node:http";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import {
  buildCatalog,
  DEFAULT_SEED,
  resolveExpected,
  SCROBBLED_GENERATED_RELEASES,
  yearOf,
} from "@/scripts/simulators/catalog";
import { artistNamed } from "./credits";
import { type MusicbrainzSimulator, type MusicbrainzSimulatorOptions, startMusicbrainzSimulator } from "./ws-server";

const catalog = buildCatalog(DEFAULT_SEED, SCROBBLED_GENERATED_RELEASES);
const USER_AGENT = "LastYearFmTest/0.1 ( https://example.com/lastyear )";
const HELP = "For usage, please see: https://musicbrainz.org/development/mmd";
const FIXTURES = new URL("../../../tests/fixtures/musicbrainz/", import.meta.url);
let sim: MusicbrainzSimulator;

// Tests not about rate limiting get a limit they cannot reach.
before(async () => {
  sim = await startMusicbrainzSimulator({ catalog, ratePerSecond: 100_000, burst: 100_000 });
});
after(() => sim.close());

async function get(path: string, init: RequestInit = {}, server = sim) {
  const response = await fetch(`${server.url}${path}`, {
    redirect: "manual",
    ...init,
    headers: { "User-Agent": USER_AGENT, ...init.headers },
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    body: text && response.headers.get("content-type")?.startsWith("application/json") ? JSON.parse(text) : text,
  };
}

async function withSimulator(
  options: MusicbrainzSimulatorOptions,
  run: (server: MusicbrainzSimulator) => Promise<void>,
) {
  const server = await startMusicbrainzSimulator({ catalog, ...options });
  try {
    await run(server);
  } finally {
    await server.close();
  }
}

function rawGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    httpGet(url, { headers }, (response) => {
      let text = "";
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
    }).on("error", reject);
  });
}

const DUMMY_RG = "48140466-cff6-3222-bd55-63c27e43190d";
const AMAMA = "77a698a8-98da-401d-a59b-1ae4bc28df56";

test("GET /release/{mbid}?inc=release-groups+artist-credits – the release, its group and the group's first-release-date", async () => {
  const burial = artistNamed("Burial");
  const credit = [
    {
      name: "Burial",
      joinphrase: "",
      artist: {
        id: burial.gid,
        name: "Burial",
        "sort-name": "Burial",
        disambiguation: "",
        type: null,
        "type-id": null,
      },
    },
  ];

  const { status, body } = await get(
    "/release/83e47d44-b978-46a7-a0df-c9cad3080bf2?inc=release-groups+artist-credits&fmt=json",
  );

  assert.equal(status, 200);
  assert.deepEqual(body, {
    id: "83e47d44-b978-46a7-a0df-c9cad3080bf2",
    title: "Rival Dealer",
    status: "Official",
    "status-id": "4e304316-386d-3409-af2e-78857eec5cfe",
    quality: "normal",
    disambiguation: "",
    packaging: null,
    "packaging-id": null,
    barcode: null,
    asin: null,
    "text-representation": { language: null, script: null },
    "cover-art-archive": { artwork: false, count: 0, front: false, back: false, darkened: false },
    "release-group": {
      id: "c93200c0-b1fa-4fd8-beff-036fad9509fa",
      title: "Rival Dealer",
      "first-release-date": "2013-12-11",
      "primary-type": "EP",
      "primary-type-id": "6d0c5bf6-7a33-3420-a519-44fc63eedebf",
      "secondary-types": [],
      "secondary-type-ids": [],
      disambiguation: "",
      "artist-credit": credit,
    },
    "artist-credit": credit,
  });
});

test("GET /release/{mbid} – without inc=release-groups there is no release-group key", async () => {
  const { status, body } = await get("/release/83e47d44-b978-46a7-a0df-c9cad3080bf2/", {
    headers: { Accept: "application/json" },
  });

  assert.equal(status, 200);
  assert.equal(body.id, "83e47d44-b978-46a7-a0df-c9cad3080bf2");
  assert.equal("release-group" in body, false);
  assert.equal("artist-credit" in body, false);
});

test('GET /release/{mbid}?inc=release-groups – an undated group has first-release-date ""', async () => {
  const { body } = await get("/release/8021455b-b969-46a5-a183-5f2076989528?inc=release-groups&fmt=json");

  assert.deepEqual(
    [
      body.status,
      body["release-group"]["first-release-date"],
      body["release-group"]["secondary-types"],
      "date" in body,
    ],
    ["Bootleg", "", ["Compilation"], false],
  );
});

test("GET /release-group/{mbid}?inc=releases – each release with its own (edition) date", async () => {
  const { status, body } = await get(`/release-group/${DUMMY_RG}?inc=releases&fmt=json`);

  assert.equal(status, 200);
  assert.equal(body["first-release-date"], "1994-08-22");
  assert.deepEqual(
    body.releases.map((release: { id: string; date: string; status: string }) => [
      release.id,
      release.date,
      release.status,
    ]),
    [
      ["76df3287-6cda-33eb-8e9a-044b5e15ffdd", "1994-08-22", "Official"],
      ["29a14c78-74ad-44d0-9d51-1613701248cb", "2008-03-24", "Official"],
      ["f5804905-6e8d-45dc-bae9-b36c64ccc99b", "2014-08-25", "Official"],
      ["84ee55c7-a600-47d2-a90c-0c18797b8640", "2017", "Official"],
      // Two more real Dummy releases, from real-world.csv.
      ["00163fb1-5ab7-4fec-b0dd-a915e2722340", "1994", "Official"],
      ["87888070-1b25-4830-aebc-dee490058b74", "1994-10-17", "Official"],
    ],
  );
});

test("GET /release-group?release={mbid} – browses to the release's one group", async () => {
  const { status, body } = await get("/release-group?release=b3484b6e-3daf-400c-be4a-f72a10cd66cd&fmt=json");

  assert.equal(status, 200);
  assert.deepEqual(body, {
    "release-group-count": 1,
    "release-group-offset": 0,
    "release-groups": [
      {
        id: "aa997ea0-2936-40bd-884d-3af8a0e064dc",
        title: "Random Access Memories",
        "first-release-date": "2013-05-17",
        "primary-type": "Album",
        "primary-type-id": "f529b476-6e62-324f-b0aa-1f3e33d313fc",
        "secondary-types": [],
        "secondary-type-ids": [],
        disambiguation: "",
      },
    ],
  });
});

test("GET /release/{merged mbid} – 301 to the surviving release, query string kept", async () => {
  const target = catalog.redirects.find((redirect) => redirect.oldGid === AMAMA)?.newGid;

  const moved = await get(`/release/${AMAMA}?inc=release-groups&fmt=json`);
  const followed = await fetch(`${sim.url}/release/${AMAMA}?inc=release-groups&fmt=json`, {
    headers: { "User-Agent": USER_AGENT },
  });

  assert.equal(moved.status, 301);
  assert.equal(moved.headers.get("location"), `${sim.url}/release/${target}?inc=release-groups&fmt=json`);
  assert.equal(followed.status, 200);
  const body = await followed.json();
  assert.deepEqual([body.id, body["release-group"]["first-release-date"]], [target, ""]);
});

test("GET /release-group/{merged mbid} – 301 to the surviving release group", async () => {
  const redirect = catalog.redirects.find((candidate) => candidate.entity === "release_group");
  assert.ok(redirect);

  const { status, headers, body } = await get(`/release-group/${redirect.oldGid}?fmt=json`);

  assert.equal(status, 301);
  assert.equal(headers.get("location"), `${sim.url}/release-group/${redirect.newGid}?fmt=json`);
  assert.equal(body.id, redirect.newGid);
});

test("400 Invalid mbid. – for a string that is not a UUID and for the nil UUID", async () => {
  const garbage = await get("/release/not-an-mbid?fmt=json");
  const nil = await get("/release-group/00000000-0000-0000-0000-000000000000?fmt=json");

  assert.deepEqual([garbage.status, garbage.body], [400, { error: "Invalid mbid.", help: HELP }]);
  assert.deepEqual([nil.status, nil.body], [400, { error: "Invalid mbid.", help: HELP }]);
});

test("400 – an inc the resource does not know", async () => {
  const { status, body } = await get(`/release-group/${DUMMY_RG}?inc=release-groups&fmt=json`);

  assert.deepEqual(
    [status, body],
    [400, { error: "release-groups is not a valid inc parameter for the release-group resource.", help: HELP }],
  );
});

test("404 Not Found – a well-formed MBID that is neither an entity nor a redirect", async () => {
  const unknown = catalog.albums.find(
    (album) => resolveExpected(catalog, album.mbid) === undefined && album.mbid !== AMAMA,
  );
  assert.ok(unknown);

  const { status, body } = await get(`/release/${unknown.mbid}?inc=release-groups&fmt=json`);

  assert.deepEqual([status, body], [404, { error: "Not Found", help: HELP }]);
});

test("search reid:(a OR b …) – each group once, all its releases listed, first-release-date only when known", async () => {
  const query = `reid:(76df3287-6cda-33eb-8e9a-044b5e15ffdd OR 29a14c78-74ad-44d0-9d51-1613701248cb OR 8021455b-b969-46a5-a183-5f2076989528 OR ${AMAMA})`;

  const { status, body } = await get(`/release-group?query=${encodeURIComponent(query)}&limit=100&fmt=json`);

  assert.equal(status, 200);
  assert.equal(typeof body.created, "string");
  assert.deepEqual([body.count, body.offset], [2, 0]);
  const [dummy, outtakes] = body["release-groups"];
  assert.deepEqual(
    { ...dummy, "artist-credit": undefined, releases: dummy.releases.map((release: { id: string }) => release.id) },
    {
      id: DUMMY_RG,
      "type-id": "f529b476-6e62-324f-b0aa-1f3e33d313fc",
      score: 100,
      "primary-type-id": "f529b476-6e62-324f-b0aa-1f3e33d313fc",
      count: 6,
      title: "Dummy",
      "first-release-date": "1994-08-22",
      "primary-type": "Album",
      "artist-credit": undefined,
      releases: [
        "76df3287-6cda-33eb-8e9a-044b5e15ffdd",
        "29a14c78-74ad-44d0-9d51-1613701248cb",
        "f5804905-6e8d-45dc-bae9-b36c64ccc99b",
        "84ee55c7-a600-47d2-a90c-0c18797b8640",
        "00163fb1-5ab7-4fec-b0dd-a915e2722340",
        "87888070-1b25-4830-aebc-dee490058b74",
      ],
    },
  );
  assert.deepEqual(dummy["artist-credit"], [
    {
      name: "Portishead",
      artist: { id: "8f6bd1e4-fbe1-4f50-aa9b-94c450ec0f11", name: "Portishead", "sort-name": "Portishead" },
    },
  ]);
  assert.deepEqual(dummy.releases[0], {
    id: "76df3287-6cda-33eb-8e9a-044b5e15ffdd",
    "status-id": "4e304316-386d-3409-af2e-78857eec5cfe",
    title: "Dummy",
    status: "Official",
  });
  assert.equal(outtakes.id, "c5e1e90f-a702-3a7c-831e-4be25c5dc528");
  assert.equal("first-release-date" in outtakes, false);
  assert.deepEqual(
    [outtakes["type-id"], outtakes["secondary-types"]],
    ["dd2a21e1-0c00-3729-a7a0-de60b84eb5d1", ["Compilation"]],
  );
});

test("search reid: with 100 release MBIDs – one request maps every release to its group's year", async () => {
  const ids = [...catalog.releases.keys()].slice(-100);
  const query = `reid:(${ids.map((id) => `"${id}"`).join(" OR ")})`;

  const { status, body } = await get(`/release-group?query=${encodeURIComponent(query)}&limit=100&fmt=json`);

  assert.equal(status, 200);
  const yearOfRelease = new Map<string, number | null>();
  for (const group of body["release-groups"]) {
    for (const release of group.releases) yearOfRelease.set(release.id, yearOf(group["first-release-date"] ?? null));
  }
  assert.deepEqual(
    ids.map((id) => [id, yearOfRelease.get(id)]),
    ids.map((id) => [id, resolveExpected(catalog, id)?.year]),
  );
  assert.equal(body.count, new Set(ids.map((id) => catalog.releases.get(id)?.releaseGroupGid)).size);
});

test("search rgid:(a OR b) – release group MBIDs, each group once", async () => {
  const query = "rgid:(1a272023-10d3-38ee-bab3-317b55fcc21d OR 20c77fb4-1c9f-33c8-9d7e-c4977f11e847)";

  const { body } = await get(`/release-group?query=${encodeURIComponent(query)}&fmt=json`);

  assert.deepEqual(
    body["release-groups"].map((group: { id: string; "first-release-date": string; score: number }) => [
      group.id,
      group["first-release-date"],
      group.score,
    ]),
    [
      ["1a272023-10d3-38ee-bab3-317b55fcc21d", "1975-09-12", 100],
      ["20c77fb4-1c9f-33c8-9d7e-c4977f11e847", "1977-01-23", 100],
    ],
  );
});

test("search by title and artist – quoted phrases, AND, ranking by how well the title matches", async () => {
  const query = 'release:rumours AND artist:"Fleetwood Mac" AND NOT secondarytype:live';

  const { body } = await get(`/release-group?query=${encodeURIComponent(query)}&fmt=json`);

  assert.deepEqual(
    body["release-groups"].map((group: { title: string; score: number }) => [group.title, group.score]),
    [
      ["Rumours", 100],
      ["Rumours Outtakes", 88],
      ["The Alternate Rumours", 82],
      ["Fleetwood Mac / Rumours", 82],
    ],
  );
});

test("search limit outside 1..100 – falls back to 25", async () => {
  const over = await get("/release-group?query=primarytype:album&limit=101&fmt=json");
  const zero = await get("/release-group?query=primarytype:album&limit=0&fmt=json");
  const hundred = await get("/release-group?query=primarytype:album&limit=100&offset=10&fmt=json");

  assert.ok(over.body.count > 100);
  assert.deepEqual(
    [
      over.body["release-groups"].length,
      zero.body["release-groups"].length,
      hundred.body["release-groups"].length,
      hundred.body.offset,
    ],
    [25, 25, 100, 10],
  );
});

test("search /release?query= – the nested release group has no first-release-date", async () => {
  const { status, body } = await get(
    `/release/?query=${encodeURIComponent("reid:76df3287-6cda-33eb-8e9a-044b5e15ffdd")}&fmt=json`,
  );

  assert.equal(status, 200);
  assert.deepEqual(body.releases[0]["release-group"], {
    id: DUMMY_RG,
    "type-id": "f529b476-6e62-324f-b0aa-1f3e33d313fc",
    "primary-type-id": "f529b476-6e62-324f-b0aa-1f3e33d313fc",
    title: "Dummy",
    "primary-type": "Album",
  });
  assert.equal(body.releases[0].date, "1994-08-22");
});

test("search – a blank or malformed query is 400, a query without hits is 200 with count 0", async () => {
  const blank = await get("/release-group?query=%20&fmt=json");
  const malformed = await get(`/release-group?query=${encodeURIComponent("reid:(a OR b")}&fmt=json`);
  const none = await get(`/release-group?query=${encodeURIComponent("release:zzyzx")}&fmt=json`);

  assert.deepEqual([blank.status, blank.body.help], [400, HELP]);
  assert.deepEqual([malformed.status, malformed.body], [400, { error: "Invalid query: missing )", help: HELP }]);
  assert.deepEqual([none.status, none.body.count, none.body.offset, none.body["release-groups"]], [200, 0, 0, []]);
});

test("the saved real responses are served byte for byte for the requests they answer", async () => {
  const cases: [string, string][] = [
    [
      "/release/76df3287-6cda-33eb-8e9a-044b5e15ffdd?inc=artist-credits+release-groups",
      "ws2_release_lookup_inc-release-groups+artist-credits_76df3287_dummy.json",
    ],
    [
      "/release/b1dc9838-adf3-43f2-93f9-802b46e5fe59?inc=release-groups",
      "ws2_release_lookup_many-incs_b1dc9838_hot-summer-night-59_empty-rg-date.json",
    ],
    [
      "/release-group/c9fdb94c-4975-4ed6-a96f-ef6d80bb7738?inc=artist-credits+releases",
      "ws2_release-group_lookup_inc-artist-credits+releases_c9fdb94c_the-lost-tape.json",
    ],
    [
      "/release-group/10219FC7-1810-4609-BCB7-B539F033EA40",
      "ws2_release-group_lookup_no-inc_10219fc7_elvis-at-sun-records.json",
    ],
    ["/release-group?query=release:Rumours&limit=100", "ws2_release-group_search_release-Rumours.json"],
    ["/release-group/?query=release:Tenance", "ws2_release-group_search_release-Tenance_year-only-date.json"],
    [
      `/release?query=${encodeURIComponent("release:Schneider AND Shake")}`,
      "ws2_release_search_release-Schneider-AND-Shake.json",
    ],
  ];

  for (const [path, file] of cases) {
    const response = await fetch(`${sim.url}${path}${path.includes("?") ? "&" : "?"}fmt=json`, {
      headers: { "User-Agent": USER_AGENT },
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    assert.equal(response.status, 200, path);
    assert.ok(bytes.equals(readFileSync(new URL(file, FIXTURES))), `${path} differs from ${file}`);
  }
});

test("JSON only – no fmt=json and no Accept: application/json is 406", async () => {
  const { status, headers } = await get("/release/83e47d44-b978-46a7-a0df-c9cad3080bf2");

  assert.deepEqual([status, headers.get("content-type")], [406, "text/plain; charset=utf-8"]);
});

test("403 – a request without a User-Agent", async () => {
  const { status, body } = await rawGet(`${sim.url}/release/83e47d44-b978-46a7-a0df-c9cad3080bf2?fmt=json`);

  assert.equal(status, 403);
  assert.deepEqual(Object.keys(body as object), ["error", "help"]);
  assert.equal(sim.stats().userAgents[""] >= 1, true);
});

test("503 with Retry-After – over 1 request/s; maxInAnySecond counts only what got through", async () => {
  await withSimulator({ ratePerSecond: 1, burst: 1 }, async (server) => {
    const path = "/release/83e47d44-b978-46a7-a0df-c9cad3080bf2?fmt=json";
    const burst = [];
    for (let i = 0; i < 4; i++) burst.push(await get(path, {}, server));
    await sleep(1100);
    const paced = await get(path, {}, server);

    assert.deepEqual(
      [...burst, paced].map((reply) => reply.status),
      [200, 503, 503, 503, 200],
    );
    assert.equal(burst[1].headers.get("retry-after"), "1");
    assert.deepEqual(burst[1].body, {
      error:
        "Your requests are exceeding the allowable rate limit. Please see https://musicbrainz.org/doc/XML_Web_Service/Rate_Limiting for more information.",
      help: HELP,
    });
    assert.deepEqual(server.stats(), {
      requests: 5,
      byStatus: { 200: 2, 503: 3 },
      rateLimited: 3,
      maxInAnySecond: 1,
      userAgents: { [USER_AGENT]: 5 },
    });
  });
});

test("maxInAnySecond – the busiest sliding second of served requests", async () => {
  await withSimulator({ ratePerSecond: 100, burst: 100 }, async (server) => {
    for (let i = 0; i < 5; i++) await get(`/release-group/${DUMMY_RG}?fmt=json`, {}, server);
    server.resetStats();
    await get(`/release-group/${DUMMY_RG}?fmt=json`, {}, server);

    assert.equal(server.stats().maxInAnySecond, 1);
  });
});

test("searchFailureRate – search answers 503 as when its backend fails; lookups still work", async () => {
  await withSimulator({ ratePerSecond: 100, burst: 100 }, async (server) => {
    server.configure({ searchFailureRate: 1 });
    const search = await get(`/release-group?query=rgid:${DUMMY_RG}&fmt=json`, {}, server);
    const lookup = await get(`/release-group/${DUMMY_RG}?fmt=json`, {}, server);

    assert.deepEqual([search.status, search.body.help, lookup.status], [503, HELP, 200]);
  });
});

// --- recordings -------------------------------------------------------------------------

test('a recording lookup answers its first-release-date as the real service does ("" unknown), 404 for an unknown id', async () => {
  const { recordingsOf } = await import("@/scripts/simulators/catalog");
  const compilation = [...catalog.releaseGroups.values()].find(
    (group) => group.secondaryTypes.includes("Compilation") && group.recordingsDate,
  );
  assert.ok(compilation, "the catalog has a compilation of older songs");
  const [song] = recordingsOf(DEFAULT_SEED, compilation);
  const found = await get(`/recording/${song.gid}?fmt=json&inc=artist-credits`);
  assert.equal(found.status, 200);
  assert.deepEqual(
    { id: found.body.id, title: found.body.title, date: found.body["first-release-date"] },
    { id: song.gid, title: song.name, date: compilation.recordingsDate },
  );
  assert.ok(yearOf(compilation.recordingsDate ?? null) !== null);
  assert.ok((yearOf(compilation.recordingsDate ?? null) ?? 0) <= (yearOf(compilation.date) ?? 9999));
  assert.equal(found.body["artist-credit"][0].name, compilation.artistCredit);
  const unknown = await get("/recording/0f6a7b9e-0000-4000-8000-00000000abcd?fmt=json");
  assert.deepEqual([unknown.status, unknown.body], [404, { error: "Not Found", help: HELP }]);
  const bad = await get("/recording/not-an-mbid?fmt=json");
  assert.equal(bad.status, 400);
});

test("rid:(… OR …) finds each recording once with its date and releases; recording:+artist: search folds accents", async () => {
  const { recordingsOf } = await import("@/scripts/simulators/catalog");
  const groups = [...catalog.releaseGroups.values()].filter((group) => !group.recordingsOf).slice(100, 130);
  const songs = groups.map((group) => recordingsOf(DEFAULT_SEED, group)[0]);
  const list = songs.map((song) => `"${song.gid}"`).join(" OR ");
  const found = await get(`/recording?query=${encodeURIComponent(`rid:(${list})`)}&limit=100&fmt=json`);
  assert.equal(found.status, 200);
  assert.equal(found.body.count, songs.length);
  const byId = new Map(found.body.recordings.map((hit: { id: string }) => [hit.id, hit]));
  for (const [i, song] of songs.entries()) {
    const hit = byId.get(song.gid) as Record<string, unknown> & { releases: { "release-group": { id: string } }[] };
    assert.ok(hit, song.gid);
    assert.equal(hit["first-release-date"], song.firstReleaseDate ?? undefined, "left out when unknown");
    assert.ok(hit.releases.some((release) => release["release-group"].id === groups[i].gid));
  }
  const accented = songs.find((song) => /\p{M}|[^\p{ASCII}]/u.test(song.name.normalize("NFKD"))) ?? songs[0];
  const plain = accented.name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[^\p{L}\p{N} ]/gu, " ");
  const byName = await get(
    `/recording?query=${encodeURIComponent(`recording:(${plain}) AND artist:(${accented.artistCredit.replace(/[^\p{L}\p{N} ]/gu, " ")})`)}&fmt=json`,
  );
  assert.equal(byName.body.recordings[0]?.id, accented.gid);
});
