// Matching by name without a mirror: one ws/2 release-group search per pair, inside the deployment's
// 1 request/s MusicBrainz budget (WebServiceSource.get). A hit counts only when the search's own score
// passes a floor AND chooseMatch agrees on the folded names: a high score alone is not a match.
import { z } from "zod";
import { type WebServiceSource, yearFromDate } from "@/lib/musicbrainz/sources";
import { type Candidate, chooseMatch, type NameMatch, type NamePair } from "./choose";
import type { NameMatcher } from "./matcher";
import { titleKeys } from "./normalize";

/** ws/2 scores are relative (best hit 100); weaker hits are not considered. */
export const SEARCH_SCORE_FLOOR = 80;

const SearchSchema = z.object({
  "release-groups": z.array(
    z.object({
      id: z.string(),
      score: z.number().default(0),
      title: z.string(),
      "first-release-date": z.string().optional(),
      "primary-type": z.string().optional(),
      "secondary-types": z.array(z.string()).default([]),
      "artist-credit": z
        .array(
          z.object({ name: z.string(), joinphrase: z.string().optional(), artist: z.object({ name: z.string() }) }),
        )
        .default([]),
      releases: z.array(z.object({ title: z.string() })).default([]),
    }),
  ),
});

/** Lucene's special characters would change the query: keep words only. */
function luceneWords(text: string): string {
  return text.replace(/[+\-&|!(){}[\]^"~*?:\\/]+/g, " ").trim();
}

export class WebServiceNameMatcher implements NameMatcher {
  readonly kind = "webservice";

  constructor(private readonly source: WebServiceSource) {}

  async matchPairs(pairs: NamePair[], signal?: AbortSignal): Promise<(NameMatch | null)[]> {
    const results: (NameMatch | null)[] = [];
    for (const pair of pairs) results.push(await this.matchOne(pair, signal));
    return results;
  }

  private async matchOne(pair: NamePair, signal?: AbortSignal): Promise<NameMatch | null> {
    const artist = luceneWords(pair.artist);
    const { base } = titleKeys(pair.album);
    const title = luceneWords(pair.album);
    if (!artist || !title) return null;
    const query = `artist:(${artist}) AND (releasegroup:(${base || title}) OR release:(${title}))`;
    const result = await this.source.get(`release-group?query=${encodeURIComponent(query)}&limit=25&fmt=json`, signal);
    if (!result) return null;
    const candidates: Candidate[] = [];
    for (const group of SearchSchema.parse(result.body)["release-groups"]) {
      if (group.score < SEARCH_SCORE_FLOOR) continue;
      const credit = group["artist-credit"].map((c) => `${c.name}${c.joinphrase ?? ""}`).join("");
      const artistNames = new Set([credit, ...group["artist-credit"].flatMap((c) => [c.name, c.artist.name])]);
      const titles = new Set([group.title, ...group.releases.map((release) => release.title)]);
      for (const artistName of artistNames)
        for (const candidateTitle of titles)
          candidates.push({
            releaseGroupMbid: group.id,
            releaseGroupName: group.title,
            title: candidateTitle,
            artistName,
            year: yearFromDate(group["first-release-date"]),
            primaryType: group["primary-type"] ?? null,
            secondaryTypes: group["secondary-types"],
          });
    }
    return chooseMatch(pair, candidates);
  }

  async close(): Promise<void> {}
}
