// npm run mb:index – adds the indexes matching by name needs to the MusicBrainz mirror in
// MUSICBRAINZ_DATABASE_URL (pg_trgm, accent-folded names of credits and titles, trigrams of artists and
// aliases: only what the official schema lacks). Safe on a live,
// replicated mirror: CONCURRENTLY, IF NOT EXISTS, outside the official schema's own indexes.
import { createNameIndexes, withMirrorClient } from "@/lib/musicbrainz/matching/mirror-index";

const url = process.env.MUSICBRAINZ_DATABASE_URL;
if (!url) {
  console.error("MUSICBRAINZ_DATABASE_URL is not set: point it at your MusicBrainz mirror.");
  process.exit(2);
}
await withMirrorClient(url, (client) =>
  createNameIndexes(client, {
    onProgress: ({ name, done, total, ms }) =>
      console.log(`[${done}/${total}] ${name} ready (${(ms / 1000).toFixed(1)} s)`),
  }),
);
console.log("mb:index: done");
