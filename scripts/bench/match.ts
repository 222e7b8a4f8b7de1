// Matching by name at scale: 1,000 distinct unmatched (artist, album) pairs against the 1M-release test
// mirror with the lyfm_ name indexes (`npm run mb:index`), and the same pairs without them.
import { generatedRelease, recordingsOf, VARIOUS_ARTISTS } from "@/scripts/simulators/catalog";
import { ensureBigMirror } from "./enrich";

const PAIRS = 1_000;
const SEED = 1973;
const MIRROR_SCALE = 1_000_000;

type Pair = { artist: string; album: string; expected: string | null };

/**
 * Spellings as Last.fm users produce them, spread over the whole mirror; one in ten names no album it has,
 * and one in ten is a Various Artists compilation (that credit holds 50,000 release groups here).
 */
function pairs(): Pair[] {
  const result: Pair[] = [];
  for (let k = 0; k < PAIRS; k++) {
    if (k % 10 === 5) {
      // Group indexes 20n + 1 beyond the scrobbled ones are Various Artists compilations.
      const index = 20 * (3_000 / 20 + ((k * 7_919) % (MIRROR_SCALE / 20 - 3_000 / 20))) + 1;
      const { release } = generatedRelease(SEED, index);
      const absent = k % 20 === 15;
      result.push({
        artist: release.artistCredit,
        album: absent ? `Unreleased Compilation ${k}` : release.name,
        expected: absent ? null : release.releaseGroupGid,
      });
      continue;
    }
    const { release } = generatedRelease(SEED, (k * 997 + 13) % MIRROR_SCALE);
    const { artistCredit: artist, name: title, releaseGroupGid: group } = release;
    switch (k % 10) {
      case 0:
        result.push({ artist, album: `${title} (Remastered 2011)`, expected: group });
        break;
      case 1:
        result.push({ artist: artist.toLowerCase(), album: title.toUpperCase(), expected: group });
        break;
      case 2:
        result.push({ artist: `${artist} feat. Guest ${k}`, album: title, expected: group });
        break;
      case 3:
        result.push({ artist: artist.replace(/^The /, ""), album: `${title} [Deluxe Edition]`, expected: group });
        break;
      case 4:
        result.push({ artist, album: `Unreleased Sessions ${k}`, expected: null });
        break;
      default:
        result.push({ artist, album: title, expected: group });
    }
  }
  return result;
}

/**
 * 1,000 songs named by (artist, track) only: half within their album's release group, half (album-less
 * plays) by name alone. Matched with the name indexes; songs per second.
 */
async function timeSongs(url: string): Promise<Record<string, number | string>> {
  const { MirrorRecordingSource } = await import("@/lib/musicbrainz/recordings/mirror");
  const songs: { artist: string; track: string; releaseGroupMbid: string | null; expected: string }[] = [];
  for (let k = 0; k < PAIRS; k++) {
    const { group, release } = generatedRelease(SEED, (((k * 7_919 + 11) % MIRROR_SCALE) * 5) % MIRROR_SCALE);
    if (!group) continue;
    const recording = recordingsOf(SEED, group)[k % 3];
    songs.push({
      artist: recording.artistCredit,
      track: recording.name,
      releaseGroupMbid: k % 2 === 0 ? release.releaseGroupGid : null,
      expected: recording.gid,
    });
  }
  const source = new MirrorRecordingSource(url);
  await source.matchRecordings(songs); // warm, as for the albums
  const started = performance.now();
  const answers = await source.matchRecordings(songs);
  const ms = performance.now() - started;
  await source.close();
  return {
    "match.songs": songs.length,
    "match.songs_correct": `${answers.filter((answer, i) => answer === songs[i].expected).length} / ${songs.length}`,
    "match.songs_ms": Math.round(ms),
    "match.songs_per_second": Math.round((songs.length / ms) * 1000),
  };
}

/**
 * The first run meets a cold cache (a worker just started); a running worker meets a warm one: the
 * first run is printed, the median of the next `warmRuns` is the figure.
 */
async function timeMatching(url: string, input: Pair[], warmRuns = 3) {
  const { MirrorNameMatcher } = await import("@/lib/musicbrainz/matching/mirror-matcher");
  const matcher = new MirrorNameMatcher(url);
  await matcher.matchPairs(input.slice(0, 5)); // connect and warm the pool
  const runs: number[] = [];
  let answers: Awaited<ReturnType<typeof matcher.matchPairs>> = [];
  for (let run = 0; run <= warmRuns; run++) {
    const started = performance.now();
    answers = await matcher.matchPairs(input);
    runs.push(performance.now() - started);
  }
  const [firstMs, ...warm] = runs;
  const ms = warm.length ? [...warm].sort((a, b) => a - b)[Math.floor(warm.length / 2)] : firstMs;
  await matcher.close();
  const correct = answers.filter((answer, i) => (answer?.releaseGroupMbid ?? null) === input[i].expected).length;
  const various = input.filter((pair) => pair.artist === VARIOUS_ARTISTS).length;
  return { ms, firstMs, correct, various };
}

export async function benchMatch(): Promise<Record<string, number | string>> {
  const url = await ensureBigMirror();
  const { createNameIndexes, dropNameIndexes, withMirrorClient } = await import(
    "@/lib/musicbrainz/matching/mirror-index"
  );
  await withMirrorClient(url, (client) => createNameIndexes(client));
  const input = pairs();
  const indexed = await timeMatching(url, input);
  console.log(`(with the name indexes: ${Math.round(indexed.ms)} ms, ${indexed.correct} / ${input.length} right)`);
  const songs = await timeSongs(url);

  // Without the indexes every artist lookup scans the artist, alias and credit tables.
  await withMirrorClient(url, (client) => dropNameIndexes(client));
  let bare: { ms: number; correct: number; various: number };
  try {
    bare = await timeMatching(url, input, 0); // minutes a run: once is enough
  } finally {
    const started = performance.now();
    await withMirrorClient(url, (client) => createNameIndexes(client));
    console.log(`(name indexes rebuilt in ${Math.round((performance.now() - started) / 1000)} s)`);
  }
  return {
    "match.pairs": input.length,
    "match.various_artists_pairs": indexed.various,
    "match.correct": `${indexed.correct} / ${input.length}`,
    "match.with_index_ms (goal < 1000)": Math.round(indexed.ms),
    "match.with_index_first_run_ms": Math.round(indexed.firstMs),
    "match.without_index_ms": Math.round(bare.ms),
    "match.without_index_correct": `${bare.correct} / ${input.length}`,
    "match.index_speedup": Math.round((bare.ms / indexed.ms) * 10) / 10,
    ...songs,
  };
}
