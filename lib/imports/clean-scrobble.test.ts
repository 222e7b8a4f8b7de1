import assert from "node:assert/strict";
import { test } from "node:test";
import { cleanName, MAX_NAME_LENGTH } from "./clean-scrobble";

test("NUL and other control characters are removed; tabs and line breaks become spaces", () => {
  assert.equal(cleanName("Blue\u0000 Monday\u0007\u009b"), "Blue Monday");
  assert.equal(cleanName("Side A\tSide B\r\nEnd"), "Side A Side B  End");
  assert.equal(cleanName("  Björk – Jóga ✓  "), "Björk – Jóga ✓");
});

test("a lone surrogate becomes U+FFFD; an oversized name is cut at whole code points", () => {
  assert.equal(cleanName("a\uD800b\uDC00"), "a\uFFFDb\uFFFD");
  const long = "🎵".repeat(MAX_NAME_LENGTH + 50);
  const cut = cleanName(long);
  assert.equal(Array.from(cut).length, MAX_NAME_LENGTH);
  assert.doesNotThrow(() => encodeURIComponent(cut)); // throws on a lone surrogate
});
