// The one catalog both simulators read: the real albums of albums.csv plus albums
// generated from a seed. The MusicBrainz test mirror stores it, the Last.fm simulator
// scrobbles from it, so every import has a known true answer (`expectedYear`).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

export type ReleaseGroup = {
  gid: string;
  name: string;
  artistCredit: string;
  /** As MusicBrainz formats it: "1994-08-22", "2000-09", "1999", or null (no date). */
  date: string | null;
  primaryType: string | null;
  secondaryTypes: string[];
  /** A mirror can lack the derived meta row entirely; code must LEFT JOIN. */
  hasMetaRow: boolean;
  /** The group whose recordings this one's releases hold, when not its own (a compilation's origin). */
  recordingsOf?: string;
  /** When its recordings first came out, when earlier than the group (a compilation of older songs). */
  recordingsDate?: string | null;
};

export type Release = {
  gid: string;
  name: string;
  artistCredit: string;
  releaseGroupGid: string;
  /** The edition's own date (not the original year). */
  date: string | null;
  status: string | null;
};

export type Redirect = { oldGid: string; newGid: string; entity: "release" | "release_group" };

export type Catalog = {
  releaseGroups: Map<string, ReleaseGroup>;
  releases: Map<string, Release>;
  redirects: Redirect[];
};

/** An album as a Last.fm scrobble names it: the MBID it carries may be a release, a
 *  release group, a merged (redirected) id or an id MusicBrainz does not know. */
export type ScrobbleAlbum = {
  mbid: string;
  title: string;
  artist: string;
  /** The original release year a correct lookup must find (null: MusicBrainz has no date or no entity). */
  expectedYear: number | null;
  /** The year matching by (artist, title) must find when a scrobble names the album without its MBID. */
  nameYear: number | null;
  /** MusicBrainz knows `mbid` (release, release group or a redirect); else the names date the album. */
  isMbidKnown: boolean;
  /** The release group whose recordings the album holds; null: MusicBrainz does not have the album. */
  releaseGroupGid: string | null;
  /** That group collects older songs (compilation, soundtrack, DJ-mix): plays count by song. */
  isCompilation: boolean;
};

const COLLECTIONS = ["Compilation", "Soundtrack", "DJ-mix"];
const isCollectionGroup = (group: ReleaseGroup | undefined) =>
  Boolean(group?.secondaryTypes.some((type) => COLLECTIONS.includes(type)));

const ALBUMS_CSV = new URL("./data/albums.csv", import.meta.url);

export function yearOf(date: string | null): number | null {
  return date && /^\d{4}/.test(date) ? Number(date.slice(0, 4)) : null;
}

/** mulberry32: tiny, fast and good enough to make reproducible test data. */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function hashString(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** A UUID (v5 layout, SHA-1) that depends only on the inputs: no collisions even at millions of ids. */
export function deterministicUuid(...parts: (string | number)[]): string {
  const s = createHash("sha1").update(parts.join("|")).digest("hex");
  const variant = ((Number.parseInt(s[16], 16) & 0x3) | 0x8).toString(16);
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-5${s.slice(13, 16)}-${variant}${s.slice(17, 20)}-${s.slice(20, 32)}`;
}

export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let field = "";
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\n") row.push(field), rows.push(row), (row = []), (field = "");
    else if (c !== "\r") field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  const [header, ...body] = rows;
  return body.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""])));
}

// Crumb's AMAMA is a real merged release MBID whose surviving release was never
// recorded, so its target here is synthetic (an undated release group): truth stays "unknown".
const AMAMA_TARGET = { release: deterministicUuid("amama-release"), group: deterministicUuid("amama-group") };

function addRealAlbums(catalog: Catalog): ScrobbleAlbum[] {
  const albums: ScrobbleAlbum[] = [];
  for (const row of parseCsv(readFileSync(ALBUMS_CSV, "utf8"))) {
    const rgGid = row.release_group_mbid;
    const date = row.rg_first_release_date || null;
    if (row.release_mbid && !rgGid) {
      catalog.releaseGroups.set(AMAMA_TARGET.group, {
        gid: AMAMA_TARGET.group,
        name: row.release_title,
        artistCredit: row.artist_name,
        date: null,
        primaryType: "Album",
        secondaryTypes: [],
        hasMetaRow: true,
      });
      catalog.releases.set(AMAMA_TARGET.release, {
        gid: AMAMA_TARGET.release,
        name: row.release_title,
        artistCredit: row.artist_name,
        releaseGroupGid: AMAMA_TARGET.group,
        date: null,
        status: "Official",
      });
      catalog.redirects.push({ oldGid: row.release_mbid, newGid: AMAMA_TARGET.release, entity: "release" });
      albums.push({
        mbid: row.release_mbid,
        title: row.release_title,
        artist: row.artist_name,
        expectedYear: null,
        nameYear: null,
        isMbidKnown: true,
        releaseGroupGid: AMAMA_TARGET.group,
        isCompilation: false,
      });
      continue;
    }
    if (!catalog.releaseGroups.has(rgGid)) {
      catalog.releaseGroups.set(rgGid, {
        gid: rgGid,
        name: row.rg_title || row.release_title,
        artistCredit: row.artist_name,
        date,
        primaryType: row.rg_primary_type || null,
        secondaryTypes: row.rg_secondary_types ? row.rg_secondary_types.split(";") : [],
        hasMetaRow: true,
      });
    }
    if (row.release_mbid) {
      catalog.releases.set(row.release_mbid, {
        gid: row.release_mbid,
        name: row.release_title,
        artistCredit: row.artist_name,
        releaseGroupGid: rgGid,
        date: row.release_date || null,
        status: row.release_status || null,
      });
    }
    albums.push({
      mbid: row.release_mbid || rgGid,
      title: row.release_title,
      artist: row.artist_name,
      expectedYear: yearOf(date),
      nameYear: yearOf(date),
      isMbidKnown: true,
      releaseGroupGid: rgGid,
      isCompilation: isCollectionGroup(catalog.releaseGroups.get(rgGid)),
    });
  }
  return albums;
}

const REAL_WORLD_CSV = new URL("./data/real-world.csv", import.meta.url);

/**
 * Release-group titles real-world.csv could not record (its `truth=STRUMOTD` rows give only the group's id
 * and year) and whose every Last.fm spelling carries a store or edition suffix: stand-ins written by hand
 * as MusicBrainz titles the album. Every other group takes its recorded title or its plainest spelling.
 */
const STAND_IN_TITLES: Record<string, string> = {
  "3f5eba8d-4dc1-4599-a936-21f501787f8e": "Armageddon",
  "38d65202-a589-38ad-bf19-6161193340ee": "Fresh Cream",
  "5a9e28b6-1a83-3581-82eb-eeedf5673b7f": "Caribou",
  "d4b0f3e2-e3eb-3531-b305-ed8105cb5be4": "All Things Must Pass",
  "5708e8f4-71a5-4f47-9b30-d36a0e3bdc56": "Under the Mistletoe",
  "499c19c8-0dab-4824-884b-6191d145e95b": "good kid, m.A.A.d city",
  "2c238047-b853-4003-b087-15f694335f9e": "Ultraviolence",
  "2e61da88-39e9-3473-81d2-c964cb394952": "Led Zeppelin IV",
  "116c9490-6af4-3827-8261-2d5b1f508fe7": "Physical Graffiti",
  "d6a52dc7-f4fa-4d10-89d9-5a99d178dae9": "McCartney",
  "44c90c72-76b5-3c13-890e-3d37f21c10c9": "The Works",
  "6258df90-78c7-3395-8830-e7b4328a002c": "Santana III",
  "6e514645-fbee-34ac-97e0-c2120a4a5644": "Magical Mystery Tour",
  "78570bea-2a26-467c-a3db-c52723ceb394": "After Hours",
};

/** A real-world play: the album as Last.fm sent it (the MBID may be empty, stale or a reissue's). */
export type RealWorldAlbum = ScrobbleAlbum & {
  /** MusicBrainz's first-release year is known from the sources (151 of 167 rows). */
  isYearKnown: boolean;
};

/**
 * The albums of real-world.csv (Last.fm spellings joined to MusicBrainz truth, sources per row) as
 * release groups and releases with their real MBIDs, titles, credits and years. Rows whose truth the
 * sources withheld or could not find stay out of the mirror: matching must leave them undated.
 */
function addRealWorldAlbums(catalog: Catalog): RealWorldAlbum[] {
  const rows = parseCsv(readFileSync(REAL_WORLD_CSV, "utf8"));
  const spellings = new Map<string, string[]>();
  for (const row of rows)
    if (row.mb_release_group_mbid)
      spellings.set(row.mb_release_group_mbid, [...(spellings.get(row.mb_release_group_mbid) ?? []), row.album]);
  const albums: RealWorldAlbum[] = [];
  for (const row of rows) {
    const rgGid = row.mb_release_group_mbid;
    const isInMirror = Boolean(rgGid) && !/truth=(withheld|ambiguous)/.test(row.notes);
    if (isInMirror && !catalog.releaseGroups.has(rgGid)) {
      const type = /RG type: ([\w+-]+)/.exec(row.notes)?.[1]?.split("+") ?? ["Album"];
      const plainest = [...(spellings.get(rgGid) ?? [row.album])].sort((a, b) => a.length - b.length)[0];
      catalog.releaseGroups.set(rgGid, {
        gid: rgGid,
        name: row.rg_title || STAND_IN_TITLES[rgGid] || plainest,
        artistCredit: row.rg_artist || row.artist,
        date: /first-release-date ([\d-]+)/.exec(row.notes)?.[1] ?? (row.first_release_year || null),
        primaryType: type[0],
        secondaryTypes: type.slice(1),
        hasMetaRow: true,
      });
    }
    const release = /MB release "(.*?)"(?: dated ([\d-]+))? \((\w+)\)/.exec(row.notes);
    if (isInMirror && row.mb_release_mbid && release && !catalog.releases.has(row.mb_release_mbid)) {
      catalog.releases.set(row.mb_release_mbid, {
        gid: row.mb_release_mbid,
        name: release[1],
        artistCredit: row.rg_artist || row.artist,
        releaseGroupGid: rgGid,
        date: release[2] ?? null,
        status: release[3],
      });
    }
    const year = row.first_release_year ? Number(row.first_release_year) : null;
    const mbid = row.lastfm_album_mbid;
    const isMbidKnown = Boolean(mbid) && (catalog.releases.has(mbid) || catalog.releaseGroups.has(mbid));
    albums.push({
      mbid,
      title: row.album,
      artist: row.artist,
      expectedYear: isMbidKnown ? year : null,
      nameYear: year,
      isMbidKnown,
      isYearKnown: year !== null,
      releaseGroupGid: isInMirror ? rgGid : null,
      isCompilation: isInMirror && isCollectionGroup(catalog.releaseGroups.get(rgGid)),
    });
  }
  return albums;
}

/**
 * On MusicBrainz every release group has a release, and its first release date is its earliest release's.
 * Where the sources recorded only the group, or not the release that first came out, a stand-in release
 * (synthetic id; the group's title, credit and date) holds its tracks and that first date.
 */
function addStandInReleases(catalog: Catalog): void {
  const earliest = new Map<string, number>();
  for (const release of catalog.releases.values()) {
    const year = yearOf(release.date) ?? Number.POSITIVE_INFINITY;
    earliest.set(release.releaseGroupGid, Math.min(earliest.get(release.releaseGroupGid) ?? year, year));
  }
  for (const group of catalog.releaseGroups.values()) {
    const first = earliest.get(group.gid);
    if (first !== undefined && (group.date === null || first <= (yearOf(group.date) ?? 0))) continue;
    const gid = deterministicUuid("stand-in-release", group.gid);
    catalog.releases.set(gid, {
      gid,
      name: group.name,
      artistCredit: group.artistCredit,
      releaseGroupGid: group.gid,
      date: group.date,
      status: "Official",
    });
  }
}

const WORDS = [
  "Velvet",
  "Echo",
  "Neon",
  "Harbor",
  "Glass",
  "Midnight",
  "Paper",
  "Static",
  "Golden",
  "Silent",
  "Electric",
  "Winter",
  "Coral",
  "Atlas",
  "Hollow",
  "Crimson",
  "Lunar",
  "Wild",
  "Distant",
  "Quiet",
  "Signal",
  "River",
  "Summer",
  "Ghost",
  "Radio",
  "Marble",
  "Copper",
  "Orbit",
  "Canyon",
  "Ember",
];
const ARTIST_SHAPES = [
  (a: string, b: string) => `The ${a} ${b}s`,
  (a: string, b: string) => `${a} ${b}`,
  (a: string, b: string) => `${a} & the ${b}s`,
  (a: string, b: string) => `${a}’s “${b}”`,
  (a: string, b: string) => `Café ${a} ${b}`,
  (a: string, b: string) => `${a} x ${b}`,
];

export const VARIOUS_ARTISTS = "Various Artists";
/** The title of a generated compilation's origin album: unlike any generated title, so name matching keeps them apart. */
const ORIGIN_TITLE = "Early Years";

/** Years skew recent, as listening does, with a long tail back to the 1950s. */
function pickYear(rng: () => number): number {
  const recent = rng() < 0.55;
  return recent ? 2000 + Math.floor(rng() * 26) : 1955 + Math.floor(rng() * 45);
}

/**
 * Generated release number `index` (0-based). Pure in (seed, index), so a mirror seeded
 * with --scale 1,000,000 holds exactly the albums a smaller one holds, and more.
 * Every fifth release is a reissue filed under the previous release's (older) group.
 */
export function generatedRelease(
  seed: number,
  index: number,
): {
  release: Release;
  group: ReleaseGroup | null;
  redirects: Redirect[];
  /** A compilation's origin: the earlier album its recordings first came out on. */
  origin: { group: ReleaseGroup; release: Release } | null;
} {
  const isReissue = index % 5 === 4;
  const groupIndex = isReissue ? index - 1 : index;
  const g = createRng(hashString(`${seed}|group|${groupIndex}`));
  const a = WORDS[Math.floor(g() * WORDS.length)];
  const b = WORDS[Math.floor(g() * WORDS.length)];
  // Beyond the scrobbled releases (big mirrors only), every twentieth group is a Various Artists
  // compilation: on a real mirror that one credit holds hundreds of thousands of release groups.
  const isVarious = groupIndex >= SCROBBLED_GENERATED_RELEASES && groupIndex % 20 === 1;
  const artist = isVarious
    ? VARIOUS_ARTISTS
    : `${ARTIST_SHAPES[Math.floor(g() * ARTIST_SHAPES.length)](a, b)} ${groupIndex}`;
  const title = `${WORDS[Math.floor(g() * WORDS.length)]} ${WORDS[Math.floor(g() * WORDS.length)]} ${groupIndex}`;
  const year = pickYear(g);
  const month = String(1 + Math.floor(g() * 12)).padStart(2, "0");
  const day = String(1 + Math.floor(g() * 28)).padStart(2, "0");
  const shape =
    groupIndex % 40 === 11 ? "none" : groupIndex % 10 === 3 ? "year" : groupIndex % 10 === 6 ? "month" : "day";
  const date =
    shape === "none"
      ? null
      : shape === "year"
        ? `${year}`
        : shape === "month"
          ? `${year}-${month}`
          : `${year}-${month}-${day}`;
  const groupGid = deterministicUuid(seed, "rg", groupIndex);
  const group: ReleaseGroup | null = isReissue
    ? null
    : {
        gid: groupGid,
        name: title,
        artistCredit: artist,
        date,
        primaryType: groupIndex % 7 === 2 ? "EP" : "Album",
        secondaryTypes: isVarious || groupIndex % 13 === 5 ? ["Compilation"] : [],
        hasMetaRow: groupIndex % 97 !== 5,
      };
  const reissueYear = Math.min(2025, year + 10 + (index % 20));
  const release: Release = {
    gid: deterministicUuid(seed, "release", index),
    name: isReissue ? `${title} (Remastered ${reissueYear})` : title,
    artistCredit: artist,
    releaseGroupGid: groupGid,
    date: date === null ? null : isReissue ? `${reissueYear}-03-01` : date,
    status: index % 31 === 17 ? "Bootleg" : "Official",
  };
  // A compilation collects older songs: an earlier album by the same artist holds its recordings first.
  let origin: { group: ReleaseGroup; release: Release } | null = null;
  if (group && group.secondaryTypes.includes("Compilation") && !isVarious) {
    const originYear = Math.max(1950, year - 8 - (groupIndex % 15));
    const originGid = deterministicUuid(seed, "origin-rg", groupIndex);
    origin = {
      group: {
        gid: originGid,
        name: ORIGIN_TITLE,
        artistCredit: artist,
        date: `${originYear}`,
        primaryType: "Album",
        secondaryTypes: [],
        hasMetaRow: true,
        recordingsOf: groupGid,
      },
      release: {
        gid: deterministicUuid(seed, "origin-release", groupIndex),
        name: ORIGIN_TITLE,
        artistCredit: artist,
        releaseGroupGid: originGid,
        date: `${originYear}`,
        status: "Official",
      },
    };
    group.recordingsDate = origin.group.date;
  }
  const redirects: Redirect[] = [];
  if (index % 50 === 7)
    redirects.push({ oldGid: deterministicUuid(seed, "old-release", index), newGid: release.gid, entity: "release" });
  if (!isReissue && index % 50 === 13)
    redirects.push({ oldGid: deterministicUuid(seed, "old-rg", index), newGid: groupGid, entity: "release_group" });
  return { release, group, redirects, origin };
}

/** The year a correct resolver finds for a generated group (meta row missing → null). */
function expectedGroupYear(group: ReleaseGroup): number | null {
  return group.hasMetaRow ? yearOf(group.date) : null;
}

export const DEFAULT_SEED = 1973;
/** Generated releases the Last.fm simulator scrobbles from; the mirror must hold at least these. */
export const SCROBBLED_GENERATED_RELEASES = 3000;

/** The catalog with `generated` generated releases. */
export function buildCatalog(
  seed = DEFAULT_SEED,
  generated = SCROBBLED_GENERATED_RELEASES,
): Catalog & { albums: ScrobbleAlbum[]; realWorld: RealWorldAlbum[] } {
  const catalog: Catalog = { releaseGroups: new Map(), releases: new Map(), redirects: [] };
  const albums = addRealAlbums(catalog);
  // Played only by the real-world account (scripts/simulators/lastfm/profiles.ts), so the generated
  // accounts' favourites stay as they were.
  const realWorld = addRealWorldAlbums(catalog);
  addStandInReleases(catalog);
  for (let i = 0; i < generated; i++) {
    const { release, group, redirects, origin } = generatedRelease(seed, i);
    if (group) catalog.releaseGroups.set(group.gid, group);
    catalog.releases.set(release.gid, release);
    if (origin) {
      catalog.releaseGroups.set(origin.group.gid, origin.group);
      catalog.releases.set(origin.release.gid, origin.release);
    }
    catalog.redirects.push(...redirects);
    const rg = catalog.releaseGroups.get(release.releaseGroupGid) as ReleaseGroup;
    const expectedYear = expectedGroupYear(rg);
    // Last.fm mostly carries release ids; some albums reach us by a merged id or an RG id.
    const viaRedirect = redirects.find((r) => r.entity === "release");
    const viaGroupRedirect = redirects.find((r) => r.entity === "release_group");
    const mbid = viaRedirect?.oldGid ?? viaGroupRedirect?.oldGid ?? (i % 23 === 9 && group ? group.gid : release.gid);
    albums.push({
      mbid,
      title: release.name,
      artist: release.artistCredit,
      expectedYear,
      nameYear: expectedYear,
      isMbidKnown: true,
      releaseGroupGid: rg.gid,
      isCompilation: isCollectionGroup(rg),
    });
    // An id MusicBrainz never had (a recording id, a typo): must come back as "unknown".
    if (i % 101 === 50) {
      albums.push({
        mbid: deterministicUuid(seed, "unknown", i),
        title: `${release.name} (Bonus)`,
        artist: release.artistCredit,
        expectedYear: null,
        // By name it is the album it is a bonus edition of: names date it when the MBID fails.
        nameYear: expectedYear,
        isMbidKnown: false,
        releaseGroupGid: rg.gid,
        isCompilation: isCollectionGroup(rg),
      });
    }
  }
  return { ...catalog, albums, realWorld };
}

const redirectIndex = new WeakMap<Catalog, Map<string, Redirect>>();

function findRedirect(catalog: Catalog, gid: string, entity: Redirect["entity"]): Redirect | undefined {
  let index = redirectIndex.get(catalog);
  if (!index) {
    index = new Map(catalog.redirects.map((r) => [`${r.entity}:${r.oldGid}`, r]));
    redirectIndex.set(catalog, index);
  }
  return index.get(`${entity}:${gid}`);
}

/** What a correct lookup of `mbid` finds: the RG year, via redirects; undefined if MusicBrainz has no such id. */
export function resolveExpected(
  catalog: Catalog,
  mbid: string,
): { year: number | null; releaseGroupGid: string } | undefined {
  const groupYear = (gid: string) => {
    const rg = catalog.releaseGroups.get(gid);
    return rg && (rg.hasMetaRow ? yearOf(rg.date) : null);
  };
  const release = catalog.releases.get(mbid);
  if (release) return { year: groupYear(release.releaseGroupGid) ?? null, releaseGroupGid: release.releaseGroupGid };
  const redirect = findRedirect(catalog, mbid, "release");
  if (redirect) return resolveExpected(catalog, redirect.newGid);
  if (catalog.releaseGroups.has(mbid)) return { year: groupYear(mbid) ?? null, releaseGroupGid: mbid };
  const groupRedirect = findRedirect(catalog, mbid, "release_group");
  if (groupRedirect) return { year: groupYear(groupRedirect.newGid) ?? null, releaseGroupGid: groupRedirect.newGid };
  return undefined;
}

// ---- recordings ----------------------------------------------------------------------------------

export type Recording = {
  gid: string;
  name: string;
  artistCredit: string;
  /** The earliest date a release holding it came out (recording_first_release_date's truth). */
  firstReleaseDate: string | null;
};

/** Words and shapes of made-up song titles (the catalog's recordings and the listeners' album-less plays). */
export const TRACK_WORDS = `Love Night Light Heart Dream Fire Rain Road Home Time Sky Water Gold Shadow Morning Stranger
  Dancing Falling Running Waiting Blue Silver Northern Last First Little Lonely Slow Summer Mirror Ocean Train`.split(
  /\s+/,
);
export const UNICODE_WORDS =
  "Café|Niño|Smörgåsbord|Déjà Vu|Straße|Ōsaka|夜明け|Любовь|Señorita|Ærø|naïve|Göteborg".split("|");
export const TRACK_SHAPES = [
  (a: string, b: string) => `${a} ${b}`,
  (a: string, b: string) => `${a} of the ${b}`,
  (a: string, b: string) => `The ${a} ${b}`,
  (a: string, b: string) => `${a} & ${b}`,
  (a: string, b: string) => `Don't ${a} My ${b}`,
  (a: string) => `“${a}”`,
  (a: string, b: string) => `"${a}" ${b}`,
  (a: string, b: string) => `${a} ${b} (Live)`,
  (a: string, b: string) => `${a} ${b} - 2011 Remaster`,
  (a: string, b: string) => `${a}, ${b}`,
  (a: string, b: string) => `${a}/${b}`,
  (a: string, b: string) => `${a} ${b}, Pt. II`,
  (a: string) => `${a}?`,
];

/**
 * The recordings every release of `group` holds, in track order. Pure in (seed, the owning group's gid):
 * a compilation and its origin album hold the same recordings, first released with the origin.
 */
export function recordingsOf(seed: number, group: ReleaseGroup, owner: ReleaseGroup = group): Recording[] {
  const key = group.recordingsOf ?? group.gid;
  const rng = createRng(hashString(`${seed}|recordings|${key}`));
  const word = () => {
    const words = rng() < 0.12 ? UNICODE_WORDS : TRACK_WORDS;
    return words[Math.floor(rng() * words.length)];
  };
  const count = 3 + Math.floor(rng() * 6);
  const firstReleaseDate = owner.recordingsDate !== undefined ? owner.recordingsDate : owner.date;
  return Array.from({ length: count }, (_, n) => ({
    gid: deterministicUuid(seed, "recording", key, n),
    // The number keeps two songs of one artist apart, as real track lists mostly are.
    name: `${TRACK_SHAPES[Math.floor(rng() * TRACK_SHAPES.length)](word(), word())} ${n + 1}`,
    artistCredit: owner.artistCredit,
    firstReleaseDate,
  }));
}

/** The recordings on `group`'s releases, dated and credited by the group that owns them. */
export function recordingsOfGroup(seed: number, catalog: Catalog, group: ReleaseGroup): Recording[] {
  const owner = (group.recordingsOf && catalog.releaseGroups.get(group.recordingsOf)) || group;
  return recordingsOf(seed, owner);
}
