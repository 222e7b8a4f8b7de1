// Picks the recording a play names from a source's candidates. Pure, like matching/choose.ts: the same
// folded names decide on every source.
import { artistKeys, titleKeys } from "@/lib/musicbrainz/matching/normalize";
import { artistScore } from "@/lib/musicbrainz/matching/choose";

/** A play's song: its artist and track as Last.fm sent them, and the album's release group when known. */
export type SongPair = { artist: string; track: string; releaseGroupMbid: string | null };
export type RecordingCandidate = { recordingMbid: string; name: string; artistName: string };
export type RecordingLookup = {
  recordingMbid: string;
  /** false: MusicBrainz has no recording with this MBID. */
  isKnown: boolean;
  /** The year it first came out; null also when MusicBrainz has no date. */
  year: number | null;
};

/**
 * Within the album's release group a track's name decides (a compilation's songs may be credited to
 * others than the album); elsewhere the artist must match as well. Two different recordings alike → none.
 */
export function chooseRecording(pair: SongPair, candidates: RecordingCandidate[], inGroup: boolean): string | null {
  const track = titleKeys(pair.track);
  const artists = artistKeys(pair.artist);
  if (!track.full || artists.length === 0) return null;
  const scored = candidates
    .map((candidate) => {
      const keys = titleKeys(candidate.name);
      const title =
        keys.full === track.full
          ? 1
          : keys.base === track.base || keys.full === track.base || keys.base === track.full
            ? 0.95
            : 0;
      return { candidate, title, artist: artistScore(artists, candidate.artistName) };
    })
    .filter((s) => s.title > 0 && (inGroup || s.artist > 0))
    .sort((a, b) => b.title - a.title || b.artist - a.artist);
  const [top] = scored;
  if (!top) return null;
  const rivals = scored.filter(
    (s) =>
      s.title === top.title && s.artist === top.artist && s.candidate.recordingMbid !== top.candidate.recordingMbid,
  );
  return rivals.length ? null : top.candidate.recordingMbid;
}
