import assert from "node:assert/strict";
import { test } from "node:test";
import { publicError } from "./public-errors";

test("a stored error code becomes our sentence; an unknown one the generic sentence, never stored text", () => {
  assert.deepEqual(publicError("musicbrainz_unavailable"), {
    code: "musicbrainz_unavailable",
    message: "MusicBrainz is not answering right now; the albums not dated yet will be",
  });
  assert.deepEqual(publicError("something_new"), {
    code: "something_new",
    message: "The import stopped on our side; please try again later",
  });
});
