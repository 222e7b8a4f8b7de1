import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import pg from "pg";
import { buildCatalog, DEFAULT_SEED, resolveExpected } from "@/scripts/simulators/catalog";
import { seedMirror } from "./seed";
import { splitDate } from "./types";

const SCALE = 500;
const SERVER_URL = process.env.TEST_DATABASE_SERVER_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const database = `mbtest_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
const databaseUrl = Object.assign(new URL(SERVER_URL), { pathname: `/${database}` }).toString();
const catalog = buildCatalog(DEFAULT_SEED, SCALE);
let db: pg.Client;

// MUSICBRAINZ.md §3, verbatim: the query the product runs against a mirror.
const RESOLVE_SQL = `
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
best AS (SELECT DISTINCT ON (mbid) * FROM hits ORDER BY mbid, prio)
SELECT i.mbid, b.matched_as, g.gid AS release_group_mbid, g.name, ac.name AS artist_credit,
       m.first_release_date_year, m.first_release_date_month, m.first_release_date_day
  FROM input i LEFT JOIN best b USING (mbid)
  LEFT JOIN musicbrainz.release_group g ON g.id = b.rg_id
  LEFT JOIN musicbrainz.release_group_meta m ON m.id = g.id
  LEFT JOIN musicbrainz.artist_credit ac ON ac.id = g.artist_credit`;

type Resolved = {
  mbid: string;
  matched_as: string | null;
  release_group_mbid: string | null;
  name: string | null;
  artist_credit: string | null;
  first_release_date_year: number | null;
  first_release_date_month: number | null;
  first_release_date_day: number | null;
};

async function resolve(mbids: string[]): Promise<Map<string, Resolved>> {
  const { rows } = await db.query<Resolved>(RESOLVE_SQL, [mbids]);
  return new Map(rows.map((row) => [row.mbid, row]));
}

function readAlbumsCsv(): Record<string, string>[] {
  const text = readFileSync(new URL("../data/albums.csv", import.meta.url), "utf8");
  const rows = [...text.matchAll(/(?:"((?:[^"]|"")*)"|([^,\n]*))(,|\n|$)/g)]
    .reduce<string[][]>(
      (table, [, quoted, plain, end]) => {
        table.at(-1)?.push(quoted === undefined ? plain : quoted.replaceAll('""', '"'));
        if (end === "\n") table.push([]);
        return table;
      },
      [[]],
    )
    .filter((row) => row.length > 1);
  const [header, ...body] = rows;
  return body.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i]])));
}

async function tableCounts(): Promise<Record<string, number>> {
  const { rows } = await db.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'musicbrainz' ORDER BY table_name",
  );
  const counts: Record<string, number> = {};
  for (const { table_name } of rows) {
    counts[table_name] = Number((await db.query(`SELECT count(*) FROM musicbrainz.${table_name}`)).rows[0].count);
  }
  return counts;
}

before(async () => {
  await seedMirror({ databaseUrl, scale: SCALE });
  db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
});

after(async () => {
  await db?.end();
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
});

test("every albums.csv row resolves to its recorded first_release_year", async () => {
  const albums = readAlbumsCsv();
  assert.equal(albums.length, 62);
  const resolved = await resolve(albums.map((album) => album.release_mbid || album.release_group_mbid));

  const years = albums.map((album) => [
    album.release_title,
    resolved.get(album.release_mbid || album.release_group_mbid)?.first_release_date_year ?? null,
  ]);
  const expected = albums.map((album) => [
    album.release_title,
    album.first_release_year ? Number(album.first_release_year) : null,
  ]);
  assert.deepEqual(years, expected);
});

test("each lookup path says how the MBID matched and yields the group's date parts", async () => {
  const groups = [...catalog.releaseGroups.values()];
  const withoutMeta = groups.find((group) => !group.hasMetaRow && group.date !== null);
  const releaseOfWithoutMeta = [...catalog.releases.values()].find(
    (release) => release.releaseGroupGid === withoutMeta?.gid,
  );
  const groupRedirect = catalog.redirects.find((redirect) => redirect.entity === "release_group");
  const amama = catalog.redirects.find((redirect) => redirect.oldGid === "77a698a8-98da-401d-a59b-1ae4bc28df56");
  const unknown = catalog.albums.find(
    (album) => resolveExpected(catalog, album.mbid) === undefined && album.mbid !== amama?.oldGid,
  );
  assert.ok(releaseOfWithoutMeta && groupRedirect && amama && unknown);
  const amamaGroup = catalog.releases.get(amama.newGid)?.releaseGroupGid;
  const cases: [string, string, string | null, string | null, number | null, number | null, number | null][] = [
    [
      "original release",
      "76df3287-6cda-33eb-8e9a-044b5e15ffdd",
      "release",
      "48140466-cff6-3222-bd55-63c27e43190d",
      1994,
      8,
      22,
    ],
    [
      "2014 reissue",
      "f5804905-6e8d-45dc-bae9-b36c64ccc99b",
      "release",
      "48140466-cff6-3222-bd55-63c27e43190d",
      1994,
      8,
      22,
    ],
    [
      "pseudo-release",
      "b3484b6e-3daf-400c-be4a-f72a10cd66cd",
      "release",
      "aa997ea0-2936-40bd-884d-3af8a0e064dc",
      2013,
      5,
      17,
    ],
    [
      "release group id used directly",
      "1a272023-10d3-38ee-bab3-317b55fcc21d",
      "release_group",
      "1a272023-10d3-38ee-bab3-317b55fcc21d",
      1975,
      9,
      12,
    ],
    ["merged release (redirect)", amama.oldGid, "release_redirect", amamaGroup ?? null, null, null, null],
    [
      "merged release group (redirect)",
      groupRedirect.oldGid,
      "release_group_redirect",
      groupRedirect.newGid,
      ...metaDate(groupRedirect.newGid),
    ],
    [
      "YYYY-MM date",
      "98450893-3df5-4694-b514-b1def5067728",
      "release",
      "a48ffc41-a397-39bd-96a8-9f10e34bdc86",
      2000,
      9,
      null,
    ],
    [
      "YYYY date",
      "9c4d3553-e129-4934-864e-9cf3b2be77ed",
      "release",
      "5c8214f6-6ad5-4ce8-9358-d1867a26e435",
      1973,
      null,
      null,
    ],
    [
      "null date",
      "b1dc9838-adf3-43f2-93f9-802b46e5fe59",
      "release",
      "2a395c68-7b2c-41de-b315-64d2c326a695",
      null,
      null,
      null,
    ],
    [
      "group without a meta row",
      releaseOfWithoutMeta.gid,
      "release",
      releaseOfWithoutMeta.releaseGroupGid,
      null,
      null,
      null,
    ],
    ["unknown id", unknown.mbid, null, null, null, null, null],
  ];
  const resolved = await resolve(cases.map(([, mbid]) => mbid));

  const actual = cases.map(([label, mbid]) => {
    const row = resolved.get(mbid);
    return [
      label,
      mbid,
      row?.matched_as ?? null,
      row?.release_group_mbid ?? null,
      row?.first_release_date_year ?? null,
      row?.first_release_date_month ?? null,
      row?.first_release_date_day ?? null,
    ];
  });
  assert.deepEqual(actual, cases);
  const { rows } = await db.query(
    "SELECT count(*)::int AS meta_rows FROM musicbrainz.release_group_meta m JOIN musicbrainz.release_group g ON g.id = m.id WHERE g.gid = $1",
    [releaseOfWithoutMeta.releaseGroupGid],
  );
  assert.deepEqual(rows, [{ meta_rows: 0 }]);
});

function metaDate(groupGid: string) {
  const group = catalog.releaseGroups.get(groupGid);
  return splitDate(group?.hasMetaRow ? group.date : null);
}

test("every scrobbled album, real or generated, resolves as resolveExpected says", async () => {
  const mbids = [...new Set(catalog.albums.map((album) => album.mbid))];
  const resolved = await resolve(mbids);

  const actual = mbids.map((mbid) => {
    const row = resolved.get(mbid);
    return [
      mbid,
      row?.matched_as ? { year: row.first_release_date_year, releaseGroupGid: row.release_group_mbid } : undefined,
    ];
  });
  assert.deepEqual(
    actual,
    mbids.map((mbid) => [mbid, resolveExpected(catalog, mbid)]),
  );
});

test("artist credits name their artists, with aliases for credited names that differ", async () => {
  const { rows } = await db.query(`
    SELECT ac.name AS credit, ac.artist_count, acn.position, acn.name AS credited, a.name AS artist, acn.join_phrase,
           (SELECT array_agg(al.name) FROM musicbrainz.artist_alias al WHERE al.artist = a.id) AS aliases
      FROM musicbrainz.artist_credit ac
      JOIN musicbrainz.artist_credit_name acn ON acn.artist_credit = ac.id
      JOIN musicbrainz.artist a ON a.id = acn.artist
     WHERE ac.name IN ('Isobel Campbell & Mark Lanegan', 'Godspeed You Black Emperor!', 'Lilas Ikuta')
     ORDER BY ac.name, acn.position`);

  assert.deepEqual(rows, [
    {
      credit: "Godspeed You Black Emperor!",
      artist_count: 1,
      position: 0,
      credited: "Godspeed You Black Emperor!",
      artist: "Godspeed You! Black Emperor",
      join_phrase: "",
      aliases: ["Godspeed You Black Emperor!"],
    },
    {
      credit: "Isobel Campbell & Mark Lanegan",
      artist_count: 2,
      position: 0,
      credited: "Isobel Campbell",
      artist: "Isobel Campbell",
      join_phrase: " & ",
      aliases: null,
    },
    {
      credit: "Isobel Campbell & Mark Lanegan",
      artist_count: 2,
      position: 1,
      credited: "Mark Lanegan",
      artist: "Mark Lanegan",
      join_phrase: "",
      aliases: null,
    },
    {
      credit: "Lilas Ikuta",
      artist_count: 1,
      position: 0,
      credited: "Lilas Ikuta",
      artist: "幾田りら",
      join_phrase: "",
      aliases: ["Lilas Ikuta"],
    },
  ]);
});

test("releases and groups carry status and type ids from the official lookup tables", async () => {
  const { rows } = await db.query(
    `
    SELECT r.gid, s.name AS status, pt.name AS primary_type,
           array(SELECT st.name FROM musicbrainz.release_group_secondary_type_join j
                   JOIN musicbrainz.release_group_secondary_type st ON st.id = j.secondary_type
                  WHERE j.release_group = g.id ORDER BY st.id) AS secondary_types
      FROM musicbrainz.release r
      JOIN musicbrainz.release_group g ON g.id = r.release_group
      LEFT JOIN musicbrainz.release_status s ON s.id = r.status
      LEFT JOIN musicbrainz.release_group_primary_type pt ON pt.id = g.type
     WHERE r.gid = ANY($1) ORDER BY r.gid`,
    [
      [
        "2ec84eb6-ab92-4ac3-9720-32ad84c34f11",
        "b3484b6e-3daf-400c-be4a-f72a10cd66cd",
        "d71fddd1-4420-4bb5-9dc0-673325c10128",
        "d8e6153a-2c47-4804-9d73-0aac1081c3b1",
      ],
    ],
  );
  const types = await db.query("SELECT id, name FROM musicbrainz.release_status WHERE id <= 4 ORDER BY id");

  assert.deepEqual(rows, [
    {
      gid: "2ec84eb6-ab92-4ac3-9720-32ad84c34f11",
      status: "Promotion",
      primary_type: "Album",
      secondary_types: ["DJ-mix", "Mixtape/Street"],
    },
    {
      gid: "b3484b6e-3daf-400c-be4a-f72a10cd66cd",
      status: "Pseudo-Release",
      primary_type: "Album",
      secondary_types: [],
    },
    {
      gid: "d71fddd1-4420-4bb5-9dc0-673325c10128",
      status: "Bootleg",
      primary_type: "Album",
      secondary_types: ["Live"],
    },
    { gid: "d8e6153a-2c47-4804-9d73-0aac1081c3b1", status: "Official", primary_type: null, secondary_types: [] },
  ]);
  assert.deepEqual(types.rows, [
    { id: 1, name: "Official" },
    { id: 2, name: "Promotion" },
    { id: 3, name: "Bootleg" },
    { id: 4, name: "Pseudo-Release" },
  ]);
});

test("the schema has the official names and types the product reads, and no foreign keys", async () => {
  const wanted: Record<string, Record<string, string>> = {
    release: {
      id: "integer",
      gid: "uuid",
      name: "character varying",
      artist_credit: "integer",
      release_group: "integer",
      status: "integer",
      comment: "character varying",
    },
    release_group: {
      id: "integer",
      gid: "uuid",
      name: "character varying",
      artist_credit: "integer",
      type: "integer",
      comment: "character varying",
    },
    release_group_meta: {
      id: "integer",
      release_count: "integer",
      first_release_date_year: "smallint",
      first_release_date_month: "smallint",
      first_release_date_day: "smallint",
      rating: "smallint",
      rating_count: "integer",
    },
    release_gid_redirect: { gid: "uuid", new_id: "integer", created: "timestamp with time zone" },
    release_group_gid_redirect: { gid: "uuid", new_id: "integer", created: "timestamp with time zone" },
    artist_credit: { id: "integer", name: "character varying", artist_count: "smallint", gid: "uuid" },
    artist_credit_name: {
      artist_credit: "integer",
      position: "smallint",
      artist: "integer",
      name: "character varying",
      join_phrase: "text",
    },
    artist: {
      id: "integer",
      gid: "uuid",
      name: "character varying",
      sort_name: "character varying",
      comment: "character varying",
    },
    artist_alias: {
      id: "integer",
      artist: "integer",
      name: "character varying",
      sort_name: "character varying",
      locale: "text",
      type: "integer",
      primary_for_locale: "boolean",
    },
    release_group_primary_type: { id: "integer", name: "character varying", gid: "uuid" },
    release_group_secondary_type: { id: "integer", name: "text", gid: "uuid" },
    release_group_secondary_type_join: {
      release_group: "integer",
      secondary_type: "integer",
      created: "timestamp with time zone",
    },
    release_status: { id: "integer", name: "character varying", gid: "uuid" },
  };
  const { rows } = await db.query<{ table_name: string; column_name: string; data_type: string }>(
    "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'musicbrainz'",
  );
  const actual = Object.fromEntries(
    Object.entries(wanted).map(([table, columns]) => [
      table,
      Object.fromEntries(
        Object.keys(columns).map((column) => [
          column,
          rows.find((row) => row.table_name === table && row.column_name === column)?.data_type,
        ]),
      ),
    ]),
  );
  assert.deepEqual(actual, wanted);

  const indexes = await db.query<{ indexname: string; unique: boolean }>(
    "SELECT indexname, indexdef LIKE 'CREATE UNIQUE%' AS unique FROM pg_indexes WHERE schemaname = 'musicbrainz'",
  );
  const uniqueness = Object.fromEntries(indexes.rows.map((row) => [row.indexname, row.unique]));
  for (const name of [
    "release_idx_gid",
    "release_group_idx_gid",
    "artist_idx_gid",
    "release_pkey",
    "release_group_pkey",
    "release_group_meta_pkey",
    "release_gid_redirect_pkey",
    "release_group_gid_redirect_pkey",
    "artist_credit_name_pkey",
  ]) {
    assert.equal(uniqueness[name], true, name);
  }
  for (const name of [
    "release_idx_release_group",
    "release_group_idx_artist_credit",
    "release_gid_redirect_idx_new_id",
    "artist_credit_name_idx_artist",
  ]) {
    assert.equal(uniqueness[name], false, name);
  }
  const foreignKeys = await db.query(
    "SELECT 1 FROM information_schema.table_constraints WHERE table_schema = 'musicbrainz' AND constraint_type = 'FOREIGN KEY'",
  );
  assert.equal(foreignKeys.rowCount, 0);

  const fresh = new pg.Client({ connectionString: databaseUrl });
  await fresh.connect();
  const searchPath = await fresh.query("SHOW search_path");
  const unaccented = await fresh.query("SELECT musicbrainz_unaccent('Café Österberg') AS name");
  await fresh.end();
  assert.deepEqual(
    [searchPath.rows[0].search_path, unaccented.rows[0].name],
    ["musicbrainz, public", "Cafe Osterberg"],
  );
});

test("seeding again replaces the mirror with the same rows; ifEmpty leaves it alone", async () => {
  const before = await tableCounts();

  const again = await seedMirror({ databaseUrl, scale: SCALE });
  const afterAgain = await tableCounts();
  const skipped = await seedMirror({ databaseUrl, scale: SCALE, ifEmpty: true });

  assert.deepEqual(afterAgain, before);
  assert.equal(again.rows.release, before.release);
  assert.equal(again.rows.release_group_meta, before.release_group_meta);
  assert.equal(skipped.skipped, true);
  assert.deepEqual(await tableCounts(), before);
});

test("ifCurrent leaves a mirror of this catalog version alone and seeds an older one again", async () => {
  const current = await seedMirror({ databaseUrl, scale: SCALE, ifCurrent: true });
  assert.equal(current.skipped, true);
  await db.query("COMMENT ON TABLE musicbrainz.release_group IS 'an older seed'");
  const reseeded = await seedMirror({ databaseUrl, scale: SCALE, ifCurrent: true });
  assert.equal(reseeded.skipped, false);
  assert.ok((reseeded.rows.recording ?? 0) > 0, "the new seed has recordings");
});
