// What a visitor is told about an import that stopped: our code and our sentence. The stored `error` text
// can be any exception's message (database text, host names): it goes to the log, never to a response.

const MESSAGES: Record<string, string> = {
  upstream_unavailable: "Last.fm kept failing for part of this year; the missing pages are fetched again shortly",
  musicbrainz_unavailable: "MusicBrainz is not answering right now; the albums not dated yet will be",
  user_not_found: "No Last.fm user has that name",
  private_profile: "This user keeps their listening private",
  lastfm_key_invalid: "Our Last.fm access is misconfigured; we have been alerted",
};

const FALLBACK = "The import stopped on our side; please try again later";

export type PublicError = { code: string; message: string };

/** The public form of a stored error code; an unknown code keeps its name but gets the generic sentence. */
export function publicError(code: string): PublicError {
  return { code, message: MESSAGES[code] ?? FALLBACK };
}
