-- When Last.fm was last read for an import's window: a year is final once that is 14 days past its end.
-- Existing rows were read when they were created, or when a refresh last moved their window's end.
ALTER TABLE "fetch_jobs" ADD COLUMN "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
UPDATE "fetch_jobs" SET "synced_at" = GREATEST("created_at", "window_to");

-- When the active-years list was last computed (apart from the profile's own freshness).
ALTER TABLE "lastfm_users" ADD COLUMN "years_seen_at" TIMESTAMPTZ(3);

-- A finished year's distribution in a zone other than UTC, computed on the first visit in that zone.
CREATE TABLE "zone_snapshots" (
    "job_id" INTEGER NOT NULL,
    "time_zone" VARCHAR(64) NOT NULL,
    "distribution" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "zone_snapshots_pkey" PRIMARY KEY ("job_id","time_zone")
);

ALTER TABLE "zone_snapshots" ADD CONSTRAINT "zone_snapshots_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "fetch_jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
