-- A page checkpoint names its page size: an import reads 1,000 plays a request and falls back to 500
-- or 200 per request, and page 3 of 500 is not page 3 of 200. Checkpoints written before were all 200.
ALTER TABLE "fetch_job_pages" ADD COLUMN "page_size" INTEGER NOT NULL DEFAULT 200;
ALTER TABLE "fetch_job_pages" DROP CONSTRAINT "fetch_job_pages_pkey";
ALTER TABLE "fetch_job_pages" ADD CONSTRAINT "fetch_job_pages_pkey" PRIMARY KEY ("job_id", "page_size", "page");

-- The preview: the year's album chart dated, with the year's total, shown until the import is exact.
ALTER TABLE "fetch_jobs" ADD COLUMN "album_chart" JSONB;
