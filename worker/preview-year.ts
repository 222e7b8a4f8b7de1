// preview-year: a new import's first chart, from the year's album chart, published within seconds.
// It runs beside the full import (its own queue, so it never waits behind bulk pages) and is replaced
// by the exact chart when that import completes.
import type { Job } from "bullmq";
import { isOptedOut } from "@/lib/account/choices";
import { buildPreview, savePreview } from "@/lib/imports/preview";
import { announce, getFetchJob } from "@/lib/imports/store";
import { PreviewYearSchema } from "@/lib/jobs";
import { LastfmError } from "@/lib/lastfm/client";
import { findUser } from "@/lib/lastfm/users";
import { db } from "@/lib/server/db";
import { log } from "@/lib/server/log";

const RUNNING = new Set(["queued", "fetching", "enriching"]);

export async function previewYear(bullJob: Job): Promise<void> {
  const { username, year } = PreviewYearSchema.parse(bullJob.data);
  // An opted-out listener costs no Last.fm call, whatever was queued before the opt-out.
  if (await isOptedOut(username)) return;
  const user = await findUser(username);
  const job = user && (await getFetchJob(user.id, year));
  if (!user || !job || job.albumChart !== null || !RUNNING.has(job.status)) return;
  const started = performance.now();
  try {
    const preview = await buildPreview(job, user.name);
    const saved = await savePreview(job, preview);
    // An import that finished meanwhile has announced its exact chart: a preview event after it would
    // only move the stream's last id past the final one.
    const current = saved && (await getFetchJob(user.id, year));
    if (current && RUNNING.has(current.status)) await announce(current, user.name, "preview");
    log.info(
      {
        username,
        year,
        ms: Math.round(performance.now() - started),
        chartPlays: preview.chartPlays,
        yearPlays: preview.yearPlays,
      },
      "preview published",
    );
  } catch (error) {
    // A private or missing user, a bad key: the full import reports it. Not asked again for this import.
    if (error instanceof LastfmError && !error.isRetryable) {
      await db().fetchJob.update({ where: { id: job.id }, data: { albumChart: { failed: error.kind } } });
      return;
    }
    throw error;
  }
}
