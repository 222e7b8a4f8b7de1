// The two MusicBrainz sources behind one interface answer alike: the mirror (one SQL query per batch)
// and the web service (reid/rgid searches of 100 ids, lookups with 301 following), within 1 request/s.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { buildCatalog, type ReleaseGroup, resolveExpected } from "@/scripts/simulators/catalog";
import { startMusicbrainzSimulator } from "@/scripts/simulators/musicbrainz/ws-server";
import { type Stack, startStack } from "@/tests/support/stack";

let stack: Stack;
let simulator: Awaited<ReturnType<typeof startMusicbrainzSimulator>>;

before(async () => {
  stack = await startStack();
  simulator = await startMusicbrainzSimulator({ ratePerSecond: 50, burst: 50 });
});
after(async () => {
  await simulator.close();
  await stack.stop();
});

/** Every real album, plus generated ones through each path: release, merged release, RG id, merged RG, unknown. */
function sampleMbids(): string[] {
  const catalog = buildCatalog();
  const picked = catalog.albums.slice(0, 62);
  const generated = catalog.albums.slice(62);
  for (const kind of ["release", "redirect", "group", "unknown"] as const) {
    const matches = generated.filter((album) => {
      const resolved = resolveExpected(catalog, album.mbid);
      if (kind === "unknown") return !resolved;
      if (!resolved) return false;
      if (kind === "group")
        return (
          catalog.releaseGroups.has(album.mbid) ||
          catalog.redirects.some((r) => r.oldGid === album.mbid && r.entity === "release_group")
        );
      if (kind === "redirect") return catalog.redirects.some((r) => r.oldGid === album.mbid && r.entity === "release");
      return catalog.releases.has(album.mbid);
    });
    picked.push(...matches.slice(0, kind === "release" ? 40 : 5));
  }
  return [...new Set(picked.map((album) => album.mbid))];
}

test("the web-service source finds the same release group and original year as the mirror for every path", async () => {
  const { MirrorSource, WebServiceSource } = await import("@/lib/musicbrainz/sources");
  const mbids = sampleMbids();
  const mirror = new MirrorSource(stack.env.MUSICBRAINZ_DATABASE_URL);
  const webService = new WebServiceSource(simulator.url, 40);
  const fromMirror = await mirror.lookupAlbums(mbids);
  const fromWeb = await webService.lookupAlbums(mbids);
  await mirror.close();

  const key = (answers: typeof fromMirror) =>
    new Map(
      answers.map((a) => [a.albumMbid, { group: a.releaseGroupMbid, year: a.year, found: a.matchedAs !== null }]),
    );
  assert.equal(fromWeb.length, mbids.length);
  assert.deepEqual(key(fromWeb), key(fromMirror));
  const catalog = buildCatalog();
  for (const answer of fromMirror)
    assert.equal(answer.year, resolveExpected(catalog, answer.albumMbid)?.year ?? null, answer.albumMbid);
  assert.ok(fromMirror.some((a) => a.matchedAs === "release_redirect") && fromMirror.some((a) => a.matchedAs === null));
});

test("the web-service source batches 100 ids into one search request", async () => {
  const { WebServiceSource } = await import("@/lib/musicbrainz/sources");
  const catalog = buildCatalog();
  const releases = catalog.albums
    .slice(62)
    .filter((album) => catalog.releases.has(album.mbid))
    .slice(0, 100)
    .map((album) => album.mbid);
  simulator.resetStats();
  const answers = await new WebServiceSource(simulator.url, 40).lookupAlbums(releases);
  assert.equal(answers.filter((a) => a.matchedAs === "release").length, 100);
  assert.equal(simulator.stats().requests, 1);
});

test("the web-service source never sends more than 1 request in any second, across callers", async () => {
  const { WebServiceSource } = await import("@/lib/musicbrainz/sources");
  simulator.configure({ ratePerSecond: 1, burst: 1 });
  simulator.resetStats();
  // Unknown ids cost two lookups each (release, then release group): 6 requests from two callers.
  const unknown = ["0f6a7b9e-0000-4000-8000-000000000001", "0f6a7b9e-0000-4000-8000-000000000002"];
  const [first, second] = await Promise.all([
    new WebServiceSource(simulator.url).lookupAlbums([unknown[0]]),
    new WebServiceSource(simulator.url).lookupAlbums([unknown[1]]),
  ]);
  const stats = simulator.stats();
  assert.deepEqual([first[0].matchedAs, second[0].matchedAs], [null, null]);
  assert.equal(stats.rateLimited, 0, JSON.stringify(stats));
  assert.ok(stats.maxInAnySecond <= 1, JSON.stringify(stats));
});

// --- songs -------------------------------------------------------------------------------

/** Recordings of real albums and of generated ones, compilations among them, plus an unknown id. */
async function sampleRecordings() {
  const { recordingsOfGroup } = await import("@/scripts/simulators/catalog");
  const catalog = buildCatalog();
  const groups = [...catalog.releaseGroups.values()];
  const picked = [
    ...groups.slice(0, 20),
    ...groups.filter((group) => group.recordingsDate).slice(0, 10),
    ...groups.slice(-40),
  ];
  const songs = picked.flatMap((group) => recordingsOfGroup(1973, catalog, group).slice(0, 2));
  return { catalog, songs, unknown: "0f6a7b9e-0000-4000-8000-0000000000aa" };
}

test("songs: the web service dates recordings like the mirror, 100 MBIDs per search; an unknown one is unknown", async () => {
  const { yearOf } = await import("@/scripts/simulators/catalog");
  const { MirrorRecordingSource } = await import("@/lib/musicbrainz/recordings/mirror");
  const { WebServiceRecordingSource } = await import("@/lib/musicbrainz/recordings/webservice");
  const { WebServiceSource } = await import("@/lib/musicbrainz/sources");
  const { songs, unknown } = await sampleRecordings();
  const mbids = [...new Set([...songs.map((song) => song.gid), unknown])];
  const mirror = new MirrorRecordingSource(stack.env.MUSICBRAINZ_DATABASE_URL);
  const fromMirror = await mirror.lookupRecordings(mbids);
  await mirror.close();
  simulator.configure({ ratePerSecond: 50, burst: 50 });
  simulator.resetStats();
  const fromWeb = await new WebServiceRecordingSource(new WebServiceSource(simulator.url, 40)).lookupRecordings(mbids);
  const sorted = (answers: typeof fromMirror) =>
    [...answers].sort((a, b) => a.recordingMbid.localeCompare(b.recordingMbid));
  assert.deepEqual(sorted(fromWeb), sorted(fromMirror));
  const truth = new Map(songs.map((song) => [song.gid, yearOf(song.firstReleaseDate)]));
  for (const answer of fromMirror)
    assert.equal(answer.year, answer.isKnown ? truth.get(answer.recordingMbid) : null, answer.recordingMbid);
  assert.equal(fromMirror.find((a) => a.recordingMbid === unknown)?.isKnown, false);
  // One search per 100 ids, then the unknown one looked up alone.
  assert.equal(simulator.stats().requests, Math.ceil(mbids.length / 100) + 1);
});

test("songs: (artist, track) finds the recording within the album's release group or alone, on both sources", async () => {
  const { MirrorRecordingSource } = await import("@/lib/musicbrainz/recordings/mirror");
  const { WebServiceRecordingSource } = await import("@/lib/musicbrainz/recordings/webservice");
  const { WebServiceSource } = await import("@/lib/musicbrainz/sources");
  const { recordingsOfGroup } = await import("@/scripts/simulators/catalog");
  const catalog = buildCatalog();
  const compilation = [...catalog.releaseGroups.values()].find((group) => group.recordingsDate) as ReleaseGroup;
  const plain = [...catalog.releaseGroups.values()].slice(200, 203);
  const pairs = [
    ...recordingsOfGroup(1973, catalog, compilation).map((song) => ({
      artist: song.artistCredit,
      track: song.name,
      releaseGroupMbid: compilation.gid,
      expected: song.gid,
    })),
    ...plain.map((group) => {
      const [song] = recordingsOfGroup(1973, catalog, group);
      return { artist: song.artistCredit.toUpperCase(), track: song.name, releaseGroupMbid: null, expected: song.gid };
    }),
    { artist: "Nobody Knows Ensemble", track: "Love Night 1", releaseGroupMbid: null, expected: null },
  ];
  const mirror = new MirrorRecordingSource(stack.env.MUSICBRAINZ_DATABASE_URL);
  const fromMirror = await mirror.matchRecordings(pairs);
  await mirror.close();
  const fromWeb = await new WebServiceRecordingSource(new WebServiceSource(simulator.url, 40)).matchRecordings(pairs);
  assert.deepEqual(
    fromMirror,
    pairs.map((pair) => pair.expected),
  );
  assert.deepEqual(fromWeb, fromMirror);
});

test("songs: a mirror whose recording_first_release_date was never built dates from track → medium → release → events", async () => {
  const { seedMirror } = await import("@/scripts/simulators/musicbrainz/seed");
  const { createDatabase, dropDatabase, uniqueName } = await import("@/tests/support/databases");
  const { withMirrorClient } = await import("@/lib/musicbrainz/matching/mirror-index");
  const { MirrorRecordingSource } = await import("@/lib/musicbrainz/recordings/mirror");
  const { songs } = await sampleRecordings();
  const name = uniqueName("lyfm_mb_norfrd");
  const url = await createDatabase(name);
  try {
    await seedMirror({ databaseUrl: url, scale: 0 }); // the real albums only
    const real = songs.slice(0, 40).map((song) => song.gid);
    const built = new MirrorRecordingSource(url);
    const materialized = await built.lookupRecordings(real);
    await built.close();
    await withMirrorClient(url, (client) => client.query("TRUNCATE musicbrainz.recording_first_release_date"));
    const fallback = new MirrorRecordingSource(url);
    const fromEvents = await fallback.lookupRecordings(real);
    await fallback.close();
    assert.ok(materialized.filter((a) => a.year !== null).length >= 30, "the sample is mostly dated");
    assert.deepEqual(fromEvents, materialized);
  } finally {
    await dropDatabase(name);
  }
});
