// Matching by name, measured on the labelled corpus (tests/fixtures/matching/corpus.csv, built by
// `npm run corpus:build` from the test mirror's catalog): recall on spellings that must match, and the
// wrong-match rate over everything (a wrong release group, or any match for a look-alike or absent album).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { parseCsv } from "@/scripts/simulators/catalog";
import { startMusicbrainzSimulator } from "@/scripts/simulators/musicbrainz/ws-server";
import { type Stack, startStack } from "@/tests/support/stack";

// The synthetic part (generated albums and their spellings) and the real part (albums.csv and
// real-world.csv as Last.fm spells them) are scored apart: one must not hide the other.
const SYNTHETIC_RECALL_FLOOR = 0.97;
const SYNTHETIC_WRONG_CEILING = 0.005;
const REAL_RECALL_FLOOR = 0.95;
const isReal = (row: Row) => row.kind.startsWith("real");
const isLookAlike = (row: Row) => !row.expected_release_group;

type Row = { artist: string; album: string; expected_release_group: string; kind: string };
const corpus = parseCsv(readFileSync("tests/fixtures/matching/corpus.csv", "utf8")) as Row[];

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack.stop();
});

type Score = { recall: number; wrong: number; misses: string[]; wrongs: string[] };

function score(rows: Row[], answers: ({ releaseGroupMbid: string } | null)[]): Score {
  let found = 0;
  const misses: string[] = [];
  const wrongs: string[] = [];
  const positives = rows.filter((row) => row.expected_release_group).length;
  for (const [i, row] of rows.entries()) {
    const answer = answers[i];
    const label = `${row.kind}: ${row.artist} – ${row.album} → ${answer?.releaseGroupMbid ?? "none"}`;
    if (row.expected_release_group && answer?.releaseGroupMbid === row.expected_release_group) found++;
    else if (answer) wrongs.push(label);
    else if (row.expected_release_group) misses.push(label);
  }
  return { recall: found / positives, wrong: wrongs.length / rows.length, misses, wrongs };
}

function report(source: string, rows: Row[], result: Score, ms: number) {
  const positives = rows.filter((row) => row.expected_release_group).length;
  console.log(
    `name matching (${source}): ${rows.length} pairs (${positives} must match): recall ${(100 * result.recall).toFixed(1)} %, ` +
      `wrong ${(100 * result.wrong).toFixed(2)} % (${result.wrongs.length}), ${ms.toFixed(0)} ms`,
  );
  for (const line of result.misses.slice(0, 15)) console.log(`  missed ${line}`);
  for (const line of result.wrongs) console.log(`  WRONG  ${line}`);
}

test("the mirror matcher: synthetic recall ≥ 97 %, wrong ≤ 0.5 %; real-world recall ≥ 95 %; no look-alike ever matches", async () => {
  const { MirrorNameMatcher } = await import("@/lib/musicbrainz/matching/mirror-matcher");
  const matcher = new MirrorNameMatcher(stack.env.MUSICBRAINZ_DATABASE_URL);
  const started = performance.now();
  const answers = await matcher.matchPairs(corpus);
  const ms = performance.now() - started;
  await matcher.close();
  const part = (keep: (row: Row) => boolean) => {
    const indexes = [...corpus.keys()].filter((i) => keep(corpus[i]));
    const rows = indexes.map((i) => corpus[i]);
    return {
      rows,
      result: score(
        rows,
        indexes.map((i) => answers[i]),
      ),
    };
  };
  const synthetic = part((row) => !isReal(row));
  const real = part(isReal);
  report("mirror, synthetic", synthetic.rows, synthetic.result, ms);
  report("mirror, real-world", real.rows, real.result, ms);
  assert.ok(synthetic.result.recall >= SYNTHETIC_RECALL_FLOOR, `synthetic recall ${synthetic.result.recall}`);
  assert.ok(synthetic.result.wrong <= SYNTHETIC_WRONG_CEILING, `synthetic wrong-match rate ${synthetic.result.wrong}`);
  assert.ok(real.result.recall >= REAL_RECALL_FLOOR, `real-world recall ${real.result.recall}`);
  assert.deepEqual(real.result.wrongs, [], "no real-world pair matches a wrong release group");
  const lookAlikes = corpus.filter((row, i) => isLookAlike(row) && answers[i]);
  assert.deepEqual(lookAlikes, [], "no look-alike or absent album matches");
  // Confidence is what the chart shows: exact spellings score 1, fuzzy ones less, never above 1.
  const exact = answers[corpus.findIndex((row) => row.kind === "exact")];
  assert.equal(exact?.confidence, 1);
  const typo = answers.find((answer, i) => corpus[i].kind === "typo" && answer);
  assert.ok(typo && typo.confidence < 1 && typo.confidence >= 0.7, `typo confidence ${typo?.confidence}`);
});

test("the web-service matcher agrees on a sample, and never accepts a high search score with different names", async () => {
  const { WebServiceSource } = await import("@/lib/musicbrainz/sources");
  const { WebServiceNameMatcher } = await import("@/lib/musicbrainz/matching/webservice-matcher");
  const simulator = await startMusicbrainzSimulator({ ratePerSecond: 100, burst: 100 });
  try {
    const matcher = new WebServiceNameMatcher(new WebServiceSource(simulator.url, 80));
    // Every kind of the corpus, a few of each: the search costs one request per pair.
    const perKind = new Map<string, number>();
    const sample = corpus.filter((row) => {
      perKind.set(row.kind, (perKind.get(row.kind) ?? 0) + 1);
      return (perKind.get(row.kind) ?? 0) <= 6;
    });
    const started = performance.now();
    const answers = await matcher.matchPairs(sample);
    const result = score(sample, answers);
    report("web service", sample, result, performance.now() - started);
    assert.equal(result.wrongs.length, 0, "no wrong match");
    assert.ok(result.recall >= 0.8, `recall ${result.recall}`);
  } finally {
    await simulator.close();
  }
});

test("a mirror without pg_trgm (npm run mb:index never run) still matches exact artist names, and never wrongly", async () => {
  const { seedMirror } = await import("@/scripts/simulators/musicbrainz/seed");
  const { createDatabase, dropDatabase, uniqueName } = await import("@/tests/support/databases");
  const { withMirrorClient } = await import("@/lib/musicbrainz/matching/mirror-index");
  const { MirrorNameMatcher } = await import("@/lib/musicbrainz/matching/mirror-matcher");
  const name = uniqueName("lyfm_mb_notrgm");
  const url = await createDatabase(name);
  try {
    await seedMirror({ databaseUrl: url, scale: 0 }); // the real albums only
    await withMirrorClient(url, (client) => client.query("DROP EXTENSION pg_trgm CASCADE"));
    const real = corpus.filter(isReal);
    const matcher = new MirrorNameMatcher(url);
    const answers = await matcher.matchPairs(real);
    await matcher.close();
    const result = score(real, answers);
    report("mirror without pg_trgm", real, result, 0);
    assert.equal(result.wrongs.length, 0);
    assert.ok(result.recall >= REAL_RECALL_FLOOR, `recall ${result.recall}`);
  } finally {
    await dropDatabase(name);
  }
});

test("a resolving MBID is trusted: measured, the names of every real-world MBID that resolves agree with its release group", async () => {
  const { buildCatalog } = await import("@/scripts/simulators/catalog");
  const { MirrorSource } = await import("@/lib/musicbrainz/sources");
  const { chooseMatch } = await import("@/lib/musicbrainz/matching/choose");
  const catalog = buildCatalog();
  const source = new MirrorSource(stack.env.MUSICBRAINZ_DATABASE_URL);
  // Would "names plainly disagree with the MBID's release group" catch wrong MBIDs, or drop right ones?
  const measure = async (albums: { mbid: string; artist: string; title: string }[]) => {
    const lookups = await source.lookupAlbums(albums.map((album) => album.mbid));
    const byMbid = new Map(lookups.map((lookup) => [lookup.albumMbid, lookup]));
    const disagreeing: string[] = [];
    let resolving = 0;
    for (const album of albums) {
      const lookup = byMbid.get(album.mbid);
      if (!lookup?.releaseGroupMbid || !lookup.releaseGroupName || !lookup.artistCredit) continue;
      resolving++;
      const candidate = {
        releaseGroupMbid: lookup.releaseGroupMbid,
        releaseGroupName: lookup.releaseGroupName,
        title: lookup.releaseGroupName,
        artistName: lookup.artistCredit,
        year: lookup.year,
        primaryType: null,
        secondaryTypes: [],
      };
      if (!chooseMatch({ artist: album.artist, album: album.title }, [candidate]))
        disagreeing.push(`${album.artist} – ${album.title} → ${lookup.artistCredit} – ${lookup.releaseGroupName}`);
    }
    return { resolving, disagreeing };
  };
  const real = await measure(catalog.realWorld.filter((album) => album.isMbidKnown));
  const synthetic = await measure(catalog.albums.filter((album) => album.isMbidKnown).slice(0, 2000));
  await source.close();
  for (const [part, result] of [
    ["real-world", real],
    ["catalog", synthetic],
  ] as const) {
    console.log(
      `resolving MBIDs whose names disagree (${part}): ${result.disagreeing.length} of ${result.resolving}` +
        result.disagreeing.map((line) => `\n  ${line}`).join(""),
    );
  }
  // Every disagreement found is a right MBID with names spelled another way (translated titles, releases
  // titled apart from their group): rejecting such MBIDs would only lose right years.
  assert.equal(real.disagreeing.length, 0);
  assert.ok(real.resolving >= 8, `${real.resolving} real-world MBIDs resolve`);
});
