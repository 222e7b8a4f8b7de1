// The simulated accounts' scrobbles: generated lazily per user and year from the seed,
// kept in per-year buckets sorted by time, and mutable (LiveLiam, tests). The exported
// truth (`listScrobbles`, `trueDistribution`) is what the real API would return.
import {
  buildCatalog,
  type Catalog,
  createRng,
  DEFAULT_SEED,
  deterministicUuid,
  hashString,
  type Recording,
  type ReleaseGroup,
  recordingsOf,
  type ScrobbleAlbum,
  TRACK_SHAPES,
  TRACK_WORDS,
  UNICODE_WORDS,
  yearOf,
} from "@/scripts/simulators/catalog";
import { type AlbumMode, findProfile, PROFILES, type Profile } from "./profiles";

export { DEMO_USERS, PROFILE_SUMMARIES, PROFILES } from "./profiles";
export type { AlbumMode, Profile } from "./profiles";

type Album = ScrobbleAlbum & { index: number; artistMbid: string; imageHash: string; tracks?: Track[] };
/**
 * `songYear`: when the track's recording first came out (null: MusicBrainz has no such recording or date);
 * `isNameUnique`: its (artist, name) names one recording in MusicBrainz, so a play without MBIDs finds it.
 */
type Track = {
  album: Album;
  number: number;
  name: string;
  mbid: string;
  isLoved: boolean;
  songYear: number | null;
  isNameUnique: boolean;
};
type Scrobble = { uts: number; track: Track; albumMode: AlbumMode };

/**
 * One play as the API shows it. `trueYear` is the year a correct import finds: the album's expectedYear
 * when the scrobble carries an MBID MusicBrainz knows, its nameYear when it names the album without one,
 * or with an unknown one (matching by
 * name), else null; `trueMethod` says which.
 */
export type ScrobbleRecord = {
  uts: number;
  name: string;
  mbid: string;
  artist: string;
  artistMbid: string;
  album: string;
  albumMbid: string;
  /** 32 hex chars of the cover art, or "" (no image). */
  imageHash: string;
  isLoved: boolean;
  trueYear: number | null;
  trueMethod: "mbid" | "name" | "recording" | null;
  /** The year its song first came out, as song-level dating finds it (the chart's "by song" view). */
  trueSongYear: number | null;
};

export type PlayingTrack = Omit<ScrobbleRecord, "uts" | "trueYear" | "trueMethod" | "trueSongYear">;

export type YearDistribution = {
  total: number;
  byYear: Map<number | null, number>;
  /** Dated scrobbles by how a correct import dates them. */
  byMethod: { mbid: number; name: number; recording: number };
  /** Every play by its song's year ("by song"); key null = no song year. */
  bySong: Map<number | null, number>;
};

export type UserInfo = {
  username: string;
  realname: string;
  country: string;
  registered: number;
  isPrivate: boolean;
  hasAvatar: boolean;
  nowPlaying: number;
};

export type LiveTickOptions = { backdateProbability: number; backdateMaxDays: number; deleteProbability: number };

export type LastfmDataset = {
  readonly seed: number;
  /** The account for any casing of its name, or undefined. */
  findUser(username: string): UserInfo | undefined;
  /** Scrobbles in [fromUts, toUts), newest first, without the now-playing item. */
  listScrobbles(username: string, fromUts?: number, toUts?: number): ScrobbleRecord[];
  /** The same scrobbles, taken at once but shaped one by one as they are read (an answer that reads them in turns). */
  eachScrobble(username: string, fromUts?: number, toUts?: number): Iterable<ScrobbleRecord>;
  countScrobbles(username: string, fromUts?: number, toUts?: number): number;
  /** One page of the window, newest first (page is 1-based). */
  pageScrobbles(
    username: string,
    window: TimeWindow,
    limit: number,
    page: number,
  ): { total: number; items: ScrobbleRecord[] };
  /** Release-year distribution of the window; key null = not datable (by MBID or by name). */
  trueDistribution(username: string, fromUts?: number, toUts?: number): YearDistribution;
  /** getInfo `playcount`: every scrobble plus plays recent tracks never return. */
  playcount(username: string): number;
  /** The track playing at `nowMs`, if the user is playing then (share of time `probability`). */
  playingTrack(username: string, nowMs: number, probability: number): PlayingTrack | undefined;
  /** Adds a scrobble (a favourite track unless `albumMbid` names one); returns it. */
  addScrobble(username: string, uts: number, albumMbid?: string): ScrobbleRecord;
  /** Removes the newest scrobble at exactly `uts`; false if none. */
  deleteScrobble(username: string, uts: number): boolean;
  /** One live step for every live account (LiveLiam): a scrobble now, maybe a back-dated one, maybe a deletion. */
  tickLive(nowMs: number, options: LiveTickOptions): void;
};

export type TimeWindow = { from?: number; to?: number };

/** `realWorld`: real-world.csv's albums as Last.fm spelled them, played by the real-world account only. */
type CatalogData = {
  albums: Album[];
  realWorld: Album[];
  byMbid: Map<string, Album>;
  catalog: Catalog;
  /** An owning release group's recordings. */
  songsOf: (group: ReleaseGroup) => Recording[];
  /** How many recordings share this one's artist and name. */
  countOf: (recording: Recording) => number;
};

type UserState = {
  profile: Profile;
  favourites: Album[];
  buckets: Map<number, Scrobble[]>;
  specials: Map<number, Scrobble[]>;
  pickers: Map<number, (r: number) => Album>;
  liveRng: () => number;
};

const SESSION_GAP = 1800;
/** The real albums of albums.csv come first in the catalog; favourites lean on them (they hold the hard cases). */
const REAL_ALBUM_COUNT = buildCatalog(DEFAULT_SEED, 0).albums.length;
const catalogs = new Map<number, CatalogData>();

function loadCatalog(seed: number): CatalogData {
  const cached = catalogs.get(seed);
  if (cached) return cached;
  const built = buildCatalog(seed);
  const toAlbum = (album: ScrobbleAlbum, index: number): Album => ({
    ...album,
    index,
    artistMbid: hashString(album.artist) % 4 === 0 ? "" : deterministicUuid("artist", album.artist),
    imageHash:
      hashString(`${album.mbid}|${album.title}`) % 11 === 0
        ? ""
        : deterministicUuid("cover", album.mbid).replaceAll("-", ""),
  });
  const albums = built.albums.map(toAlbum);
  const realWorld = built.realWorld.map((album, i) => toAlbum(album, albums.length + i));
  // A song's name is unique when no other group of the same credit (the only place two recordings can
  // share artist and name) has a recording called that.
  const owners = new Map<string, ReleaseGroup[]>();
  for (const group of built.releaseGroups.values())
    if (!group.recordingsOf) owners.set(group.artistCredit, [...(owners.get(group.artistCredit) ?? []), group]);
  const songs = new Map<string, Recording[]>();
  // Made up front (createDataset), so reading a year does not pay for them.
  for (const list of owners.values()) for (const group of list) songs.set(group.gid, recordingsOf(seed, group));
  const songsOf = (group: ReleaseGroup): Recording[] => {
    let recordings = songs.get(group.gid);
    if (!recordings) songs.set(group.gid, (recordings = recordingsOf(seed, group)));
    return recordings;
  };
  const nameCounts = new Map<string, Map<string, number>>();
  const countOf = (recording: Recording): number => {
    let counts = nameCounts.get(recording.artistCredit);
    if (!counts) {
      counts = new Map();
      for (const group of owners.get(recording.artistCredit) ?? [])
        for (const { name } of songsOf(group)) counts.set(name, (counts.get(name) ?? 0) + 1);
      nameCounts.set(recording.artistCredit, counts);
    }
    return counts.get(recording.name) ?? 0;
  };
  const data = {
    albums,
    realWorld,
    byMbid: new Map(albums.map((album) => [album.mbid, album])),
    catalog: built,
    songsOf,
    countOf,
  };
  catalogs.set(seed, data);
  return data;
}

function tracksOf(album: Album, seed: number): Track[] {
  if (album.tracks) return album.tracks;
  const { catalog, songsOf, countOf } = loadCatalog(seed);
  const group = album.releaseGroupGid ? catalog.releaseGroups.get(album.releaseGroupGid) : undefined;
  const owner = group && ((group.recordingsOf && catalog.releaseGroups.get(group.recordingsOf)) || group);
  // The album's tracks are its release group's recordings; an album MusicBrainz lacks gets made-up songs.
  const recordings = owner ? songsOf(owner) : null;
  const rng = createRng(hashString(`${seed}|tracks|${album.index}`));
  const word = () => {
    const words = rng() < 0.12 ? UNICODE_WORDS : TRACK_WORDS;
    return words[Math.floor(rng() * words.length)];
  };
  const count = recordings?.length ?? 5 + Math.floor(rng() * 10);
  album.tracks = Array.from({ length: count }, (_, number) => {
    const recording = recordings?.[number];
    const madeUp = TRACK_SHAPES[Math.floor(rng() * TRACK_SHAPES.length)](word(), word());
    const hasMbid = rng() >= 0.4;
    return {
      album,
      number,
      name: recording?.name ?? madeUp,
      mbid: hasMbid ? (recording?.gid ?? deterministicUuid(seed, "recording", album.mbid, number)) : "",
      isLoved: rng() < 0.04,
      songYear: recording ? yearOf(recording.firstReleaseDate) : null,
      isNameUnique: recording ? countOf(recording) === 1 : false,
    };
  });
  return album.tracks;
}

function yearStart(year: number): number {
  return Date.UTC(year, 0, 1) / 1000;
}

function yearOfUts(uts: number): number {
  return new Date(uts * 1000).getUTCFullYear();
}

/** First index whose uts is ≥ `uts` (buckets are sorted ascending). */
function lowerBound(bucket: Scrobble[], uts: number): number {
  let lo = 0;
  let hi = bucket.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bucket[mid].uts < uts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function rollAlbumMode(r: number): AlbumMode {
  return r < 0.05 ? "none" : r < 0.35 ? "name" : "full";
}

/** `n` distinct whole seconds in [start, end), clustered into listening sessions a few minutes apart. */
function generateTimes(rng: () => number, n: number, start: number, end: number): Float64Array {
  const span = end - start;
  const times = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let t = start + Math.floor(rng() * span);
    const length = 1 + Math.floor(-Math.log(1 - rng()) * 7);
    for (let k = 0; k < length && i < n; k++) {
      times[i++] = t < end ? t : start + Math.floor(rng() * span);
      t += 150 + Math.floor(rng() * 180);
    }
  }
  times.sort();
  for (let k = 1; k < n; k++) if (times[k] <= times[k - 1]) times[k] = times[k - 1] + 1;
  for (let k = n - 1; k >= 0; k--) {
    const cap = k === n - 1 ? end - 1 : times[k + 1] - 1;
    if (times[k] > cap) times[k] = cap;
  }
  return times;
}

function toRecord(scrobble: Scrobble): ScrobbleRecord {
  const { track, albumMode } = scrobble;
  const { album } = track;
  const albumMbid = albumMode === "full" ? album.mbid : "";
  const truth = trueDate(track, albumMode, albumMbid);
  return {
    uts: scrobble.uts,
    name: track.name,
    mbid: track.mbid,
    artist: album.artist,
    artistMbid: album.artistMbid,
    album: albumMode === "none" ? "" : album.title,
    albumMbid,
    imageHash: albumMode === "none" ? "" : album.imageHash,
    isLoved: track.isLoved,
    trueYear: truth.trueYear,
    trueMethod: truth.trueMethod,
    trueSongYear: truth.trueSongYear,
  };
}

/**
 * The year a correct import shows for a play, and how it finds it. By album: an MBID MusicBrainz knows, else
 * the album's names (also when the MBID is unknown). By song instead for compilations and album-less plays:
 * the recording by its track MBID, within the album's release group by name, or by a name naming one song.
 */
function trueDate(
  track: Track,
  albumMode: AlbumMode,
  albumMbid: string,
): Pick<ScrobbleRecord, "trueYear" | "trueMethod" | "trueSongYear"> {
  const { album } = track;
  const byMbid = Boolean(albumMbid) && album.isMbidKnown;
  const hasAlbum = albumMode !== "none";
  const albumYear = byMbid ? album.expectedYear : hasAlbum ? album.nameYear : null;
  // The import knows the album's release group: by MBID, or by names that dated it.
  const groupKnown = byMbid || (hasAlbum && album.nameYear !== null);
  const songFound = track.mbid ? track.songYear !== null || track.isNameUnique : groupKnown || track.isNameUnique;
  const trueSongYear = songFound ? track.songYear : null;
  if ((!hasAlbum || (groupKnown && album.isCompilation)) && trueSongYear !== null)
    return { trueYear: trueSongYear, trueMethod: "recording", trueSongYear };
  if (albumYear === null) return { trueYear: null, trueMethod: null, trueSongYear };
  return { trueYear: albumYear, trueMethod: byMbid ? "mbid" : "name", trueSongYear };
}

function unknownUser(username: string): Error {
  return new Error(`no simulated Last.fm user "${username}"`);
}

export function createDataset(options: { seed?: number; clock?: () => number } = {}): LastfmDataset {
  const seed = options.seed ?? DEFAULT_SEED;
  const clock = options.clock ?? Date.now;
  const createdAt = Math.floor(clock() / 1000);
  const createdYear = yearOfUts(createdAt);
  const catalog = loadCatalog(seed);
  const users = new Map<string, UserState>();

  function firstScrobble(profile: Profile): number {
    return profile.firstScrobble ?? profile.registered;
  }

  function plannedCount(profile: Profile, year: number): number {
    const start = Math.max(yearStart(year), firstScrobble(profile));
    const end = yearStart(year + 1);
    if (year > createdYear || start >= end) return 0;
    const fixed = profile.perYear?.[year] ?? (profile.isExactEveryYear ? profile.scrobblesPerYear : undefined);
    if (fixed !== undefined) return fixed;
    const volume = createRng(hashString(`${seed}|${profile.username}|volume|${year}`))();
    return Math.round(profile.scrobblesPerYear * (0.6 + 0.8 * volume) * ((end - start) / (end - yearStart(year))));
  }

  function chooseFavourites(profile: Profile): Album[] {
    if (profile.playsRealWorld) return catalog.realWorld;
    const rng = createRng(hashString(`${seed}|${profile.username}|favourites`));
    const { era } = profile;
    const keyed = catalog.albums.map((album) => {
      const year = album.expectedYear;
      let weight = era
        ? year === null
          ? 0.15
          : Math.exp(-0.5 * ((year - era.center) / era.width) ** 2) + 0.02
        : year === null
          ? 0.5
          : 1;
      if (album.index < REAL_ALBUM_COUNT) weight *= 4;
      return { album, key: rng() ** (1 / weight) };
    });
    keyed.sort((a, b) => b.key - a.key);
    return keyed.slice(0, profile.favouriteAlbums).map(({ album }) => album);
  }

  function userState(username: string): UserState {
    const profile = findProfile(username);
    if (!profile) throw unknownUser(username);
    const key = profile.username.toLowerCase();
    const existing = users.get(key);
    if (existing) return existing;
    const state: UserState = {
      profile,
      favourites: chooseFavourites(profile),
      buckets: new Map(),
      specials: new Map(),
      pickers: new Map(),
      liveRng: createRng(hashString(`${seed}|${profile.username}|live`)),
    };
    for (const [i, special] of (profile.specials?.(createdAt) ?? []).entries()) {
      const album =
        (special.albumMbid && catalog.byMbid.get(special.albumMbid)) || state.favourites[i % state.favourites.length];
      const scrobble = { uts: special.uts, track: tracksOf(album, seed)[0], albumMode: special.albumMode ?? "full" };
      const year = yearOfUts(special.uts);
      state.specials.set(year, [...(state.specials.get(year) ?? []), scrobble]);
    }
    users.set(key, state);
    return state;
  }

  /** Cumulative Zipf weights of the favourites, drifting a little from year to year. */
  function albumPicker(state: UserState, year: number): (r: number) => Album {
    const cached = state.pickers.get(year);
    if (cached) return cached;
    const rng = createRng(hashString(`${seed}|${state.profile.username}|drift|${year}`));
    const cumulative = new Float64Array(state.favourites.length);
    let sum = 0;
    for (let rank = 0; rank < cumulative.length; rank++) {
      sum += (1 / (rank + 1) ** 0.9) * Math.exp(0.7 * (rng() + rng() + rng() - 1.5));
      cumulative[rank] = sum;
    }
    const pick = (r: number) => {
      const target = r * sum;
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cumulative[mid] < target) lo = mid + 1;
        else hi = mid;
      }
      return state.favourites[lo];
    };
    state.pickers.set(year, pick);
    return pick;
  }

  function generateYear(state: UserState, year: number): Scrobble[] {
    const { profile } = state;
    const n = plannedCount(profile, year);
    const start = Math.max(yearStart(year), firstScrobble(profile));
    const rng = createRng(hashString(`${seed}|${profile.username}|year|${year}`));
    const times = generateTimes(rng, n, start, yearStart(year + 1));
    const pickAlbum = albumPicker(state, year);
    const scrobbles: Scrobble[] = [];
    let tracks: Track[] = [];
    let trackIndex = 0;
    let albumMode: AlbumMode = "full";
    let previous = Number.NEGATIVE_INFINITY;
    for (const uts of times) {
      if (uts - previous > SESSION_GAP) {
        tracks = tracksOf(pickAlbum(rng()), seed);
        trackIndex = Math.floor((rng() * tracks.length) / 2);
        const mode = rollAlbumMode(rng());
        // Real-world plays carry the album exactly as Last.fm sent it (its MBID may be empty or stale).
        albumMode = profile.playsRealWorld ? "full" : mode;
      } else {
        const r = rng();
        if (r < 0.02) {
          // the same track again, a few minutes later: looks like a duplicate, is a real play
        } else if (r < 0.8) {
          trackIndex = (trackIndex + 1) % tracks.length;
        } else {
          tracks = tracksOf(pickAlbum(rng()), seed);
          trackIndex = Math.floor(rng() * tracks.length);
        }
      }
      previous = uts;
      scrobbles.push({ uts, track: tracks[trackIndex], albumMode });
    }
    // The year in progress holds what was scrobbled up to the moment it is first read.
    const now = Math.floor(clock() / 1000);
    const visible = yearStart(year + 1) > now ? scrobbles.filter((s) => s.uts <= now) : scrobbles;
    const specials = state.specials.get(year) ?? [];
    return specials.length ? [...visible, ...specials].sort((a, b) => a.uts - b.uts) : visible;
  }

  function bucket(state: UserState, year: number): Scrobble[] {
    let scrobbles = state.buckets.get(year);
    if (!scrobbles) {
      scrobbles = generateYear(state, year);
      state.buckets.set(year, scrobbles);
    }
    return scrobbles;
  }

  function yearsNewestFirst(state: UserState): number[] {
    const years = new Set<number>([...state.specials.keys(), ...state.buckets.keys()]);
    for (let year = yearOfUts(firstScrobble(state.profile)); year <= createdYear; year++) years.add(year);
    return [...years].sort((a, b) => b - a);
  }

  function countInYear(state: UserState, year: number, from: number, to: number): number {
    const start = yearStart(year);
    const end = yearStart(year + 1);
    if (to <= start || from >= end) return 0;
    // A whole past year not read yet: its size is known without generating it.
    if (!state.buckets.has(year) && from <= start && to >= end && end <= createdAt) {
      return plannedCount(state.profile, year) + (state.specials.get(year)?.length ?? 0);
    }
    const scrobbles = bucket(state, year);
    return lowerBound(scrobbles, to) - lowerBound(scrobbles, from);
  }

  function page(state: UserState, from: number, to: number, limit: number, pageNumber: number) {
    const years = yearsNewestFirst(state);
    const counts = years.map((year) => countInYear(state, year, from, to));
    const total = counts.reduce((a, b) => a + b, 0);
    const items: Scrobble[] = [];
    let skip = (pageNumber - 1) * limit;
    for (let i = 0; i < years.length && items.length < limit; i++) {
      if (skip >= counts[i]) {
        skip -= counts[i];
        continue;
      }
      const scrobbles = bucket(state, years[i]);
      const first = lowerBound(scrobbles, from);
      for (let k = lowerBound(scrobbles, to) - 1 - skip; k >= first && items.length < limit; k--)
        items.push(scrobbles[k]);
      skip = 0;
    }
    return { total, items };
  }

  function range(fromUts?: number, toUts?: number): [number, number] {
    return [fromUts ?? Number.NEGATIVE_INFINITY, toUts ?? Number.POSITIVE_INFINITY];
  }

  function insert(state: UserState, scrobble: Scrobble | undefined): void {
    if (!scrobble) return;
    const scrobbles = bucket(state, yearOfUts(scrobble.uts));
    scrobbles.splice(lowerBound(scrobbles, scrobble.uts + 1), 0, scrobble);
  }

  function pickTrack(state: UserState, rng: () => number, year: number): Track {
    const tracks = tracksOf(albumPicker(state, year)(rng()), seed);
    return tracks[Math.floor(rng() * tracks.length)];
  }

  /** A scrobble at `uts` whose (uts, artist, track) is not taken yet (Last.fm ignores such repeats); undefined if none is found. */
  function freshScrobble(state: UserState, uts: number, rng: () => number): Scrobble | undefined {
    const scrobbles = bucket(state, yearOfUts(uts));
    const sameSecond = scrobbles.slice(lowerBound(scrobbles, uts), lowerBound(scrobbles, uts + 1));
    for (let attempt = 0; attempt < 20; attempt++) {
      const track = pickTrack(state, rng, yearOfUts(uts));
      if (!sameSecond.some((s) => s.track === track)) return { uts, track, albumMode: rollAlbumMode(rng()) };
    }
    return undefined;
  }

  function listScrobbles(username: string, fromUts?: number, toUts?: number): ScrobbleRecord[] {
    const [from, to] = range(fromUts, toUts);
    return page(userState(username), from, to, Number.MAX_SAFE_INTEGER, 1).items.map(toRecord);
  }

  function* eachScrobble(username: string, fromUts?: number, toUts?: number): Generator<ScrobbleRecord> {
    const [from, to] = range(fromUts, toUts);
    // The window's plays are taken now, so plays the live account adds or deletes while they are read
    // (between turns of the event loop) do not shift them.
    const { items } = page(userState(username), from, to, Number.MAX_SAFE_INTEGER, 1);
    for (const item of items) yield toRecord(item);
  }

  function countScrobbles(username: string, fromUts?: number, toUts?: number): number {
    const state = userState(username);
    const [from, to] = range(fromUts, toUts);
    return yearsNewestFirst(state).reduce((sum, year) => sum + countInYear(state, year, from, to), 0);
  }

  return {
    seed,
    findUser(username) {
      const profile = findProfile(username);
      if (!profile) return undefined;
      return {
        username: profile.username,
        realname: profile.realname,
        country: profile.country,
        registered: profile.registered,
        isPrivate: profile.isPrivate ?? false,
        hasAvatar: profile.hasAvatar ?? false,
        nowPlaying: profile.nowPlaying ?? 0,
      };
    },
    listScrobbles,
    eachScrobble: (username, fromUts, toUts) => eachScrobble(username, fromUts, toUts),
    countScrobbles,
    pageScrobbles(username, window, limit, pageNumber) {
      const [from, to] = range(window.from, window.to);
      const { total, items } = page(userState(username), from, to, limit, pageNumber);
      return { total, items: items.map(toRecord) };
    },
    trueDistribution(username, fromUts, toUts) {
      const byYear = new Map<number | null, number>();
      const byMethod = { mbid: 0, name: 0, recording: 0 };
      const bySong = new Map<number | null, number>();
      const scrobbles = listScrobbles(username, fromUts, toUts);
      for (const { trueYear, trueMethod, trueSongYear } of scrobbles) {
        byYear.set(trueYear, (byYear.get(trueYear) ?? 0) + 1);
        bySong.set(trueSongYear, (bySong.get(trueSongYear) ?? 0) + 1);
        if (trueYear !== null && trueMethod) byMethod[trueMethod]++;
      }
      return { total: scrobbles.length, byYear, byMethod, bySong };
    },
    playcount(username) {
      return countScrobbles(username) + (userState(username).profile.hiddenPlaycount ?? 0);
    },
    playingTrack(username, nowMs, probability) {
      const state = userState(username);
      // A song lasts about four minutes: within one slot the answer stays the same.
      const slot = Math.floor(nowMs / 240_000);
      const rng = createRng(hashString(`${seed}|${state.profile.username}|playing|${slot}`));
      if (rng() >= probability) return undefined;
      const track = pickTrack(state, rng, yearOfUts(slot * 240));
      const {
        uts: _uts,
        trueYear: _trueYear,
        trueMethod: _trueMethod,
        ...playing
      } = toRecord({ uts: 0, track, albumMode: rollAlbumMode(rng()) });
      return playing;
    },
    addScrobble(username, uts, albumMbid) {
      const state = userState(username);
      const album = albumMbid === undefined ? undefined : catalog.byMbid.get(albumMbid);
      if (albumMbid !== undefined && !album) throw new Error(`album ${albumMbid} is not in the catalog`);
      const scrobble: Scrobble | undefined = album
        ? { uts, track: tracksOf(album, seed)[0], albumMode: "full" }
        : freshScrobble(state, uts, state.liveRng);
      if (!scrobble) throw new Error(`no favourite track of ${username} is free at ${uts}`);
      insert(state, scrobble);
      return toRecord(scrobble);
    },
    deleteScrobble(username, uts) {
      const scrobbles = bucket(userState(username), yearOfUts(uts));
      const index = lowerBound(scrobbles, uts + 1) - 1;
      if (index < 0 || scrobbles[index].uts !== uts) return false;
      scrobbles.splice(index, 1);
      return true;
    },
    tickLive(nowMs, { backdateProbability, backdateMaxDays, deleteProbability }) {
      const now = Math.floor(nowMs / 1000);
      for (const profile of PROFILES.filter((p) => p.isLive)) {
        const state = userState(profile.username);
        const rng = state.liveRng;
        insert(state, freshScrobble(state, now, rng));
        if (rng() < backdateProbability) {
          insert(state, freshScrobble(state, now - Math.floor(rng() * backdateMaxDays * 86_400), rng));
        }
        if (rng() < deleteProbability) {
          const target = now - Math.floor(rng() * backdateMaxDays * 86_400);
          const scrobbles = bucket(state, yearOfUts(target));
          const index = lowerBound(scrobbles, target + 1) - 1;
          if (index >= 0) scrobbles.splice(index, 1);
        }
      }
    },
  };
}

const defaultDatasets = new Map<number, LastfmDataset>();

function defaultDataset(seed: number): LastfmDataset {
  let dataset = defaultDatasets.get(seed);
  if (!dataset) {
    dataset = createDataset({ seed });
    defaultDatasets.set(seed, dataset);
  }
  return dataset;
}

/** The truth for a user without live changes (for LiveLiam ask the running simulator's `users`). */
export function listScrobbles(
  username: string,
  fromUts?: number,
  toUts?: number,
  seed = DEFAULT_SEED,
): ScrobbleRecord[] {
  return defaultDataset(seed).listScrobbles(username, fromUts, toUts);
}

export function trueDistribution(
  username: string,
  fromUts?: number,
  toUts?: number,
  seed = DEFAULT_SEED,
): YearDistribution {
  return defaultDataset(seed).trueDistribution(username, fromUts, toUts);
}
