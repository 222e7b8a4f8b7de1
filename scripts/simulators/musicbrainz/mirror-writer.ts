// Catalog entities → mirror rows, streamed to Postgres with COPY. Ids are dense and assigned
// here; release_group_meta rows are written last, once every release of a group is counted.
import type pg from "pg";
import {
  deterministicUuid,
  type Recording,
  type Redirect,
  type Release,
  type ReleaseGroup,
} from "@/scripts/simulators/catalog";
import { CopyBuffer, copyIn } from "./copy";
import { type Artist, artistCreditGid, creditNames } from "./credits";
import {
  PRIMARY_TYPES,
  primaryType,
  RELEASE_STATUSES,
  releaseStatus,
  SECONDARY_TYPES,
  secondaryType,
  splitDate,
} from "./types";

const META_CHUNK = 50_000;

/** Turns catalog entities into mirror rows; ids are dense and assigned in load order. */
export class MirrorWriter {
  private readonly groupIds = new Map<string, number>();
  private groupCount = 0;
  /** Rows whose MBID a later catalog entity reused (catalog.ts's UUIDs have 32 bits). */
  private readonly replacedGroups: { id: number; gid: string }[] = [];
  private droppedReleases = 0;
  private readonly creditIds = new Map<string, number>();
  private readonly artistIds = new Map<string, number>();
  private releaseCount = 0;
  private readonly aliases = new Set<string>();
  private readonly releaseRedirects = new Map<string, Redirect>();
  private readonly groupRedirects = new Map<string, string>();
  // Per release group id: the meta row is written last, once every release is counted.
  private meta = {
    hasRow: new Uint8Array(1024),
    year: new Int16Array(1024),
    month: new Int8Array(1024),
    day: new Int8Array(1024),
    releases: new Int32Array(1024),
  };

  private readonly release = new CopyBuffer("musicbrainz.release", [
    "id",
    "gid",
    "name",
    "artist_credit",
    "release_group",
    "status",
  ]);
  private readonly group = new CopyBuffer("musicbrainz.release_group", ["id", "gid", "name", "artist_credit", "type"]);
  private readonly secondaryTypeJoin = new CopyBuffer("musicbrainz.release_group_secondary_type_join", [
    "release_group",
    "secondary_type",
  ]);
  private readonly credit = new CopyBuffer("musicbrainz.artist_credit", ["id", "name", "artist_count", "gid"]);
  private readonly creditName = new CopyBuffer("musicbrainz.artist_credit_name", [
    "artist_credit",
    "position",
    "artist",
    "name",
    "join_phrase",
  ]);
  private readonly artist = new CopyBuffer("musicbrainz.artist", ["id", "gid", "name", "sort_name", "comment"]);
  private readonly alias = new CopyBuffer("musicbrainz.artist_alias", ["id", "artist", "name", "sort_name", "type"]);
  private readonly recording = new CopyBuffer("musicbrainz.recording", ["id", "gid", "name", "artist_credit"]);
  private readonly recordingDate = new CopyBuffer("musicbrainz.recording_first_release_date", [
    "recording",
    "year",
    "month",
    "day",
  ]);
  private readonly medium = new CopyBuffer("musicbrainz.medium", ["id", "release", "position", "track_count", "gid"]);
  private readonly track = new CopyBuffer("musicbrainz.track", [
    "id",
    "gid",
    "recording",
    "medium",
    "position",
    "number",
    "name",
    "artist_credit",
  ]);
  private readonly releaseEvent = new CopyBuffer("musicbrainz.release_unknown_country", [
    "release",
    "date_year",
    "date_month",
    "date_day",
  ]);
  private recordingCount = 0;
  private trackCount = 0;
  /** Per release group id: the id of its first recording (they are numbered in track order). */
  private recordingBase = new Int32Array(1024);
  private readonly buffers = [
    this.recording,
    this.recordingDate,
    this.medium,
    this.track,
    this.releaseEvent,
    this.release,
    this.group,
    this.secondaryTypeJoin,
    this.credit,
    this.creditName,
    this.artist,
    this.alias,
  ];

  constructor(private readonly client: pg.Client) {}

  async writeTypeRows() {
    const tables = [
      ["musicbrainz.release_group_primary_type", PRIMARY_TYPES],
      ["musicbrainz.release_group_secondary_type", SECONDARY_TYPES],
      ["musicbrainz.release_status", RELEASE_STATUSES],
    ] as const;
    for (const [table, rows] of tables) {
      const buffer = new CopyBuffer(table, ["id", "name", "gid"]);
      for (const row of rows) buffer.add(row.id, row.name, row.gid);
      await copyIn(this.client, buffer.take());
    }
  }

  addGroup(group: ReleaseGroup) {
    const id = ++this.groupCount;
    const replaced = this.groupIds.get(group.gid);
    if (replaced !== undefined) this.replacedGroups.push({ id: replaced, gid: group.gid });
    this.groupIds.set(group.gid, id);
    this.group.add(
      id,
      group.gid,
      group.name,
      this.creditId(group.artistCredit),
      group.primaryType && primaryType(group.primaryType).id,
    );
    for (const name of group.secondaryTypes) this.secondaryTypeJoin.add(id, secondaryType(name).id);
    if (group.recordingsOf) this.ownerOf.set(group.gid, group.recordingsOf);
    this.growMeta(id);
    if (group.hasMetaRow) {
      const [year, month, day] = splitDate(group.date);
      this.meta.hasRow[id] = 1;
      this.meta.year[id] = year ?? -1;
      this.meta.month[id] = month ?? -1;
      this.meta.day[id] = day ?? -1;
    }
  }

  /** The recordings a group owns (its releases, and its origin album's, hold them); once per owner. */
  addRecordings(group: ReleaseGroup, recordings: Recording[]) {
    const id = this.groupIds.get(group.gid);
    if (id === undefined) throw new Error(`recordings of unknown release group ${group.gid}`);
    this.growRecordingBase(id);
    this.recordingBase[id] = this.recordingCount + 1;
    for (const recording of recordings) {
      const recordingId = ++this.recordingCount;
      this.recording.add(recordingId, recording.gid, recording.name, this.creditId(recording.artistCredit));
      const [year, month, day] = splitDate(recording.firstReleaseDate);
      if (year !== null) this.recordingDate.add(recordingId, year, month, day);
    }
  }

  /** A release with its one medium holding `recordings` in order, and its date as a release event. */
  addRelease(release: Release, recordings: Recording[] = []) {
    const group = this.groupIds.get(release.releaseGroupGid);
    if (group === undefined)
      throw new Error(`release ${release.gid} names unknown release group ${release.releaseGroupGid}`);
    this.releaseCount++;
    this.meta.releases[group]++;
    this.release.add(
      this.releaseCount,
      release.gid,
      release.name,
      this.creditId(release.artistCredit),
      group,
      release.status && releaseStatus(release.status).id,
    );
    const [year, month, day] = splitDate(release.date);
    if (year !== null) this.releaseEvent.add(this.releaseCount, year, month, day);
    if (recordings.length === 0) return;
    const owner = this.groupIds.get(this.ownerOf.get(release.releaseGroupGid) ?? release.releaseGroupGid) ?? group;
    const base = this.recordingBase[owner];
    if (!base) throw new Error(`release ${release.gid}: its recordings were not added first`);
    this.medium.add(
      this.releaseCount,
      this.releaseCount,
      1,
      recordings.length,
      deterministicUuid("medium", release.gid),
    );
    for (const [n, recording] of recordings.entries()) {
      this.track.add(
        ++this.trackCount,
        deterministicUuid("track", release.gid, n),
        base + n,
        this.releaseCount,
        n + 1,
        String(n + 1),
        recording.name,
        this.creditId(recording.artistCredit),
      );
    }
  }

  /** A group holding another's recordings (a compilation's origin album) names that owner. */
  private readonly ownerOf = new Map<string, string>();

  // resolveExpected takes the first redirect that names an old MBID, so the first one stays.
  addRedirect(redirect: Redirect) {
    if (redirect.entity === "release") {
      if (!this.releaseRedirects.has(redirect.oldGid)) this.releaseRedirects.set(redirect.oldGid, redirect);
      return;
    }
    if (!this.groupRedirects.has(redirect.oldGid)) this.groupRedirects.set(redirect.oldGid, redirect.newGid);
  }

  /** Where an MBID repeats, keeps the later entity, as the catalog's Maps do; before the unique indexes. */
  async dropReplacedRows() {
    const { rows } = await this.client.query<{ id: number; release_group: number }>(
      `DELETE FROM musicbrainz.release a USING musicbrainz.release b
       WHERE a.gid = b.gid AND a.id < b.id RETURNING a.id, a.release_group`,
    );
    for (const row of rows) this.meta.releases[row.release_group]--;
    if (rows.length > 0) {
      // Their tracklists and events go too (a medium's id is its release's here).
      const ids = rows.map((row) => row.id);
      await this.client.query("DELETE FROM musicbrainz.track WHERE medium = ANY($1)", [ids]);
      await this.client.query("DELETE FROM musicbrainz.medium WHERE id = ANY($1)", [ids]);
      await this.client.query("DELETE FROM musicbrainz.release_unknown_country WHERE release = ANY($1)", [ids]);
    }
    this.droppedReleases = rows.length;
    if (this.replacedGroups.length === 0) return;
    const oldIds = this.replacedGroups.map((group) => group.id);
    const newIds = this.replacedGroups.map((group) => this.groupIds.get(group.gid) as number);
    await this.client.query(
      `UPDATE musicbrainz.release r SET release_group = x.new_id
       FROM unnest($1::int[], $2::int[]) AS x(old_id, new_id) WHERE r.release_group = x.old_id`,
      [oldIds, newIds],
    );
    await this.client.query("DELETE FROM musicbrainz.release_group WHERE id = ANY($1)", [oldIds]);
    await this.client.query("DELETE FROM musicbrainz.release_group_secondary_type_join WHERE release_group = ANY($1)", [
      oldIds,
    ]);
    for (const [i, oldId] of oldIds.entries()) {
      this.meta.releases[newIds[i]] += this.meta.releases[oldId];
      this.meta.hasRow[oldId] = 0;
    }
  }

  /** Hands every buffered row to Postgres; resolves when it has them all. */
  flush(): Promise<void> {
    return copyIn(this.client, ...this.buffers.filter((buffer) => buffer.length > 0).map((buffer) => buffer.take()));
  }

  async writeMeta() {
    const meta = new CopyBuffer("musicbrainz.release_group_meta", [
      "id",
      "release_count",
      "first_release_date_year",
      "first_release_date_month",
      "first_release_date_day",
    ]);
    const part = (value: number) => (value < 0 ? null : value);
    let pending = Promise.resolve();
    for (let id = 1; id <= this.groupCount; id++) {
      if (!this.meta.hasRow[id]) continue;
      meta.add(
        id,
        this.meta.releases[id],
        part(this.meta.year[id]),
        part(this.meta.month[id]),
        part(this.meta.day[id]),
      );
      if (meta.length >= META_CHUNK) {
        await pending;
        pending = copyIn(this.client, meta.take());
      }
    }
    await pending;
    await copyIn(this.client, meta.take());
  }

  // Release redirects name their target by MBID; the join finds its id once release_idx_gid exists.
  async writeRedirects() {
    const releases = [...this.releaseRedirects.values()];
    const { rowCount } = await this.client.query(
      `INSERT INTO musicbrainz.release_gid_redirect (gid, new_id)
       SELECT x.gid, r.id FROM unnest($1::uuid[], $2::uuid[]) AS x(gid, new_gid)
       JOIN musicbrainz.release r ON r.gid = x.new_gid`,
      [releases.map((r) => r.oldGid), releases.map((r) => r.newGid)],
    );
    if (rowCount !== releases.length) throw new Error("a release redirect points at a release the catalog lacks");
    const groups = [...this.groupRedirects].map(([oldGid, newGid]) => {
      const newId = this.groupIds.get(newGid);
      if (newId === undefined) throw new Error(`redirect ${oldGid} points at unknown release group ${newGid}`);
      return [oldGid, newId] as const;
    });
    await this.client.query(
      "INSERT INTO musicbrainz.release_group_gid_redirect (gid, new_id) SELECT * FROM unnest($1::uuid[], $2::int[])",
      [groups.map(([gid]) => gid), groups.map(([, newId]) => newId)],
    );
  }

  rows(): Record<string, number> {
    let metaRows = 0;
    for (let id = 1; id <= this.groupCount; id++) metaRows += this.meta.hasRow[id];
    return {
      release: this.releaseCount - this.droppedReleases,
      release_group: this.groupIds.size,
      release_group_meta: metaRows,
      release_gid_redirect: this.releaseRedirects.size,
      release_group_gid_redirect: this.groupRedirects.size,
      artist_credit: this.creditIds.size,
      artist: this.artistIds.size,
      artist_alias: this.aliases.size,
      recording: this.recordingCount,
      track: this.trackCount,
    };
  }

  private creditId(credit: string): number {
    let id = this.creditIds.get(credit);
    if (id !== undefined) return id;
    id = this.creditIds.size + 1;
    this.creditIds.set(credit, id);
    const names = creditNames(credit);
    this.credit.add(id, credit, names.length, artistCreditGid(credit));
    for (const [position, name] of names.entries()) {
      this.creditName.add(id, position, this.artistId(name.artist, name.name), name.name, name.joinPhrase);
    }
    return id;
  }

  private artistId(artist: Artist, credited: string): number {
    let id = this.artistIds.get(artist.gid);
    if (id === undefined) {
      id = this.artistIds.size + 1;
      this.artistIds.set(artist.gid, id);
      this.artist.add(id, artist.gid, artist.name, artist.sortName, artist.comment);
    }
    // A credited name that is not the artist's own is what MusicBrainz keeps as an alias.
    if (credited !== artist.name && !this.aliases.has(`${id}\t${credited}`)) {
      this.aliases.add(`${id}\t${credited}`);
      this.alias.add(this.aliases.size, id, credited, credited, 1);
    }
    return id;
  }

  private growRecordingBase(id: number) {
    if (id < this.recordingBase.length) return;
    const next = new Int32Array(Math.max(id + 1, this.recordingBase.length * 2));
    next.set(this.recordingBase);
    this.recordingBase = next;
  }

  private growMeta(id: number) {
    if (id < this.meta.hasRow.length) return;
    const size = this.meta.hasRow.length * 2;
    const grow = <T extends Uint8Array | Int8Array | Int16Array | Int32Array>(array: T, make: (n: number) => T) => {
      const next = make(size);
      next.set(array);
      return next;
    };
    this.meta = {
      hasRow: grow(this.meta.hasRow, (n) => new Uint8Array(n)),
      year: grow(this.meta.year, (n) => new Int16Array(n)),
      month: grow(this.meta.month, (n) => new Int8Array(n)),
      day: grow(this.meta.day, (n) => new Int8Array(n)),
      releases: grow(this.meta.releases, (n) => new Int32Array(n)),
    };
  }
}
