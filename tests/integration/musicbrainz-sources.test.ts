// The two MusicBrainz sources behind one interface answer alike: the mirror (one SQL query per batch)
// and the web service (reid/rgid searches of 100 ids, lookups with 301 following), within 1 request/s.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { buildCatalog, resolveExpected } from "@/scripts/simulators/catalog";
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
