// The configured song source, like musicbrainz()'s album source: the mirror when MUSICBRAINZ_DATABASE_URL
// is set, else the web service through the same 1 request/s budget.
import { env } from "@/lib/server/env";
import { musicbrainz, type WebServiceSource } from "@/lib/musicbrainz/sources";
import { MirrorRecordingSource } from "./mirror";
import type { RecordingSource } from "./songs";
import { WebServiceRecordingSource } from "./webservice";

const globalForSource = globalThis as unknown as { recordingSource?: RecordingSource & { close(): Promise<void> } };

export function recordingSource(): RecordingSource {
  const { MUSICBRAINZ_DATABASE_URL } = env();
  globalForSource.recordingSource ??= MUSICBRAINZ_DATABASE_URL
    ? new MirrorRecordingSource(MUSICBRAINZ_DATABASE_URL)
    : new WebServiceRecordingSource(musicbrainz() as WebServiceSource);
  return globalForSource.recordingSource;
}

export async function closeRecordingSource(): Promise<void> {
  await globalForSource.recordingSource?.close();
  globalForSource.recordingSource = undefined;
}
