// Real ws/2 responses (tests/fixtures/musicbrainz, see SOURCES.md) served byte for byte when
// a request asks for what they answer, so clients meet the real shapes: compact and pretty
// JSON, Unicode, a 126 KB release and a 496 KB search page.
import { readFileSync } from "node:fs";

const DIRECTORY = new URL("../../../tests/fixtures/musicbrainz/", import.meta.url);

export type FixtureRequest =
  | { kind: "lookup"; entity: string; mbid: string; incs: Set<string> }
  | { kind: "search"; entity: string; query: string; limit: number; offset: number };

type Fixture = { file: string; serves: (request: FixtureRequest) => boolean };

// The request's incs must include `required` and stay within `allowed`: a response holding
// more than was asked for is still a real shape, one holding less is not.
function lookup(entity: string, mbid: string, required: string[], allowed = required): Fixture["serves"] {
  return (request) =>
    request.kind === "lookup" &&
    request.entity === entity &&
    request.mbid === mbid &&
    required.every((inc) => request.incs.has(inc)) &&
    [...request.incs].every((inc) => allowed.includes(inc));
}

function search(entity: string, query: string, limit?: number): Fixture["serves"] {
  return (request) =>
    request.kind === "search" &&
    request.entity === entity &&
    request.query.trim() === query &&
    request.offset === 0 &&
    (limit === undefined || request.limit === limit);
}

const HOT_SUMMER_NIGHT_INCS = (
  "aliases annotation artist-credits genres tags collections labels media discids recordings release-groups " +
  "ratings isrcs artist-rels release-rels recording-rels recording-level-rels work-rels work-level-rels"
).split(" ");

export const FIXTURES: Fixture[] = [
  {
    file: "ws2_release_lookup_inc-release-groups+artist-credits_76df3287_dummy.json",
    serves: lookup("release", "76df3287-6cda-33eb-8e9a-044b5e15ffdd", ["release-groups", "artist-credits"]),
  },
  {
    file: "ws2_release_lookup_many-incs_b1dc9838_hot-summer-night-59_empty-rg-date.json",
    serves: lookup("release", "b1dc9838-adf3-43f2-93f9-802b46e5fe59", ["release-groups"], HOT_SUMMER_NIGHT_INCS),
  },
  {
    file: "ws2_release-group_lookup_inc-artist-credits+releases_c9fdb94c_the-lost-tape.json",
    serves: lookup("release-group", "c9fdb94c-4975-4ed6-a96f-ef6d80bb7738", ["artist-credits", "releases"]),
  },
  {
    file: "ws2_release-group_lookup_no-inc_10219fc7_elvis-at-sun-records.json",
    serves: lookup("release-group", "10219fc7-1810-4609-bcb7-b539f033ea40", []),
  },
  // The capture lists all 95 hits on one page, so it answers limit=100.
  { file: "ws2_release-group_search_release-Rumours.json", serves: search("release-group", "release:Rumours", 100) },
  {
    file: "ws2_release-group_search_release-Tenance_year-only-date.json",
    serves: search("release-group", "release:Tenance"),
  },
  {
    file: "ws2_release_search_release-Schneider-AND-Shake.json",
    serves: search("release", "release:Schneider AND Shake"),
  },
];

const cache = new Map<string, Buffer>();

export function fixtureFor(request: FixtureRequest): Buffer | undefined {
  const fixture = FIXTURES.find((candidate) => candidate.serves(request));
  if (!fixture) return undefined;
  let bytes = cache.get(fixture.file);
  if (!bytes) {
    bytes = readFileSync(new URL(fixture.file, DIRECTORY));
    cache.set(fixture.file, bytes);
  }
  return bytes;
}
