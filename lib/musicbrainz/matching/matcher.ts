// The configured name matcher, like musicbrainz()'s source: the mirror when MUSICBRAINZ_DATABASE_URL is
// set, else the web service (sharing its 1 request/s budget).
import { env } from "@/lib/server/env";
import { MirrorSource, musicbrainz, type WebServiceSource } from "@/lib/musicbrainz/sources";
import type { NameMatch, NamePair } from "./choose";
import { MirrorNameMatcher } from "./mirror-matcher";
import { WebServiceNameMatcher } from "./webservice-matcher";

export interface NameMatcher {
  readonly kind: "mirror" | "webservice";
  /** One answer per pair, in order (null: no match above the threshold). Throws MusicbrainzUnavailableError. */
  matchPairs(pairs: NamePair[], signal?: AbortSignal): Promise<(NameMatch | null)[]>;
  close(): Promise<void>;
}

const globalForMatcher = globalThis as unknown as { nameMatcher?: NameMatcher };

export function nameMatcher(): NameMatcher {
  if (!globalForMatcher.nameMatcher) {
    const source = musicbrainz();
    const { MUSICBRAINZ_DATABASE_URL } = env();
    globalForMatcher.nameMatcher =
      source instanceof MirrorSource && MUSICBRAINZ_DATABASE_URL
        ? new MirrorNameMatcher(MUSICBRAINZ_DATABASE_URL)
        : new WebServiceNameMatcher(source as WebServiceSource);
  }
  return globalForMatcher.nameMatcher;
}

export async function closeNameMatcher(): Promise<void> {
  await globalForMatcher.nameMatcher?.close();
  globalForMatcher.nameMatcher = undefined;
}
