// The simulated accounts' data and the truth exported for tests, without HTTP.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { buildCatalog } from "@/scripts/simulators/catalog";
import { RANDOM_ACCESS_MEMORIES, RUMOURS } from "./profiles";
import { yearStart } from "./test-support";
import { createDataset, DEMO_USERS, listScrobbles, PROFILE_SUMMARIES, PROFILES, trueDistribution } from "./users";

const Y2024 = yearStart(2024);
const Y2025 = yearStart(2025);

// How fast it is generated is a speed figure for the bench, not a test: a timed test fails on a busy machine.
test("a 50,000-scrobble year is generated, the same one for the same seed", () => {
  const first = createDataset({ seed: 5 }).listScrobbles("HeavyHanna", Y2024, Y2025);
  const again = createDataset({ seed: 5 }).listScrobbles("HeavyHanna", Y2024, Y2025);

  assert.equal(first.length, 50_000);
  assert.deepEqual(again.slice(0, 500), first.slice(0, 500));
  assert.deepEqual(again.at(-1), first.at(-1));
});

test("scrobbles have Last.fm's gaps: ~35% no album mbid, ~5% no album at all, ~40% no track mbid, some no artist mbid", () => {
  const scrobbles = listScrobbles("HeavyHanna", Y2024, Y2025);
  const share = (predicate: (s: (typeof scrobbles)[number]) => boolean) =>
    scrobbles.filter(predicate).length / scrobbles.length;

  assert.ok(Math.abs(share((s) => s.albumMbid === "") - 0.35) < 0.05);
  assert.ok(Math.abs(share((s) => s.album === "" && s.albumMbid === "") - 0.05) < 0.02);
  assert.ok(Math.abs(share((s) => s.mbid === "") - 0.4) < 0.06);
  assert.ok(share((s) => s.artistMbid === "") > 0.1 && share((s) => s.artistMbid === "") < 0.4);
  assert.ok(share((s) => s.imageHash === "") > 0.05);
  assert.ok(
    scrobbles.every((s) => s.album !== "" || s.imageHash === ""),
    "no album, no cover",
  );
});

test("names carry Unicode, quotes and ampersands from the catalog and the track generator", () => {
  const text = listScrobbles("HeavyHanna", Y2024, Y2025).map((s) => `${s.artist}\u0000${s.album}\u0000${s.name}`);

  assert.ok(text.some((t) => /[\u0080-\uffff]/.test(t)));
  assert.ok(text.some((t) => t.includes("&")));
  assert.ok(text.some((t) => t.includes('"')));
  assert.ok(text.some((t) => t.includes("’") || t.includes("“")));
});

test("some plays look like duplicates: the same track twice in a row, minutes apart", () => {
  const scrobbles = listScrobbles("HeavyHanna", Y2024, Y2025);
  const repeats = scrobbles.filter(
    (s, i) =>
      i > 0 &&
      s.name === scrobbles[i - 1].name &&
      s.artist === scrobbles[i - 1].artist &&
      scrobbles[i - 1].uts - s.uts < 600,
  );

  assert.ok(repeats.length > 200, `${repeats.length} repeats`);
  assert.ok(
    repeats.every((s, i) => s.uts !== repeats[i + 1]?.uts),
    "distinct times",
  );
});

test("scrobble timestamps are whole seconds, newest first, distinct per generated year", () => {
  const scrobbles = listScrobbles("HeavyHanna", yearStart(2023), Y2024);

  assert.ok(scrobbles.every((s, i) => Number.isInteger(s.uts) && (i === 0 || s.uts < scrobbles[i - 1].uts)));
  assert.ok(scrobbles.at(-1)!.uts >= yearStart(2023) && scrobbles[0].uts < Y2024);
});

test("a year's size is known before it is generated and matches what generation produces", () => {
  for (const { username } of PROFILES) {
    const planned = createDataset();
    const generated = createDataset();
    for (let year = 2012; year <= 2025; year++) {
      const counted = planned.countScrobbles(username, yearStart(year), yearStart(year + 1));
      assert.equal(
        generated.listScrobbles(username, yearStart(year), yearStart(year + 1)).length,
        counted,
        `${username} ${year}`,
      );
    }
  }
});

test("trueDistribution keys a play by its album (known MBID, else names), or by its song when it has no album or a compilation's", () => {
  const albums = buildCatalog().albums;
  const expected = new Map(albums.filter((a) => a.isMbidKnown).map((a) => [a.mbid, a]));
  const byName = new Map(albums.map((a) => [`${a.artist}\u0000${a.title}`, a]));
  const scrobbles = listScrobbles("BoundaryBen", Y2024, Y2025);
  const byYear = new Map<number | null, number>();
  let named = 0;
  let bySong = 0;
  for (const s of scrobbles) {
    const known = s.albumMbid ? expected.get(s.albumMbid) : undefined;
    const named_ = s.album ? byName.get(`${s.artist}\u0000${s.album}`) : undefined;
    const albumYear = known ? known.expectedYear : (named_?.nameYear ?? null);
    const isCompilation = Boolean((known ?? (named_?.nameYear != null ? named_ : undefined))?.isCompilation);
    const songFirst = (!s.album || isCompilation) && s.trueSongYear !== null;
    const year = songFirst ? s.trueSongYear : albumYear;
    if (songFirst) bySong++;
    else if (!known && year !== null) named++;
    byYear.set(year, (byYear.get(year) ?? 0) + 1);
  }

  const truth = trueDistribution("BoundaryBen", Y2024, Y2025);

  assert.equal(truth.total, scrobbles.length);
  assert.deepEqual(truth.byYear, byYear);
  assert.equal(truth.byMethod.name, named);
  assert.equal(truth.byMethod.recording, bySong);
  assert.ok(named > 0, "some scrobbles are datable by name only");
  assert.ok(bySong > 0, "some scrobbles are dated by their song");
  assert.ok((truth.byYear.get(1973) ?? 0) >= 1 && (truth.byYear.get(1977) ?? 0) >= 1, "the boundary scrobbles count");
  assert.ok((truth.byYear.get(null) ?? 0) > 0);
});

test("BoundaryBen's boundary scrobbles sit exactly on the year edges with known albums", () => {
  const around = (uts: number) =>
    listScrobbles("BoundaryBen", uts, uts + 1).map((s) => [s.uts, s.albumMbid, s.trueYear]);

  assert.deepEqual(around(Y2025 - 1), [[Y2025 - 1, RUMOURS, 1977]]);
  assert.deepEqual(around(Y2025), [[Y2025, RANDOM_ACCESS_MEMORIES, 2013]]);
  assert.equal(around(Y2024)[0][2], 1973);
});

test("OneScrobbleOlga has exactly one scrobble in 2022", () => {
  assert.equal(listScrobbles("OneScrobbleOlga", yearStart(2022), yearStart(2023)).length, 1);
});

test("the same seed gives the same scrobbles; another seed gives others", () => {
  const a = createDataset({ seed: 11 }).listScrobbles("VinylVera", yearStart(2020), yearStart(2021));
  const b = createDataset({ seed: 11 }).listScrobbles("vinylvera", yearStart(2020), yearStart(2021));
  const c = createDataset({ seed: 12 }).listScrobbles("VinylVera", yearStart(2020), yearStart(2021));

  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test("addScrobble and deleteScrobble change what the dataset returns", () => {
  const dataset = createDataset();
  const uts = Y2024 + 12_345;
  const before = dataset.countScrobbles("LightLeo", Y2024, Y2025);

  const added = dataset.addScrobble("LightLeo", uts, RUMOURS);

  assert.deepEqual([added.uts, added.albumMbid, added.trueYear], [uts, RUMOURS, 1977]);
  assert.equal(dataset.countScrobbles("LightLeo", Y2024, Y2025), before + 1);
  assert.equal(dataset.deleteScrobble("LightLeo", uts), true);
  assert.equal(dataset.deleteScrobble("LightLeo", uts), false);
  assert.equal(dataset.countScrobbles("LightLeo", Y2024, Y2025), before);
});

test("a live tick adds a scrobble now, and back-dates within the allowed days", () => {
  const dataset = createDataset();
  const now = Date.UTC(2026, 5, 1);
  const count = () => dataset.countScrobbles("LiveLiam", now / 1000 - 3 * 86_400, now / 1000 + 1);
  const before = count();

  for (let i = 0; i < 20; i++)
    dataset.tickLive(now, { backdateProbability: 1, backdateMaxDays: 3, deleteProbability: 0 });

  assert.equal(count(), before + 40);
  assert.equal(dataset.listScrobbles("LiveLiam", now / 1000, now / 1000 + 1).length, 20);
});

test("unknown users are unknown in any casing; known ones in any casing", () => {
  const dataset = createDataset();

  assert.equal(dataset.findUser("nobodyhere"), undefined);
  assert.equal(dataset.findUser("hEaVyHaNnA")?.username, "HeavyHanna");
  assert.throws(() => dataset.listScrobbles("nobodyhere"), /no simulated Last.fm user/);
});

test("every profile is listed once with a one-line description, the demo users among them", () => {
  const names = PROFILE_SUMMARIES.map((p) => p.username);

  assert.equal(new Set(names.map((n) => n.toLowerCase())).size, names.length);
  assert.ok(PROFILE_SUMMARIES.every((p) => p.description.length > 20 && !p.description.includes("\n")));
  assert.ok(DEMO_USERS.every((name) => names.includes(name)));
  assert.deepEqual(names, [
    "VinylVera",
    "NightBusNico",
    "DadRockDan",
    "HeavyHanna",
    "LightLeo",
    "PrivatePat",
    "EmptyYearEmma",
    "OneScrobbleOlga",
    "BoundaryBen",
    "SilentSid",
    "NewYearNoor",
    "TimeTravelTom",
    "LiveLiam",
    "RealWorldRuth",
  ]);
});

test("the README lists every profile with its current description", () => {
  const readme = readFileSync(new URL("./README.md", import.meta.url), "utf8");

  for (const { username, description } of PROFILE_SUMMARIES)
    assert.ok(readme.includes(`| \`${username}\` | ${description} |`), username);
});

test("SilentSid never scrobbled: every window is empty", () => {
  assert.equal(listScrobbles("SilentSid", 0, yearStart(2100)).length, 0);
});

test("NewYearNoor's New Year's Eve in Los Angeles: 30 plays of Rumours from 20:00 PST, one play at exactly local midnight", () => {
  const pst = (iso: string) => Date.parse(`${iso}-08:00`) / 1000;
  const party = listScrobbles("NewYearNoor", pst("2024-12-31T20:00:00"), pst("2024-12-31T23:00:00")).filter(
    (s) => s.albumMbid === RUMOURS,
  );
  assert.equal(party.length, 30);
  assert.ok(
    party.every((s) => s.uts >= Y2025 && s.trueYear === 1977),
    "already 2025 in UTC",
  );
  const midnight = listScrobbles("NewYearNoor", pst("2025-01-01T00:00:00"), pst("2025-01-01T00:00:00") + 1);
  assert.deepEqual(
    midnight.map((s) => [s.albumMbid, s.trueYear]),
    [[RANDOM_ACCESS_MEMORIES, 2013]],
  );
});
