import assert from "node:assert/strict";
import { test } from "node:test";
import { parseQuery, QuerySyntaxError, words } from "./lucene";

const term = (field: string, text: string, phrase = false, prefix = false) => ({
  kind: "term",
  field,
  text,
  phrase,
  prefix,
});
const bool = (must: unknown[], should: unknown[], mustNot: unknown[] = []) => ({ kind: "bool", must, should, mustNot });

test("field:(a OR b) applies the field to every term in the group", () => {
  assert.deepEqual(
    parseQuery('reid:(76df3287-6cda-33eb-8e9a-044b5e15ffdd OR "29a14c78-74ad-44d0-9d51-1613701248cb")', "releasegroup"),
    bool(
      [],
      [
        bool(
          [],
          [
            term("reid", "76df3287-6cda-33eb-8e9a-044b5e15ffdd"),
            term("reid", "29a14c78-74ad-44d0-9d51-1613701248cb", true),
          ],
        ),
      ],
    ),
  );
});

test("AND makes both sides required, NOT and - exclude, bare words use the default field", () => {
  assert.deepEqual(
    parseQuery('release:"Dark Side" AND artist:floyd NOT live -secondarytype:Compilation rum*', "releasegroup"),
    bool(
      [term("release", "Dark Side", true), term("artist", "floyd")],
      [term("releasegroup", "rum", false, true)],
      [term("releasegroup", "live"), term("secondarytype", "Compilation")],
    ),
  );
});

test("a lone dash, boosts and fuzziness change nothing about what matches", () => {
  assert.deepEqual(
    parseQuery("Rumours - Rework^2 tides~1", "release"),
    bool([], [term("release", "Rumours"), term("release", "Rework"), term("release", "tides")]),
  );
});

test("unbalanced parentheses and dangling operators are syntax errors", () => {
  for (const query of ["reid:(a OR b", "a)", "AND a", "release:", '"open']) {
    assert.throws(() => parseQuery(query, "release"), QuerySyntaxError, query);
  }
});

test("words are lower-cased and accent-folded", () => {
  assert.deepEqual(words("Jörgen Gustafsson, Café’s “Echo” 百花繚乱"), [
    "jorgen",
    "gustafsson",
    "cafe",
    "s",
    "echo",
    "百花繚乱",
  ]);
});
