import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { artistKeys, foldName, numbersOf, pairKey, similarity, titleKeys } from "./normalize";

describe("foldName", () => {
  it("folds case, accents, quotes and punctuation", () => {
    assert.equal(foldName("Café’s “Velvet”!"), "cafes velvet");
    assert.equal(foldName("Jörgen Gustafsson"), "jorgen gustafsson");
    assert.equal(foldName("Sigur Rós"), foldName("Sigur Ros"));
    assert.equal(foldName("Motörhead"), "motorhead");
    assert.equal(foldName("Ærø Straße Øresund"), "aero strasse oresund", "letters NFKD keeps whole are transliterated");
    assert.equal(
      foldName("Lift Yr. Skinny Fists Like Antennas to Heaven!"),
      "lift yr skinny fists like antennas to heaven",
    );
    assert.equal(foldName("Godspeed You! Black Emperor"), foldName("Godspeed You Black Emperor"));
    assert.equal(foldName("What’s Up? 8"), foldName("Whats Up 8"));
  });

  it("reads & as and and drops a leading The", () => {
    assert.equal(foldName("The KLF"), "klf");
    assert.equal(foldName("Space & Chill Out"), foldName("Space and Chill Out"));
    assert.equal(foldName("The"), "the", "a name that is only 'The' keeps it");
  });

  it("keeps letters of every script", () => {
    assert.equal(foldName("百花繚乱"), "百花繚乱");
    assert.equal(foldName("ランダム・アクセス・メモリーズ"), "ランダム アクセス メモリーズ");
  });
});

describe("titleKeys", () => {
  it("keeps edition suffixes apart from the title", () => {
    for (const title of [
      "Abbey Road (Remastered 2011)",
      "Abbey Road - 2009 Remaster",
      "Abbey Road [Deluxe Edition]",
      "Abbey Road (Expanded)",
      "Abbey Road (Super Deluxe) [2019 Mix]",
      "Abbey Road (2019)",
      "Abbey Road (Remasterd 2009)",
      "Abbey Road (2019 Mix)",
    ]) {
      const keys = titleKeys(title);
      assert.equal(keys.base, "abbey road", title);
      assert.ok(keys.editions.length > 0, title);
      assert.equal(keys.live, false, title);
    }
    assert.deepEqual(titleKeys("Rumours (Live)"), {
      full: "rumours live",
      base: "rumours",
      baseTitle: "Rumours",
      editions: ["Live"],
      live: true,
      typeHint: null,
    });
  });

  it("reads store suffixes as editions that name the release group's type", () => {
    for (const [title, base, typeHint] of [
      ["Let It Be [Single ]", "let it be", "Single"],
      ["Yellow Submarine/Eleanor Rigby [Double A-Side Single]", "yellow submarine eleanor rigby", "Single"],
      ["Eight Days a Week [US Single]", "eight days a week", "Single"],
      ["Bad Guy - Single", "bad guy", "Single"],
      ["Rival Dealer - EP", "rival dealer", "EP"],
      ["Armageddon - The 1st Album", "armageddon", null],
      ["McCartney (Archive Collection)", "mccartney", null],
    ] as const) {
      const keys = titleKeys(title);
      assert.equal(keys.base, base, title);
      assert.equal(keys.typeHint, typeHint, title);
    }
    assert.equal(titleKeys("Single").base, "single", "a title that is only a store word stays a title");
    assert.equal(titleKeys("Help!").typeHint, null);
  });

  it("leaves titles whose brackets are part of the name", () => {
    assert.equal(titleKeys("Dummy").editions.length, 0);
    assert.equal(
      titleKeys("(What's the Story) Morning Glory?").base,
      "what s the story morning glory".replace("what s", "whats"),
    );
    assert.equal(titleKeys("Lift Yr. Skinny Fists (Antennas)").base, "lift yr skinny fists antennas");
    assert.equal(titleKeys("(Live)").base, "live", "a title that is only an edition word stays a title");
    assert.equal(titleKeys("Rumours Live").base, "rumours live", "no brackets: a different album");
  });
});

describe("artistKeys", () => {
  it("tries the whole name, then each collaborator", () => {
    assert.deepEqual(artistKeys("Portishead"), ["portishead"]);
    assert.deepEqual(artistKeys("Isobel Campbell & Mark Lanegan"), [
      "isobel campbell and mark lanegan",
      "isobel campbell",
      "mark lanegan",
    ]);
    assert.deepEqual(artistKeys("Daft Punk feat. Pharrell Williams"), [
      "daft punk feat pharrell williams",
      "daft punk",
      "pharrell williams",
    ]);
    assert.deepEqual(artistKeys("Echo & the Harbors 9 feat. Guest"), [
      "echo and the harbors 9 feat guest",
      "echo and the harbors 9",
      "echo",
      "harbors 9",
      "guest",
    ]);
    assert.deepEqual(artistKeys("Velvet x Echo 12"), ["velvet x echo 12", "velvet", "echo 12"]);
    assert.deepEqual(artistKeys("Jörgen Gustafsson, Eva Österberg & Andy Cowle").slice(1), [
      "jorgen gustafsson",
      "eva osterberg",
      "andy cowle",
    ]);
  });
});

describe("numbers and similarity", () => {
  it("compares the numbers in a name", () => {
    assert.equal(numbersOf("sloppy seconds volume 01"), "1");
    assert.notEqual(numbersOf("neon glass 12"), numbersOf("neon glass 13"));
    assert.notEqual(numbersOf(foldName("Led Zeppelin IV")), numbersOf(foldName("Led Zeppelin III")));
    assert.notEqual(numbersOf(foldName("Use Your Illusion II")), numbersOf(foldName("Use Your Illusion I")));
  });

  it("computes pg_trgm's similarity", () => {
    assert.equal(similarity("abc", "abc"), 1);
    assert.equal(similarity("", ""), 0);
    // pg_trgm: SELECT similarity('word', 'two words') = 0.36363637
    assert.equal(Math.round(similarity("word", "two words") * 1e6) / 1e6, 0.363636);
    assert.ok(similarity("neon glass", "neon glas") > 0.7);
  });

  it("keys variant spellings of a pair alike", () => {
    assert.deepEqual(pairKey("The Chemical Brothers", "Surrender"), pairKey("chemical brothers", "SURRENDER"));
  });
});
