// Where a charted album lives on MusicBrainz and Last.fm. Pure, so client components can build the links
// from the base URLs the server passes them (outside addresses are configuration).

export type AlbumLinkBases = { musicbrainz: string; lastfm: string };

/** Last.fm's path segments: percent-encoded, with "+" for a space (a literal "+" stays encoded). */
function lastfmSegment(text: string): string {
  return encodeURIComponent(text).replaceAll("%20", "+");
}

export function musicbrainzReleaseGroupUrl(base: string, mbid: string): string {
  return `${base.replace(/\/$/, "")}/release-group/${mbid}`;
}

export function lastfmAlbumUrl(base: string, artist: string, album: string): string {
  return `${base.replace(/\/$/, "")}/music/${lastfmSegment(artist)}/${lastfmSegment(album)}`;
}
