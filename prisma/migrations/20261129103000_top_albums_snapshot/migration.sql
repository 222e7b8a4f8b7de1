-- A finished year's most played albums per release year, saved with its distribution snapshot: the
-- shared page of a finished year then reads one row instead of a window function over every play.
ALTER TABLE "fetch_jobs" ADD COLUMN "top_albums" JSONB;
