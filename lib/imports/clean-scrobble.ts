// What Last.fm sends is stored only once it is text a database and its indexes accept: a NUL byte, a lone
// UTF-16 surrogate or a name longer than a btree entry allows fails the whole page's statement, on every
// retry, and the year would stay partial forever.
import type { LastfmScrobble } from "@/lib/lastfm/client";

/**
 * Code points kept per name. The natural key (user, time, track, artist) is one btree entry, limited to
 * about 2,700 bytes: two names of 300 code points (at most 4 bytes each) stay under it.
 */
export const MAX_NAME_LENGTH = 300;

// C0 and C1 control characters and DEL; tabs and line breaks become spaces, the rest disappear.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const BREAKS = /[\t\n\r]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function cleanName(value: string): string {
  let text = value.replace(LONE_SURROGATE, "\uFFFD").replace(CONTROL, "").replace(BREAKS, " ").trim();
  if (text.length > MAX_NAME_LENGTH) text = Array.from(text).slice(0, MAX_NAME_LENGTH).join("").trim();
  return text;
}

export function cleanScrobble(scrobble: LastfmScrobble): LastfmScrobble {
  return {
    ...scrobble,
    track: cleanName(scrobble.track),
    artist: cleanName(scrobble.artist),
    album: cleanName(scrobble.album),
  };
}
