// The simulated Last.fm accounts. Each one exists to exercise one behaviour of an importer;
// `description` says which (the README table is built from it).

export type AlbumMode = "full" | "name" | "none";

/** A scrobble placed by hand rather than generated. */
export type SpecialScrobble = { uts: number; albumMbid?: string; albumMode?: AlbumMode };

export type Profile = {
  /** Canonical casing, echoed by `@attr.user` and getInfo `name`. */
  username: string;
  realname: string;
  country: string;
  description: string;
  registered: number;
  /** Scrobbles may start before registration (imported history). Default: `registered`. */
  firstScrobble?: number;
  /** Typical scrobbles in a full year; each year varies by ±40% unless `perYear` fixes it. */
  scrobblesPerYear: number;
  perYear?: Record<number, number>;
  /** Every full year has exactly `scrobblesPerYear` (generated bench listeners). */
  isExactEveryYear?: boolean;
  /** Release years the user prefers (a bell around `center`); none = no preference. */
  era?: { center: number; width: number };
  favouriteAlbums: number;
  isPrivate?: boolean;
  /** Share of time the user is playing something (now-playing item). Default 0. */
  nowPlaying?: number;
  /** Plays in `playcount` that recent tracks never return (old library imports). */
  hiddenPlaycount?: number;
  hasAvatar?: boolean;
  isLive?: boolean;
  /** Plays only real-world.csv's albums, spelled and MBID-tagged as Last.fm sent them. */
  playsRealWorld?: boolean;
  /** `nowSeconds` is the dataset's creation time, for scrobbles relative to "now". */
  specials?: (nowSeconds: number) => SpecialScrobble[];
};

export const DARK_SIDE_OF_THE_MOON = "b84ee12a-09ef-421b-82de-0441a926375b"; // 1973
export const RUMOURS = "b8fb140b-6fb2-4243-b25b-7edf3703443d"; // 1977
export const RANDOM_ACCESS_MEMORIES = "79215cdf-4764-4dee-b0b9-fec1643df7c5"; // 2013
export const DUMMY = "76df3287-6cda-33eb-8e9a-044b5e15ffdd"; // 1994

export function utc(iso: string): number {
  return Date.parse(iso) / 1000;
}

const DAY = 86_400;

export const DEMO_USERS = ["VinylVera", "NightBusNico", "DadRockDan"] as const;

const PROFILE_LIST: Profile[] = [
  {
    username: "VinylVera",
    realname: "Vera",
    country: "Germany",
    description:
      "Demo user since 2015, ~1,300–3,000 scrobbles a year, mostly 1960s–80s records; always playing something.",
    registered: utc("2015-03-14T19:26:53Z"),
    scrobblesPerYear: 2200,
    era: { center: 1974, width: 9 },
    favouriteAlbums: 350,
    nowPlaying: 1,
    hiddenPlaycount: 1_204,
    hasAvatar: true,
  },
  {
    username: "NightBusNico",
    realname: "Nico",
    country: "United Kingdom",
    description:
      "Demo user since 2017, ~1,800–4,200 scrobbles a year of 2010s–2020s releases; always playing something.",
    registered: utc("2017-10-01T23:41:07Z"),
    scrobblesPerYear: 3000,
    era: { center: 2017, width: 5 },
    favouriteAlbums: 400,
    nowPlaying: 1,
    hasAvatar: true,
  },
  {
    username: "DadRockDan",
    realname: "Dan",
    country: "United States",
    description:
      "Demo user since 2015, ~400–1,000 scrobbles a year centred on the late 1980s–1990s; always playing something.",
    registered: utc("2015-11-20T08:02:31Z"),
    scrobblesPerYear: 700,
    era: { center: 1992, width: 7 },
    favouriteAlbums: 250,
    nowPlaying: 1,
    hasAvatar: false,
  },
  {
    username: "HeavyHanna",
    realname: "Hanna",
    country: "Sweden",
    description:
      "Heavy listener since 2012: exactly 50,000 scrobbles in 2024 and 30,000 (150 pages of 200) in 2023, ~9,000–21,000 other years; playing.",
    registered: utc("2012-05-02T10:15:00Z"),
    scrobblesPerYear: 15_000,
    perYear: { 2023: 30_000, 2024: 50_000 },
    favouriteAlbums: 1500,
    nowPlaying: 1,
    hiddenPlaycount: 4_321,
    hasAvatar: true,
  },
  {
    username: "LightLeo",
    realname: "",
    country: "None",
    description: "Light listener since 2019, ~120–280 scrobbles a year; never playing.",
    registered: utc("2019-01-10T12:00:00Z"),
    scrobblesPerYear: 200,
    favouriteAlbums: 60,
    hasAvatar: false,
  },
  {
    username: "PrivatePat",
    realname: "Pat",
    country: "Canada",
    description:
      "Hides recent listening: getRecentTracks answers error 17 / HTTP 403; getInfo and the website still work.",
    registered: utc("2016-08-08T08:08:08Z"),
    scrobblesPerYear: 1200,
    favouriteAlbums: 200,
    isPrivate: true,
    hasAvatar: true,
  },
  {
    username: "EmptyYearEmma",
    realname: "Emma",
    country: "Netherlands",
    description: "Registered 2018, ~400–1,000 scrobbles a year except none at all in 2021.",
    registered: utc("2018-04-20T16:20:00Z"),
    scrobblesPerYear: 700,
    perYear: { 2021: 0 },
    favouriteAlbums: 200,
    hasAvatar: true,
  },
  {
    username: "OneScrobbleOlga",
    realname: "Olga",
    country: "Poland",
    description:
      "Exactly one scrobble in 2022 (Portishead – Dummy, 1994): a windowed query returns it as a bare object.",
    registered: utc("2020-09-09T09:09:09Z"),
    scrobblesPerYear: 150,
    perYear: { 2022: 0 },
    favouriteAlbums: 80,
    hasAvatar: true,
    specials: () => [{ uts: utc("2022-07-14T18:30:00Z"), albumMbid: DUMMY }],
  },
  {
    username: "BoundaryBen",
    realname: "Ben",
    country: "Ireland",
    description:
      "Scrobbles at exactly 2024-01-01T00:00:00Z (1973 album), 2024-12-31T23:59:59Z (1977) and 2025-01-01T00:00:00Z (2013), plus ~400 a year.",
    registered: utc("2020-02-02T02:02:02Z"),
    scrobblesPerYear: 400,
    favouriteAlbums: 150,
    hasAvatar: true,
    specials: () => [
      { uts: utc("2024-01-01T00:00:00Z"), albumMbid: DARK_SIDE_OF_THE_MOON },
      { uts: utc("2024-12-31T23:59:59Z"), albumMbid: RUMOURS },
      { uts: utc("2025-01-01T00:00:00Z"), albumMbid: RANDOM_ACCESS_MEMORIES },
    ],
  },
  {
    username: "SilentSid",
    realname: "Sid",
    country: "Belgium",
    description: "Registered 2019 and never scrobbled anything: every window is empty.",
    registered: utc("2019-05-05T05:05:05Z"),
    scrobblesPerYear: 0,
    favouriteAlbums: 10,
  },
  {
    username: "NewYearNoor",
    realname: "Noor",
    country: "United States",
    description:
      "Lives in Los Angeles: ~300 a year, plus 30 plays of a 1977 album on 2024-12-31 from 20:00 PST (04:00Z, already 2025 in UTC) and one at exactly 2025-01-01 00:00 PST (2013).",
    registered: utc("2019-03-03T03:03:03Z"),
    scrobblesPerYear: 300,
    favouriteAlbums: 120,
    hasAvatar: true,
    specials: () => [
      ...Array.from({ length: 30 }, (_, i) => ({ uts: utc("2025-01-01T04:00:00Z") + i * 360, albumMbid: RUMOURS })),
      { uts: utc("2025-01-01T08:00:00Z"), albumMbid: RANDOM_ACCESS_MEMORIES },
    ],
  },
  {
    username: "TimeTravelTom",
    realname: "Tom",
    country: "Australia",
    description:
      'Registered 2019-06-01 but scrobbles from 2017 on (imports), three with uts "0" (1970) and two dated tomorrow.',
    registered: utc("2019-06-01T00:00:00Z"),
    firstScrobble: utc("2017-02-01T00:00:00Z"),
    scrobblesPerYear: 500,
    perYear: { 2017: 25, 2018: 60 },
    favouriteAlbums: 150,
    hasAvatar: true,
    specials: (nowSeconds) => {
      const tomorrow = (Math.floor(nowSeconds / DAY) + 1) * DAY;
      return [
        { uts: 0, albumMbid: RUMOURS },
        { uts: 0, albumMbid: DUMMY },
        { uts: 0, albumMode: "none" },
        { uts: tomorrow + 3_600, albumMbid: RANDOM_ACCESS_MEMORIES },
        { uts: tomorrow + 9_000, albumMode: "name" },
      ];
    },
  },
  {
    username: "LiveLiam",
    realname: "Liam",
    country: "New Zealand",
    description:
      "Keeps scrobbling while the simulator runs (one scrobble every liveScrobbleIntervalMs, some back-dated up to 14 days), ~1,500 a year since 2021; playing.",
    registered: utc("2021-03-03T03:03:03Z"),
    scrobblesPerYear: 1500,
    favouriteAlbums: 250,
    nowPlaying: 1,
    hasAvatar: true,
    isLive: true,
  },
  {
    username: "RealWorldRuth",
    realname: "Ruth",
    country: "Spain",
    description:
      "Plays only the 167 real-world albums (Last.fm spellings, stale or empty MBIDs, store suffixes), ~1,500 a year since 2018.",
    registered: utc("2018-01-15T10:00:00Z"),
    scrobblesPerYear: 1500,
    favouriteAlbums: 167,
    hasAvatar: true,
    playsRealWorld: true,
  },
];

export const PROFILES: readonly Profile[] = PROFILE_LIST;

/** Every account with its one-line description, for the README. */
export const PROFILE_SUMMARIES = PROFILE_LIST.map(({ username, description }) => ({ username, description }));

const byKey = new Map(PROFILE_LIST.map((profile) => [profile.username.toLowerCase(), profile]));

/**
 * Generated listeners for load tests: "Bench<plays>_<n>" (15 characters at most, a valid Last.fm name)
 * scrobbles exactly <plays> every year since 2010, over a library that grows with the plays, so heavy
 * ones have more albums than a 1,000-row album chart holds.
 */
const BENCH_NAME = /^bench(\d{1,6})_(\d{1,4})$/i;

function benchProfile(username: string): Profile | undefined {
  const match = BENCH_NAME.exec(username);
  if (!match) return undefined;
  const plays = Number(match[1]);
  return {
    username: `Bench${match[1]}_${match[2]}`,
    realname: "",
    country: "None",
    description: `Generated listener: exactly ${plays} scrobbles a year.`,
    registered: utc("2010-01-01T00:00:00Z"),
    scrobblesPerYear: plays,
    isExactEveryYear: true,
    favouriteAlbums: Math.min(2500, 60 + Math.round(plays / 25)),
  };
}

/** Usernames match case-insensitively, as on Last.fm. */
export function findProfile(username: string): Profile | undefined {
  return byKey.get(username.toLowerCase()) ?? benchProfile(username);
}
