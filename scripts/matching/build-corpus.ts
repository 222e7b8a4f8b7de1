// npm run corpus:build – writes tests/fixtures/matching/corpus.csv, the labelled corpus for matching by
// name, from the catalog the test mirror holds: spellings of real and generated albums that MUST match
// their release group, and look-alikes and absent albums that must NOT match anything.
// Deterministic (seeded), so the committed file is reproducible; edit this script, not the CSV.
import { readFileSync, writeFileSync } from "node:fs";
import { buildCatalog, createRng, DEFAULT_SEED, generatedRelease, parseCsv } from "@/scripts/simulators/catalog";

export type CorpusRow = {
  artist: string;
  album: string;
  /** The release group a correct match names; "" = must not match. */
  expected: string;
  kind: string;
};

export const CORPUS_PATH = new URL("../../tests/fixtures/matching/corpus.csv", import.meta.url);
const ALBUMS_CSV = new URL("../simulators/data/albums.csv", import.meta.url);
const GENERATED_SAMPLE = 550;

const EDITIONS = [" (Remastered 2011)", " - 2009 Remaster", " [Deluxe Edition]", " (Expanded)", " (Super Deluxe)"];
const STORE_SUFFIXES = [" - Single", " - EP", " [Single ]", " [Explicit]", " (Apple Music Edition)"];

/** How a player without accents spells names, letter by letter: "Café" → "Cafe", "Ærø" → "Aero". */
function transliterate(text: string): string {
  const letters: Record<string, string> = { ß: "ss", æ: "ae", Æ: "Ae", ø: "o", Ø: "O", œ: "oe", ł: "l", Ł: "L" };
  return stripAccents(text).replace(/[ßæÆøØœłŁ]/g, (letter) => letters[letter]);
}

/** What a keyboard without accents types: Latin letters lose theirs, other scripts stay as they are. */
function stripAccents(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/(\p{Script=Latin})\p{M}+/gu, "$1")
    .normalize("NFC");
}

/** One letter of a word (never a digit) dropped: a typo. */
function typo(text: string, rng: () => number): string {
  const letters = [...text].map((c, i) => (/\p{L}/u.test(c) ? i : -1)).filter((i) => i > 0);
  if (letters.length < 4) return text;
  const drop = letters[Math.floor(rng() * letters.length)];
  return [...text].filter((_, i) => i !== drop).join("");
}

function toggleThe(artist: string): string {
  return /^the\s/i.test(artist) ? artist.replace(/^the\s+/i, "") : `The ${artist}`;
}

export function buildCorpus(): CorpusRow[] {
  const rng = createRng(20261124);
  const rows: CorpusRow[] = [];
  const catalog = buildCatalog(DEFAULT_SEED);

  // Every real album of albums.csv as Last.fm names it (release title, credited artist), and a folded spelling of it.
  // albums.csv keeps each release title and credit exactly as recorded.
  for (const row of parseCsv(readFileSync(ALBUMS_CSV, "utf8"))) {
    const release = row.release_mbid ? catalog.releases.get(row.release_mbid) : undefined;
    const group = release?.releaseGroupGid ?? row.release_group_mbid;
    if (!group) continue; // AMAMA: its target group is synthetic
    rows.push({ artist: row.artist_name, album: row.release_title, expected: group, kind: "real" });
    rows.push({
      artist: stripAccents(row.artist_name).toUpperCase(),
      album: stripAccents(row.release_title).toLowerCase(),
      expected: group,
      kind: "real-folded",
    });
  }

  // real-world.csv: every Last.fm spelling whose release group and year are known must match it, as sent
  // and as a player without accents, a store export and a tidier tagger would send it.
  const realWorldGroups = new Set<string>();
  for (const album of catalog.realWorld) {
    if (!album.releaseGroupGid || !album.isYearKnown) continue;
    const expected = album.releaseGroupGid;
    realWorldGroups.add(expected);
    rows.push({ artist: album.artist, album: album.title, expected, kind: "real-world" });
    const folded = stripAccents(album.artist);
    if (folded !== album.artist)
      rows.push({ artist: folded, album: album.title, expected, kind: "real-world-accents" });
    const group = catalog.releaseGroups.get(expected);
    const suffix =
      group?.primaryType === "Single" ? " - Single" : group?.primaryType === "EP" ? " - EP" : " [Explicit]";
    if (!/[([]|\s-\s/.test(album.title))
      rows.push({ artist: album.artist, album: album.title + suffix, expected, kind: "real-world-store-suffix" });
    rows.push({
      artist: album.artist.replace(/ & /g, " and ").replace(/'/g, "’"),
      album: album.title
        .replace(/'/g, "’")
        .replace(/\//g, " / ")
        .replace(/\.\.\./g, "…"),
      expected,
      kind: "real-world-punctuation",
    });
  }

  // Generated albums: one spelling variant each, chosen in turn.
  const step = Math.floor(3000 / GENERATED_SAMPLE);
  for (let n = 0; n < GENERATED_SAMPLE; n++) {
    const index = n * step + (n % step);
    const { release } = generatedRelease(DEFAULT_SEED, index);
    const group = release.releaseGroupGid;
    const { name: title, artistCredit: artist } = release;
    const variants: [string, string, string][] = [
      [artist, title, "exact"],
      [artist.toLowerCase(), title.toUpperCase(), "case"],
      [stripAccents(artist).replace(/[’“”]/g, (c) => (c === "’" ? "'" : '"')), title, "accents-quotes"],
      [toggleThe(artist), title, "leading-the"],
      [artist, title + EDITIONS[n % EDITIONS.length], "edition"],
      [`${artist} feat. Guest Singer ${n}`, title, "featuring"],
      [artist, typo(title, rng), "typo"],
      [artist.replace(/[^\p{L}\p{N}\s]/gu, ""), title.replace(/[^\p{L}\p{N}\s]/gu, ""), "no-punctuation"],
      [artist, title + STORE_SUFFIXES[n % STORE_SUFFIXES.length], "store-suffix"],
      [transliterate(artist), transliterate(title), "transliterated"],
      [artist.replace(/ & /g, " and ").replace(/’/g, "'"), title.replace(/ (\d+)$/, " #$1"), "punctuation"],
    ];
    const [a, t, kind] = variants[n % variants.length];
    rows.push({ artist: a, album: t, expected: group, kind });
  }

  // Must not match: the right title under another existing artist, a neighbour's number, absent
  // albums of existing artists, absent artists, and look-alike artists of real albums.
  for (let n = 0; n < 200; n++) {
    const index = 5 + n * 13;
    const { release } = generatedRelease(DEFAULT_SEED, index);
    const other = generatedRelease(DEFAULT_SEED, index + 7).release;
    const shapes: [string, string, string][] = [
      [other.artistCredit, release.name.replace(/\s*\(Remastered \d+\)$/, ""), "other-artist"],
      [release.artistCredit, release.name.replace(/\d+/, (d) => String(Number(d) + 1000)), "other-number"],
      [release.artistCredit, `Unreleased Sessions ${n}`, "absent-album"],
      [`Nobody Knows Ensemble ${n}`, release.name, "absent-artist"],
    ];
    const [artist, album, kind] = shapes[n % shapes.length];
    rows.push({ artist, album, expected: "", kind });
  }
  for (const [artist, album] of [
    ["Portishead Tribute Band", "Dummy"],
    ["Fleetwood Mac Tribute", "Rumours"],
    ["Malaa", "Mala in Cuba"],
    ["Lone", "Mala in Cuba"],
    ["Daft Punk", "Random Access Memories Live in Tokyo"],
    ["Pink Floyd", "The Wall"],
    ["Pink Floyd", "Dummy"],
    ["Burial", "Untrue"],
    ["Linkin Park", "Hybrid Theory"],
    ["Fleetwood Mac", "Tusk"],
  ])
    rows.push({ artist, album, expected: "", kind: "real-look-alike" });
  // Real-world look-alikes: the same artist's other albums, a neighbouring number or numeral, tributes.
  for (const [artist, album] of [
    ["Coldplay", "X&Y"],
    ["Coldplay", "Parachutes Live 2003"],
    ["Adele", "25"],
    ["Adele", "21"],
    ["Led Zeppelin", "Led Zeppelin V"],
    ["Led Zeppelin", "Coda"],
    ["Guns N' Roses", "Use Your Illusion III"],
    ["Santana", "Santana IV"],
    ["The Beatles", "Abbey Road"],
    ["The Beatles", "Let It Be... Naked"],
    ["The Beatles", "2"],
    ["Imagine Dragons", "Mercury - Act 1"],
    ["Metallica", "Master of Puppets"],
    ["Taylor Swift", "folklore"],
    ["Michael Buble Tribute Band", "Christmas"],
    ["The Weeknd Tribute", "Starboy"],
    ["Arctic Monkeys", "AM Remixes Vol. 2"],
    ["Lana Del Rey", "Lust for Life"],
    ["Bjork", "Homogenic"],
    ["Sigur Ros", "Agaetis byrjun"],
  ])
    rows.push({ artist, album, expected: "", kind: "real-world-look-alike" });
  const seen = new Set<string>();
  return rows.filter((row) => {
    const key = `${row.artist}\u0000${row.album}`;
    return !seen.has(key) && seen.add(key);
  });
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function corpusCsv(rows: CorpusRow[]): string {
  const lines = ["artist,album,expected_release_group,kind"];
  for (const row of rows) lines.push([row.artist, row.album, row.expected, row.kind].map(csvField).join(","));
  return `${lines.join("\n")}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = buildCorpus();
  writeFileSync(CORPUS_PATH, corpusCsv(rows));
  const positives = rows.filter((row) => row.expected).length;
  console.log(`corpus: ${rows.length} pairs (${positives} must match, ${rows.length - positives} must not)`);
}
