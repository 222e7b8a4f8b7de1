// Original release years from MusicBrainz, behind one interface with two sources:
// a mirror database (one SQL round trip per batch) or the ws/2 web service (1 request/s, batched search).
import pg from "pg";
import { z } from "zod";
import { backoffDelay, chunk, mapPool, sleep } from "@/lib/server/concurrency";
import { env } from "@/lib/server/env";
import { createRateBudget, type RateBudget } from "@/lib/lastfm/budget";
import { fetchSent } from "@/lib/server/fetch-sent";

export type MatchedAs = "release" | "release_redirect" | "release_group" | "release_group_redirect";

export type AlbumLookup = {
  albumMbid: string;
  /** null: MusicBrainz has no entity with this id. */
  matchedAs: MatchedAs | null;
  releaseGroupMbid: string | null;
  releaseGroupName: string | null;
  /** null with a match: MusicBrainz has no date for the release group. */
  year: number | null;
  /** The release group's credited artist, when the source says (the mirror does). */
  artistCredit?: string | null;
  /** A compilation, soundtrack or DJ-mix: its songs may be older than it, so plays count by song. */
  isCompilation?: boolean;
};

/** Secondary types whose release groups collect recordings that came out before them. */
export const COLLECTION_TYPES = ["Compilation", "Soundtrack", "DJ-mix"];
export const isCollection = (secondaryTypes: string[]) => secondaryTypes.some((t) => COLLECTION_TYPES.includes(t));

export interface MusicbrainzSource {
  readonly kind: "mirror" | "webservice";
  /** Answers every input id (unknown ids with matchedAs null). Throws MusicbrainzUnavailableError when down. */
  lookupAlbums(mbids: string[], signal?: AbortSignal): Promise<AlbumLookup[]>;
  close(): Promise<void>;
}

export class MusicbrainzUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MusicbrainzUnavailableError";
  }
}

export const MIRROR_BATCH_SIZE = 1000;
/** Mirror batches one look-up runs at once (the pool holds more, for other imports' look-ups). */
export const MIRROR_PARALLEL_BATCHES = 2;

/**
 * Mirror sessions run without JIT: the planner's row guesses for a batch of names reach millions, so
 * PostgreSQL would spend more compiling each query (over a second on a busy machine) than running it.
 */
export const MIRROR_SESSION = "-c jit=off";

/** A pool on the mirror, as every mirror reader opens it (albums, names, songs). */
export function createMirrorPool(databaseUrl: string, max: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max,
    connectionTimeoutMillis: 5_000,
    options: MIRROR_SESSION,
  });
  // An idle client's connection dropping (mirror restarted) must not crash the process.
  pool.on("error", () => undefined);
  return pool;
}

/** Resolution order: release, merged release, release group, merged release group; first hit wins. */
export const MIRROR_LOOKUP_SQL = `
WITH input(mbid) AS (SELECT DISTINCT unnest($1::uuid[])),
hits AS (
  SELECT i.mbid, 'release' AS matched_as, r.release_group AS rg_id, 1 AS prio
    FROM input i JOIN musicbrainz.release r ON r.gid = i.mbid
  UNION ALL SELECT i.mbid, 'release_redirect', r.release_group, 2
    FROM input i JOIN musicbrainz.release_gid_redirect x ON x.gid = i.mbid
                 JOIN musicbrainz.release r ON r.id = x.new_id
  UNION ALL SELECT i.mbid, 'release_group', g.id, 3
    FROM input i JOIN musicbrainz.release_group g ON g.gid = i.mbid
  UNION ALL SELECT i.mbid, 'release_group_redirect', x.new_id, 4
    FROM input i JOIN musicbrainz.release_group_gid_redirect x ON x.gid = i.mbid),
best AS (SELECT DISTINCT ON (mbid) * FROM hits ORDER BY mbid, prio),
collections AS (
  SELECT DISTINCT j.release_group FROM best b
    JOIN musicbrainz.release_group_secondary_type_join j ON j.release_group = b.rg_id
    JOIN musicbrainz.release_group_secondary_type st ON st.id = j.secondary_type
   WHERE st.name IN ('Compilation', 'Soundtrack', 'DJ-mix'))
SELECT i.mbid::text AS mbid, b.matched_as, g.gid::text AS release_group_mbid, g.name AS release_group_name,
       m.first_release_date_year AS year, ac.name AS artist_credit, c.release_group IS NOT NULL AS is_compilation
  FROM input i LEFT JOIN best b USING (mbid)
  LEFT JOIN musicbrainz.release_group g ON g.id = b.rg_id
  LEFT JOIN musicbrainz.release_group_meta m ON m.id = g.id
  LEFT JOIN musicbrainz.artist_credit ac ON ac.id = g.artist_credit
  LEFT JOIN collections c ON c.release_group = g.id`;

type MirrorRow = {
  mbid: string;
  matched_as: MatchedAs | null;
  release_group_mbid: string | null;
  release_group_name: string | null;
  year: number | null;
  artist_credit: string | null;
  is_compilation: boolean;
};

export class MirrorSource implements MusicbrainzSource {
  readonly kind = "mirror";
  private readonly pool: pg.Pool;

  constructor(
    databaseUrl: string,
    private readonly parallelBatches = MIRROR_PARALLEL_BATCHES,
  ) {
    this.pool = createMirrorPool(databaseUrl, 4);
  }

  async lookupAlbums(mbids: string[]): Promise<AlbumLookup[]> {
    // Two batches in flight: each is one backend's index look-ups, so a second one uses the other core.
    const batches = await mapPool(chunk(mbids, MIRROR_BATCH_SIZE), this.parallelBatches, async (batch) => {
      try {
        return (await this.pool.query<MirrorRow>(MIRROR_LOOKUP_SQL, [batch])).rows;
      } catch (error) {
        throw new MusicbrainzUnavailableError(`MusicBrainz mirror query failed: ${(error as Error).message}`);
      }
    });
    return batches.flat().map((row) => ({
      albumMbid: row.mbid,
      matchedAs: row.matched_as,
      releaseGroupMbid: row.release_group_mbid,
      releaseGroupName: row.release_group_name,
      year: row.year,
      artistCredit: row.artist_credit,
      isCompilation: row.is_compilation,
    }));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

// ---- ws/2 web service --------------------------------------------------------------------------

export const WEBSERVICE_BATCH_SIZE = 100;
const USER_AGENT = "LastYear.fm/0.1 ( https://github.com/lastyear-fm/lastyear-fm )";
const ATTEMPTS = 6;

const SearchSchema = z.object({
  "release-groups": z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      "first-release-date": z.string().optional(),
      "secondary-types": z.array(z.string()).default([]),
      releases: z.array(z.object({ id: z.string() })).default([]),
    }),
  ),
});
const ReleaseSchema = z.object({
  id: z.string(),
  "release-group": z.object({
    id: z.string(),
    title: z.string(),
    "first-release-date": z.string().default(""),
    "secondary-types": z.array(z.string()).default([]),
  }),
});
const ReleaseGroupSchema = z.object({
  id: z.string(),
  title: z.string(),
  "first-release-date": z.string().default(""),
  "secondary-types": z.array(z.string()).default([]),
});

/** "1994-08-22", "1994-08", "1994" → 1994; "" or "????-05-01" → null. */
export function yearFromDate(date: string | undefined): number | null {
  return date && /^\d{4}/.test(date) ? Number(date.slice(0, 4)) : null;
}

export class WebServiceSource implements MusicbrainzSource {
  readonly kind = "webservice";
  private readonly budget: RateBudget;

  constructor(
    private readonly baseUrl: string,
    perSecond = 1,
  ) {
    // 1 request/s for the whole deployment, as MusicBrainz asks; shared through Redis like Last.fm's.
    this.budget = createRateBudget("musicbrainz", perSecond, 50);
  }

  /** GET with the shared budget, 503 backoff and 301 following. Returns null for 404. */
  async get(path: string, signal?: AbortSignal): Promise<{ body: unknown; finalUrl: string } | null> {
    let url = `${this.baseUrl.replace(/\/$/, "")}/${path}`;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const leaving = await this.budget.acquire(signal);
      let response: Response;
      try {
        response = await fetchSent(leaving, url, {
          headers: { "User-Agent": USER_AGENT, Accept: "application/json" },
          redirect: "manual",
          signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(15_000)]) : AbortSignal.timeout(15_000),
        });
      } catch (error) {
        signal?.throwIfAborted();
        if (attempt + 1 === ATTEMPTS)
          throw new MusicbrainzUnavailableError(`MusicBrainz unreachable: ${(error as Error).message}`);
        await sleep(backoffDelay(attempt, 1_000, 30_000), signal);
        continue;
      }
      if (response.status === 301 || response.status === 302 || response.status === 307 || response.status === 308) {
        const location = response.headers.get("location");
        await response.body?.cancel();
        if (!location) throw new MusicbrainzUnavailableError("MusicBrainz redirected without a Location");
        url = new URL(location, url).toString();
        attempt--; // following a merge is not a failure
        continue;
      }
      if (response.status === 404) {
        await response.body?.cancel();
        return null;
      }
      if (response.ok) return { body: await response.json(), finalUrl: url };
      await response.body?.cancel();
      if (response.status === 503 || response.status >= 500 || response.status === 429) {
        await sleep(backoffDelay(attempt, 2_000, 60_000), signal);
        continue;
      }
      throw new MusicbrainzUnavailableError(`MusicBrainz answered HTTP ${response.status} for ${path}`);
    }
    throw new MusicbrainzUnavailableError(`MusicBrainz kept failing for ${path}`);
  }

  /** One search answers up to 100 ids, as release ids (reid) or release-group ids (rgid). */
  private async searchBatch(ids: string[], signal?: AbortSignal): Promise<Map<string, AlbumLookup>> {
    const list = ids.map((id) => `"${id}"`).join(" OR ");
    const query = encodeURIComponent(`reid:(${list}) OR rgid:(${list})`);
    const found = new Map<string, AlbumLookup>();
    const result = await this.get(`release-group?query=${query}&limit=100&fmt=json`, signal);
    if (!result) return found;
    const wanted = new Set(ids);
    for (const group of SearchSchema.parse(result.body)["release-groups"]) {
      const answer = (albumMbid: string, matchedAs: MatchedAs): AlbumLookup => ({
        albumMbid,
        matchedAs,
        releaseGroupMbid: group.id,
        releaseGroupName: group.title,
        year: yearFromDate(group["first-release-date"]),
        isCompilation: isCollection(group["secondary-types"]),
      });
      if (wanted.has(group.id)) found.set(group.id, answer(group.id, "release_group"));
      for (const release of group.releases)
        if (wanted.has(release.id)) found.set(release.id, answer(release.id, "release"));
    }
    return found;
  }

  /** Ids the search did not return: merged ids (301 to the survivor), index lag, or unknown ids. */
  private async lookupOne(mbid: string, signal?: AbortSignal): Promise<AlbumLookup> {
    const release = await this.get(`release/${mbid}?inc=release-groups&fmt=json`, signal);
    if (release) {
      const parsed = ReleaseSchema.parse(release.body);
      const group = parsed["release-group"];
      return {
        albumMbid: mbid,
        matchedAs: parsed.id === mbid ? "release" : "release_redirect",
        releaseGroupMbid: group.id,
        releaseGroupName: group.title,
        year: yearFromDate(group["first-release-date"]),
        isCompilation: isCollection(group["secondary-types"]),
      };
    }
    const group = await this.get(`release-group/${mbid}?fmt=json`, signal);
    if (group) {
      const parsed = ReleaseGroupSchema.parse(group.body);
      return {
        albumMbid: mbid,
        matchedAs: parsed.id === mbid ? "release_group" : "release_group_redirect",
        releaseGroupMbid: parsed.id,
        releaseGroupName: parsed.title,
        year: yearFromDate(parsed["first-release-date"]),
        isCompilation: isCollection(parsed["secondary-types"]),
      };
    }
    return { albumMbid: mbid, matchedAs: null, releaseGroupMbid: null, releaseGroupName: null, year: null };
  }

  async lookupAlbums(mbids: string[], signal?: AbortSignal): Promise<AlbumLookup[]> {
    const results: AlbumLookup[] = [];
    for (const batch of chunk([...new Set(mbids.map((id) => id.toLowerCase()))], WEBSERVICE_BATCH_SIZE)) {
      const found = await this.searchBatch(batch, signal);
      for (const id of batch) results.push(found.get(id) ?? (await this.lookupOne(id, signal)));
    }
    return results;
  }

  async close(): Promise<void> {}
}

const globalForSource = globalThis as unknown as { musicbrainzSource?: MusicbrainzSource };

/** The configured source: the mirror when MUSICBRAINZ_DATABASE_URL is set, else the web service. */
export function musicbrainz(): MusicbrainzSource {
  const { MUSICBRAINZ_DATABASE_URL, MUSICBRAINZ_API_URL, MUSICBRAINZ_RATE_LIMIT } = env();
  globalForSource.musicbrainzSource ??= MUSICBRAINZ_DATABASE_URL
    ? new MirrorSource(MUSICBRAINZ_DATABASE_URL)
    : new WebServiceSource(MUSICBRAINZ_API_URL, MUSICBRAINZ_RATE_LIMIT);
  return globalForSource.musicbrainzSource;
}

export async function closeMusicbrainz(): Promise<void> {
  await globalForSource.musicbrainzSource?.close();
  globalForSource.musicbrainzSource = undefined;
}
