// The configured song source, like musicbrainz()'s album source: the mirror when MUSICBRAINZ_DATABASE_URL
// is set. The web service has none yet: its plays keep no song year (the chart counts them by album).
import { env } from "@/lib/server/env";
import { MirrorRecordingSource } from "./mirror";
import type { RecordingSource } from "./songs";

const globalForSource = globalThis as unknown as { recordingSource?: MirrorRecordingSource | null };

export function recordingSource(): RecordingSource | null {
  const { MUSICBRAINZ_DATABASE_URL } = env();
  if (globalForSource.recordingSource === undefined)
    globalForSource.recordingSource = MUSICBRAINZ_DATABASE_URL
      ? new MirrorRecordingSource(MUSICBRAINZ_DATABASE_URL)
      : null;
  return globalForSource.recordingSource;
}

export async function closeRecordingSource(): Promise<void> {
  await globalForSource.recordingSource?.close();
  globalForSource.recordingSource = undefined;
}
