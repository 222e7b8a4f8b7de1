// Songs through the ws/2 web service, inside the deployment's 1 request/s MusicBrainz budget
// (WebServiceSource.get): recording MBIDs are dated 100 per search (rid:(… OR …)); a song named only by
// (artist, track) costs one search, within the album's release group when it is known.
import { z } from "zod";
import { chunk } from "@/lib/server/concurrency";
import { type WebServiceSource, yearFromDate } from "@/lib/musicbrainz/sources";
import { chooseRecording, type RecordingCandidate, type RecordingLookup, type SongPair } from "./choose";
import { baseTrackName } from "./mirror";

const BATCH = 100;

const CreditSchema = z
  .array(z.object({ name: z.string(), joinphrase: z.string().optional(), artist: z.object({ name: z.string() }) }))
  .default([]);
const SearchSchema = z.object({
  recordings: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      "first-release-date": z.string().optional(),
      "artist-credit": CreditSchema,
    }),
  ),
});
const LookupSchema = z.object({ id: z.string(), "first-release-date": z.string().default("") });

/** Lucene's special characters would change the query: keep words only. */
function luceneWords(text: string): string {
  return text.replace(/[+\-&|!(){}[\]^"~*?:\\/]+/g, " ").trim();
}

export class WebServiceRecordingSource {
  readonly matchesEverySong = false;

  constructor(private readonly source: WebServiceSource) {}

  async lookupRecordings(mbids: string[], signal?: AbortSignal): Promise<RecordingLookup[]> {
    const results: RecordingLookup[] = [];
    for (const batch of chunk([...new Set(mbids.map((id) => id.toLowerCase()))], BATCH)) {
      const query = encodeURIComponent(`rid:(${batch.map((id) => `"${id}"`).join(" OR ")})`);
      const found = new Map<string, RecordingLookup>();
      const result = await this.source.get(`recording?query=${query}&limit=${BATCH}&fmt=json`, signal);
      for (const hit of result ? SearchSchema.parse(result.body).recordings : [])
        found.set(hit.id, { recordingMbid: hit.id, isKnown: true, year: yearFromDate(hit["first-release-date"]) });
      // What the search did not return (index lag, or no such recording) is looked up one by one.
      for (const mbid of batch) results.push(found.get(mbid) ?? (await this.lookupOne(mbid, signal)));
    }
    return results;
  }

  private async lookupOne(mbid: string, signal?: AbortSignal): Promise<RecordingLookup> {
    const result = await this.source.get(`recording/${mbid}?fmt=json`, signal);
    if (!result) return { recordingMbid: mbid, isKnown: false, year: null };
    const parsed = LookupSchema.parse(result.body);
    return { recordingMbid: mbid, isKnown: true, year: yearFromDate(parsed["first-release-date"]) };
  }

  async matchRecordings(pairs: SongPair[], signal?: AbortSignal): Promise<(string | null)[]> {
    const answers: (string | null)[] = [];
    for (const pair of pairs) {
      let answer = pair.releaseGroupMbid ? await this.search(pair, pair.releaseGroupMbid, signal) : null;
      answer ??= await this.search(pair, null, signal);
      answers.push(answer);
    }
    return answers;
  }

  private async search(pair: SongPair, releaseGroupMbid: string | null, signal?: AbortSignal): Promise<string | null> {
    const track = luceneWords(baseTrackName(pair.track));
    const artist = luceneWords(pair.artist);
    if (!track || !artist) return null;
    const query = releaseGroupMbid
      ? `recording:(${track}) AND rgid:"${releaseGroupMbid}"`
      : `recording:(${track}) AND artist:(${artist})`;
    const result = await this.source.get(`recording?query=${encodeURIComponent(query)}&limit=25&fmt=json`, signal);
    if (!result) return null;
    const candidates: RecordingCandidate[] = SearchSchema.parse(result.body).recordings.flatMap((hit) => {
      const credit = hit["artist-credit"].map((c) => `${c.name}${c.joinphrase ?? ""}`).join("");
      return [credit, ...hit["artist-credit"].map((c) => c.artist.name)].map((artistName) => ({
        recordingMbid: hit.id,
        name: hit.title,
        artistName,
      }));
    });
    return chooseRecording(pair, dedupe(candidates), releaseGroupMbid !== null);
  }

  async close(): Promise<void> {}
}

/** One candidate per recording and artist spelling: chooseRecording treats repeats of one id as one. */
function dedupe(candidates: RecordingCandidate[]): RecordingCandidate[] {
  const seen = new Set<string>();
  return candidates.filter((c) => {
    const key = `${c.recordingMbid}\u0000${c.artistName}`;
    return !seen.has(key) && seen.add(key);
  });
}
