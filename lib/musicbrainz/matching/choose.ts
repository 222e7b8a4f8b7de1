// Picks the release group an (artist, album) pair names from the candidates a source found, or none.
// Pure: the mirror and the web service hand their candidates here, so both decide alike.
import { isCollection } from "@/lib/musicbrainz/sources";
import { artistKeys, foldName, numbersOf, similarity, type TitleKeys, titleKeys } from "./normalize";

export type NamePair = { artist: string; album: string };

export type Candidate = {
  releaseGroupMbid: string;
  releaseGroupName: string;
  /** The name that was matched: the release group's or one of its releases'. */
  title: string;
  /** The artist, alias or credit name the source matched the pair's artist to. */
  artistName: string;
  year: number | null;
  primaryType: string | null;
  secondaryTypes: string[];
};

export type NameMatch = {
  releaseGroupMbid: string;
  releaseGroupName: string;
  year: number | null;
  /** 0..1; exact folded names score 1, an edition apart 0.95, a fuzzy title its trigram similarity. */
  confidence: number;
  /** A compilation, soundtrack or DJ-mix: its plays count by song. */
  isCompilation?: boolean;
};

/** Below this a pair stays unmatched. Chosen on the labelled corpus (tests/integration/name-matching.test.ts). */
export const MATCH_THRESHOLD = 0.7;
/** Two different fuzzy answers closer than this are a coin toss: no match rather than a wrong one. */
const AMBIGUITY_MARGIN = 0.05;
/** An artist spelled differently must still be this close, with the same numbers. */
const ARTIST_SIMILARITY = 0.75;

export function artistScore(pairKeys: string[], candidateArtist: string): number {
  const key = foldName(candidateArtist);
  if (key === pairKeys[0]) return 1;
  // One collaborator of "A feat. B" matched: right artist, slightly less sure.
  if (pairKeys.includes(key)) return 0.95;
  let best = 0;
  for (const pairKey of pairKeys) {
    if (numbersOf(pairKey) !== numbersOf(key)) continue;
    const score = similarity(pairKey, key);
    if (score >= ARTIST_SIMILARITY) best = Math.max(best, score);
  }
  return best;
}

function titleScore(pair: ReturnType<typeof titleKeys>, candidate: ReturnType<typeof titleKeys>): number {
  if (!pair.full || !candidate.full) return 0;
  if (candidate.full === pair.full) return 1;
  if (candidate.base === pair.base || candidate.full === pair.base || candidate.base === pair.full) return 0.95;
  if (numbersOf(candidate.base) !== numbersOf(pair.base)) return 0;
  return similarity(candidate.base, pair.base);
}

type Scored = { candidate: Candidate; score: number };

// Among equally good answers: the edition the title asks for (live or not), the type a store suffix names
// ("[Single]", "- EP"), then a plain album over compilations and other secondary types, then the earliest
// year (the original).
function preference(pair: TitleKeys, { candidate }: Scored): number[] {
  const live = candidate.secondaryTypes.some((type) => type.toLowerCase() === "live");
  return [
    live === pair.live ? 0 : 1,
    pair.typeHint && candidate.primaryType === pair.typeHint ? 0 : 1,
    candidate.secondaryTypes.length === 0 ? 0 : 1,
    candidate.primaryType === "Album" ? 0 : 1,
    candidate.year ?? 9999,
  ];
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

export function chooseMatch(pair: NamePair, candidates: Candidate[]): NameMatch | null {
  const pairArtist = artistKeys(pair.artist);
  const pairTitle = titleKeys(pair.album);
  if (!pairArtist.length || !pairTitle.full) return null;
  const titleCache = new Map<string, ReturnType<typeof titleKeys>>();
  // Best score per release group.
  const best = new Map<string, Scored>();
  for (const candidate of candidates) {
    const artist = artistScore(pairArtist, candidate.artistName);
    if (!artist) continue;
    let keys = titleCache.get(candidate.title);
    if (!keys) titleCache.set(candidate.title, (keys = titleKeys(candidate.title)));
    const score = artist * titleScore(pairTitle, keys);
    if (score < MATCH_THRESHOLD) continue;
    const previous = best.get(candidate.releaseGroupMbid);
    if (!previous || score > previous.score) best.set(candidate.releaseGroupMbid, { candidate, score });
  }
  const ranked = [...best.values()].sort(
    (a, b) =>
      // Scores within a rounding step tie; then the preference decides.
      Math.round((b.score - a.score) * 100) || compare(preference(pairTitle, a), preference(pairTitle, b)),
  );
  const [top, runnerUp] = ranked;
  if (!top) return null;
  const exact = top.score >= 0.95;
  if (
    !exact &&
    runnerUp &&
    top.score - runnerUp.score < AMBIGUITY_MARGIN &&
    runnerUp.candidate.year !== top.candidate.year
  )
    return null;
  return {
    releaseGroupMbid: top.candidate.releaseGroupMbid,
    releaseGroupName: top.candidate.releaseGroupName,
    year: top.candidate.year,
    confidence: Math.round(top.score * 1000) / 1000,
    isCompilation: isCollection(top.candidate.secondaryTypes),
  };
}
