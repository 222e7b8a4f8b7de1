// The catalog as ws/2 shows it: lookups, redirects, search, and the JSON shapes of the real
// service (lookup dates are "" when unknown; search results leave the key out).
import {
  type Catalog,
  DEFAULT_SEED,
  type Recording,
  type Release,
  type ReleaseGroup,
  recordingsOf,
} from "@/scripts/simulators/catalog";
import { creditNames } from "./credits";
import { type Query, type Term, words } from "./lucene";
import { primaryType, releaseStatus, secondaryType } from "./types";

type Json = Record<string, unknown>;
type Entity = Release | ReleaseGroup;
export type Found<T> = { entity: T; moved: boolean };

const WORLDWIDE = {
  id: "525d4e18-3d00-31b9-a58b-a146a916de8f",
  name: "[Worldwide]",
  "sort-name": "[Worldwide]",
  "iso-3166-1-codes": ["XW"],
  disambiguation: "",
  type: null,
  "type-id": null,
};
// Before secondary types existed these were the type itself; search's "type-id" still reports them.
const LEGACY_TYPES = new Set(["Compilation", "Soundtrack", "Spokenword", "Interview", "Audiobook", "Live", "Remix"]);
const KEYWORD_FIELDS = new Set([
  "rid",
  "rgid",
  "reid",
  "arid",
  "firstreleasedate",
  "date",
  "primarytype",
  "secondarytype",
  "status",
  "type",
  "releases",
]);

export class WsCatalog {
  private readonly releaseGroups: Map<string, ReleaseGroup>;
  private readonly releases: Map<string, Release>;
  private readonly releasesOfGroup = new Map<string, Release[]>();
  private readonly releaseRedirects = new Map<string, string>();
  private readonly groupRedirects = new Map<string, string>();
  private byArtist: { groups: Map<string, ReleaseGroup[]>; releases: Map<string, Release[]> } | undefined;

  /** Every recording, with the release groups whose releases hold it (its own, and an origin album). */
  private recordingIndex: Map<string, { recording: Recording; groups: ReleaseGroup[] }> | undefined;

  constructor(
    catalog: Catalog,
    private readonly seed = DEFAULT_SEED,
  ) {
    this.releaseGroups = catalog.releaseGroups;
    this.releases = catalog.releases;
    for (const release of catalog.releases.values()) {
      const list = this.releasesOfGroup.get(release.releaseGroupGid);
      if (list) list.push(release);
      else this.releasesOfGroup.set(release.releaseGroupGid, [release]);
    }
    // resolveExpected follows the first redirect naming an old MBID.
    for (const { oldGid, newGid, entity } of catalog.redirects) {
      const redirects = entity === "release" ? this.releaseRedirects : this.groupRedirects;
      if (!redirects.has(oldGid)) redirects.set(oldGid, newGid);
    }
  }

  findRelease(mbid: string): Found<Release> | undefined {
    const release = this.releases.get(mbid);
    if (release) return { entity: release, moved: false };
    const target = this.releases.get(this.releaseRedirects.get(mbid) ?? "");
    return target && { entity: target, moved: true };
  }

  findReleaseGroup(mbid: string): Found<ReleaseGroup> | undefined {
    const group = this.releaseGroups.get(mbid);
    if (group) return { entity: group, moved: false };
    const target = this.releaseGroups.get(this.groupRedirects.get(mbid) ?? "");
    return target && { entity: target, moved: true };
  }

  groupOf(release: Release): ReleaseGroup {
    return this.releaseGroups.get(release.releaseGroupGid) as ReleaseGroup;
  }

  releasesOf(group: ReleaseGroup): Release[] {
    return this.releasesOfGroup.get(group.gid) ?? [];
  }

  // --- recordings ---------------------------------------------------------------------

  private recordings() {
    if (this.recordingIndex) return this.recordingIndex;
    const index = new Map<string, { recording: Recording; groups: ReleaseGroup[] }>();
    const holders = new Map<string, ReleaseGroup[]>();
    for (const group of this.releaseGroups.values()) {
      const owner = group.recordingsOf ?? group.gid;
      holders.set(owner, [...(holders.get(owner) ?? []), group]);
    }
    for (const group of this.releaseGroups.values()) {
      if (group.recordingsOf) continue;
      for (const recording of recordingsOf(this.seed, group))
        index.set(recording.gid, { recording, groups: holders.get(group.gid) ?? [group] });
    }
    this.recordingIndex = index;
    return index;
  }

  findRecording(mbid: string): Found<Recording> | undefined {
    const found = this.recordings().get(mbid);
    return found && { entity: found.recording, moved: false };
  }

  searchRecordings(query: Query): { entity: Recording; score: number }[] {
    const index = this.recordings();
    const ids = recordingIds(query);
    const entities = ids
      ? ids.flatMap((id) => index.get(id)?.recording ?? [])
      : [...index.values()].map((entry) => entry.recording);
    return rank(query, entities, (recording, field) => this.recordingField(recording, field));
  }

  private recordingField(recording: Recording, field: string): string[] {
    const groups = this.recordings().get(recording.gid)?.groups ?? [];
    switch (field) {
      case "rid":
        return [recording.gid];
      case "recording":
      case "recordingaccent":
        return [recording.name];
      case "rgid":
        return groups.map((group) => group.gid);
      case "reid":
        return groups.flatMap((group) => this.releasesOf(group).map((release) => release.gid));
      case "release":
        return groups.flatMap((group) => this.releasesOf(group).map((release) => release.name));
      case "firstreleasedate":
        return recording.firstReleaseDate ? [recording.firstReleaseDate] : [];
      default:
        return artistField(recording.artistCredit, field);
    }
  }

  recordingJson(recording: Recording, incs: Set<string>): Json {
    return {
      id: recording.gid,
      title: recording.name,
      length: null,
      video: false,
      disambiguation: "",
      "first-release-date": recording.firstReleaseDate ?? "",
      ...(hasCredits(incs) ? { "artist-credit": lookupCredit(recording.artistCredit) } : {}),
    };
  }

  /** As the real search shows a recording: the date key left out when unknown, its releases with their group. */
  searchedRecordingJson(recording: Recording, score: number): Json {
    const groups = this.recordings().get(recording.gid)?.groups ?? [];
    return {
      id: recording.gid,
      score,
      title: recording.name,
      video: null,
      "artist-credit": searchCredit(recording.artistCredit),
      ...(recording.firstReleaseDate ? { "first-release-date": recording.firstReleaseDate } : {}),
      releases: groups.flatMap((group) =>
        this.releasesOf(group).map((release) => ({
          id: release.gid,
          title: release.name,
          ...(release.status ? { status: release.status } : {}),
          "release-group": {
            id: group.gid,
            ...typeIdJson(group),
            title: group.name,
            ...(group.primaryType ? { "primary-type": group.primaryType } : {}),
            ...secondaryTypesJson(group),
          },
          ...(release.date ? { date: release.date } : {}),
        })),
      ),
    };
  }

  // --- search -------------------------------------------------------------------------

  searchReleaseGroups(query: Query): { entity: ReleaseGroup; score: number }[] {
    const candidates = this.candidates(query, "group") as Set<ReleaseGroup> | null;
    return rank(query, candidates ?? this.releaseGroups.values(), (group, field) => this.groupField(group, field));
  }

  searchReleases(query: Query): { entity: Release; score: number }[] {
    const candidates = this.candidates(query, "release") as Set<Release> | null;
    return rank(query, candidates ?? this.releases.values(), (release, field) => this.releaseField(release, field));
  }

  private groupField(group: ReleaseGroup, field: string): string[] {
    const releases = this.releasesOf(group);
    switch (field) {
      case "rgid":
        return [group.gid];
      case "reid":
        return releases.map((release) => release.gid);
      case "release":
        return releases.map((release) => release.name);
      case "releasegroup":
      case "releasegroupaccent":
        return [group.name];
      case "firstreleasedate": {
        const date = effectiveDate(group);
        return date ? [date] : [];
      }
      case "primarytype":
        return group.primaryType ? [group.primaryType] : [];
      case "secondarytype":
        return group.secondaryTypes;
      case "type":
        return [legacyType(group)?.name ?? ""];
      case "status":
        return releases.flatMap((release) => release.status ?? []);
      case "releases":
        return [String(releases.length)];
      default:
        return artistField(group.artistCredit, field);
    }
  }

  private releaseField(release: Release, field: string): string[] {
    const group = this.groupOf(release);
    switch (field) {
      case "reid":
        return [release.gid];
      case "rgid":
        return [group.gid];
      case "release":
        return [release.name];
      case "releasegroup":
        return [group.name];
      case "date":
        return release.date ? [release.date] : [];
      case "status":
        return release.status ? [release.status] : [];
      case "primarytype":
        return group.primaryType ? [group.primaryType] : [];
      case "secondarytype":
        return group.secondaryTypes;
      default:
        return artistField(release.artistCredit, field);
    }
  }

  /** The few entities an MBID query names, found by index instead of a scan; null: scan everything. */
  private candidates(query: Query, kind: "group" | "release"): Set<Entity> | null {
    if (query.kind === "term") return query.prefix ? null : this.byId(query.field, query.text.toLowerCase(), kind);
    const must = query.must.map((clause) => this.candidates(clause, kind)).filter((set) => set !== null);
    if (must.length) return must.reduce((smallest, set) => (set.size < smallest.size ? set : smallest));
    if (query.must.length || !query.should.length) return null;
    const should = query.should.map((clause) => this.candidates(clause, kind));
    return should.every((set) => set !== null) ? new Set(should.flatMap((set) => [...(set as Set<Entity>)])) : null;
  }

  private byId(field: string, mbid: string, kind: "group" | "release"): Set<Entity> | null {
    const toKind = (groups: ReleaseGroup[], releases: Release[]): Set<Entity> =>
      new Set<Entity>(kind === "group" ? groups : releases);
    const release = this.releases.get(mbid);
    const group = this.releaseGroups.get(mbid);
    if (field === "reid") return release ? toKind([this.groupOf(release)], [release]) : new Set();
    if (field === "rgid") return group ? toKind([group], this.releasesOf(group)) : new Set();
    if (field !== "arid") return null;
    this.byArtist ??= this.indexArtists();
    return toKind(this.byArtist.groups.get(mbid) ?? [], this.byArtist.releases.get(mbid) ?? []);
  }

  private indexArtists() {
    const groups = new Map<string, ReleaseGroup[]>();
    const releases = new Map<string, Release[]>();
    const add = <T>(index: Map<string, T[]>, credit: string, entity: T) => {
      for (const { artist } of creditNames(credit)) {
        const list = index.get(artist.gid);
        if (list) list.push(entity);
        else index.set(artist.gid, [entity]);
      }
    };
    for (const group of this.releaseGroups.values()) add(groups, group.artistCredit, group);
    for (const release of this.releases.values()) add(releases, release.artistCredit, release);
    return { groups, releases };
  }

  // --- JSON ---------------------------------------------------------------------------

  releaseJson(release: Release, incs: Set<string>): Json {
    return {
      id: release.gid,
      title: release.name,
      ...statusJson(release),
      quality: "normal",
      disambiguation: "",
      packaging: null,
      "packaging-id": null,
      barcode: null,
      asin: null,
      "text-representation": { language: null, script: null },
      "cover-art-archive": { artwork: false, count: 0, front: false, back: false, darkened: false },
      ...(release.date
        ? { date: release.date, country: "XW", "release-events": [{ date: release.date, area: WORLDWIDE }] }
        : {}),
      ...(incs.has("release-groups")
        ? {
            "release-group": this.releaseGroupJson(
              this.groupOf(release),
              new Set([...incs].filter((inc) => inc !== "releases")),
            ),
          }
        : {}),
      ...(hasCredits(incs) ? { "artist-credit": lookupCredit(release.artistCredit) } : {}),
    };
  }

  releaseGroupJson(group: ReleaseGroup, incs: Set<string>): Json {
    const releaseIncs = new Set([...incs].filter((inc) => inc !== "release-groups"));
    return {
      id: group.gid,
      title: group.name,
      "first-release-date": effectiveDate(group) ?? "",
      "primary-type": group.primaryType,
      "primary-type-id": group.primaryType && primaryType(group.primaryType).gid,
      "secondary-types": group.secondaryTypes,
      "secondary-type-ids": group.secondaryTypes.map((name) => secondaryType(name).gid),
      disambiguation: "",
      ...(hasCredits(incs) ? { "artist-credit": lookupCredit(group.artistCredit) } : {}),
      ...(incs.has("releases")
        ? { releases: this.releasesOf(group).map((release) => this.releaseJson(release, releaseIncs)) }
        : {}),
    };
  }

  searchedGroupJson(group: ReleaseGroup, score: number): Json {
    const date = effectiveDate(group);
    return {
      id: group.gid,
      ...typeIdJson(group),
      score,
      ...(group.primaryType ? { "primary-type-id": primaryType(group.primaryType).gid } : {}),
      count: this.releasesOf(group).length,
      title: group.name,
      ...(date ? { "first-release-date": date } : {}),
      ...(group.primaryType ? { "primary-type": group.primaryType } : {}),
      ...secondaryTypesJson(group),
      "artist-credit": searchCredit(group.artistCredit),
      releases: this.releasesOf(group).map((release) => ({
        id: release.gid,
        ...(release.status ? { "status-id": releaseStatus(release.status).gid } : {}),
        title: release.name,
        ...(release.status ? { status: release.status } : {}),
      })),
    };
  }

  /** The nested release group carries no first-release-date, as on the real service. */
  searchedReleaseJson(release: Release, score: number): Json {
    const group = this.groupOf(release);
    return {
      id: release.gid,
      score,
      ...(release.status ? { "status-id": releaseStatus(release.status).gid } : {}),
      count: 1,
      title: release.name,
      ...(release.status ? { status: release.status } : {}),
      "artist-credit": searchCredit(release.artistCredit),
      "release-group": {
        id: group.gid,
        ...typeIdJson(group),
        ...(group.primaryType ? { "primary-type-id": primaryType(group.primaryType).gid } : {}),
        title: group.name,
        ...(group.primaryType ? { "primary-type": group.primaryType } : {}),
        ...secondaryTypesJson(group),
      },
      ...(release.date
        ? {
            date: release.date,
            country: "XW",
            "release-events": [
              {
                date: release.date,
                area: {
                  id: WORLDWIDE.id,
                  name: WORLDWIDE.name,
                  "sort-name": WORLDWIDE["sort-name"],
                  "iso-3166-1-codes": ["XW"],
                },
              },
            ],
          }
        : {}),
    };
  }
}

/** The date the truth (resolveExpected) gives: a group without a meta row has none. */
function effectiveDate(group: ReleaseGroup): string | null {
  return group.hasMetaRow ? group.date : null;
}

function legacyType(group: ReleaseGroup) {
  const legacy =
    group.primaryType === "Album" ? group.secondaryTypes.find((name) => LEGACY_TYPES.has(name)) : undefined;
  if (legacy) return secondaryType(legacy);
  return group.primaryType ? primaryType(group.primaryType) : undefined;
}

function typeIdJson(group: ReleaseGroup): Json {
  const type = legacyType(group);
  return type ? { "type-id": type.gid } : {};
}

function secondaryTypesJson(group: ReleaseGroup): Json {
  if (!group.secondaryTypes.length) return {};
  return {
    "secondary-types": group.secondaryTypes,
    "secondary-type-ids": group.secondaryTypes.map((name) => secondaryType(name).gid),
  };
}

function statusJson(release: Release): Json {
  return { status: release.status, "status-id": release.status && releaseStatus(release.status).gid };
}

const hasCredits = (incs: Set<string>) => incs.has("artist-credits") || incs.has("artists");

function lookupCredit(credit: string) {
  return creditNames(credit).map(({ name, joinPhrase, artist }) => ({
    name,
    joinphrase: joinPhrase,
    artist: {
      id: artist.gid,
      name: artist.name,
      "sort-name": artist.sortName,
      disambiguation: artist.comment,
      type: null,
      "type-id": null,
    },
  }));
}

// Search hits give joinphrase only between names and disambiguation only when set.
function searchCredit(credit: string) {
  const names = creditNames(credit);
  return names.map(({ name, joinPhrase, artist }, i) => ({
    name,
    ...(i < names.length - 1 ? { joinphrase: joinPhrase } : {}),
    artist: {
      id: artist.gid,
      name: artist.name,
      "sort-name": artist.sortName,
      ...(artist.comment ? { disambiguation: artist.comment } : {}),
    },
  }));
}

function artistField(credit: string, field: string): string[] {
  const names = creditNames(credit);
  switch (field) {
    case "artist":
      return [credit, ...names.map((name) => name.artist.name)];
    case "artistname":
      return names.map((name) => name.artist.name);
    case "creditname":
      return names.map((name) => name.name);
    case "arid":
      return names.map((name) => name.artist.gid);
    default:
      return [];
  }
}

// --- scoring ----------------------------------------------------------------------------

function rank<T>(
  query: Query,
  entities: Iterable<T>,
  field: (entity: T, name: string) => string[],
): { entity: T; score: number }[] {
  const hits: { entity: T; score: number }[] = [];
  for (const entity of entities) {
    const score = scoreOf(query, (name) => field(entity, name));
    if (score > 0) hits.push({ entity, score });
  }
  // Like the real service: the best hit scores 100, the rest relative to it; ties keep catalog order.
  const best = Math.max(0, ...hits.map((hit) => hit.score));
  return hits
    .map((hit) => ({ entity: hit.entity, score: Math.max(1, Math.round((100 * hit.score) / best)) }))
    .sort((a, b) => b.score - a.score);
}

function scoreOf(query: Query, field: (name: string) => string[]): number {
  if (query.kind === "term") return termScore(query, field(query.field));
  let total = 0;
  for (const clause of query.must) {
    const score = scoreOf(clause, field);
    if (!score) return 0;
    total += score;
  }
  if (query.mustNot.some((clause) => scoreOf(clause, field) > 0)) return 0;
  let matchedShould = false;
  for (const clause of query.should) {
    const score = scoreOf(clause, field);
    if (score) (matchedShould = true), (total += score);
  }
  return query.must.length || matchedShould ? total : 0;
}

const wordCache = new Map<string, string[]>();

function cachedWords(text: string): string[] {
  let cached = wordCache.get(text);
  if (!cached) {
    if (wordCache.size > 500_000) wordCache.clear();
    cached = words(text);
    wordCache.set(text, cached);
  }
  return cached;
}

// A shorter field that contains the words ranks higher, like Lucene's length norm.
function termScore(term: Term, values: string[]): number {
  if (KEYWORD_FIELDS.has(term.field)) {
    const wanted = term.text.toLowerCase();
    return values.some((value) =>
      term.prefix ? value.toLowerCase().startsWith(wanted) : value.toLowerCase() === wanted,
    )
      ? 1
      : 0;
  }
  const wanted = words(term.text);
  if (!wanted.length) return 0;
  let best = 0;
  for (const value of values) {
    const have = cachedWords(value);
    if (containsPhrase(have, wanted, term.prefix)) best = Math.max(best, wanted.length / Math.sqrt(have.length));
  }
  return best;
}

function containsPhrase(have: string[], wanted: string[], prefix: boolean): boolean {
  const last = wanted.length - 1;
  for (let start = 0; start + last < have.length; start++) {
    let i = 0;
    while (
      i <= last &&
      (have[start + i] === wanted[i] || (prefix && i === last && have[start + i].startsWith(wanted[i])))
    )
      i++;
    if (i > last) return true;
  }
  return false;
}

/** The recording MBIDs a query names when it is only rid: terms (one OR list): found by index. */
function recordingIds(query: Query): string[] | null {
  if (query.kind === "term") return query.field === "rid" && !query.prefix ? [query.text.toLowerCase()] : null;
  if (query.must.length || query.mustNot.length || !query.should.length) {
    if (query.must.length === 1 && !query.should.length && !query.mustNot.length) return recordingIds(query.must[0]);
    return null;
  }
  const lists = query.should.map(recordingIds);
  return lists.every((list) => list !== null) ? (lists.flat() as string[]) : null;
}
