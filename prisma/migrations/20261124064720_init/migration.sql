-- CreateEnum
CREATE TYPE "lastfm_user_state" AS ENUM ('active', 'not_found', 'private');

-- CreateEnum
CREATE TYPE "augmentation_status" AS ENUM ('pending', 'matched', 'fuzzy_matched', 'not_found');

-- CreateEnum
CREATE TYPE "fetch_status" AS ENUM ('queued', 'fetching', 'enriching', 'complete', 'partial', 'failed');

-- CreateTable
CREATE TABLE "lastfm_users" (
    "id" SERIAL NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "name_key" VARCHAR(64) NOT NULL,
    "registered_at" TIMESTAMPTZ(0),
    "playcount" INTEGER,
    "state" "lastfm_user_state" NOT NULL DEFAULT 'active',
    "active_years" SMALLINT[] DEFAULT ARRAY[]::SMALLINT[],
    "checked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lastfm_users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "scrobbles" (
    "id" BIGSERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "scrobbled_at" TIMESTAMPTZ(0) NOT NULL,
    "track" TEXT NOT NULL,
    "artist" TEXT NOT NULL,
    "album" TEXT NOT NULL DEFAULT '',
    "track_mbid" UUID,
    "album_mbid" UUID,
    "artist_mbid" UUID,
    "release_group_mbid" UUID,
    "release_year" SMALLINT,
    "augmentation_status" "augmentation_status" NOT NULL DEFAULT 'pending',
    "match_method" VARCHAR(16),
    "match_confidence" REAL,

    CONSTRAINT "scrobbles_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "album_year_cache" (
    "album_mbid" UUID NOT NULL,
    "matched_as" VARCHAR(32),
    "release_group_mbid" UUID,
    "release_group_name" TEXT,
    "original_year" SMALLINT,
    "looked_up_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retry_after" TIMESTAMPTZ(3),

    CONSTRAINT "album_year_cache_pkey" PRIMARY KEY ("album_mbid")
);

-- CreateTable
CREATE TABLE "fetch_jobs" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "year" SMALLINT NOT NULL,
    "status" "fetch_status" NOT NULL DEFAULT 'queued',
    "window_from" TIMESTAMPTZ(0) NOT NULL,
    "window_to" TIMESTAMPTZ(0) NOT NULL,
    "total_pages" INTEGER,
    "page_size" INTEGER NOT NULL DEFAULT 200,
    "expected_total" INTEGER,
    "pages_fetched" INTEGER NOT NULL DEFAULT 0,
    "scrobbles_fetched" INTEGER NOT NULL DEFAULT 0,
    "albums_total" INTEGER NOT NULL DEFAULT 0,
    "albums_dated" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error_code" VARCHAR(64),
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "fetch_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fetch_job_pages" (
    "job_id" INTEGER NOT NULL,
    "page" INTEGER NOT NULL,
    "scrobbles" INTEGER NOT NULL,
    "fetched_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "fetch_job_pages_pkey" PRIMARY KEY ("job_id","page")
);

-- CreateIndex
CREATE UNIQUE INDEX "lastfm_users_name_key_key" ON "lastfm_users"("name_key");

-- CreateIndex
CREATE INDEX "scrobbles_user_time_year_idx" ON "scrobbles"("user_id", "scrobbled_at", "release_year", "augmentation_status", "release_group_mbid");

-- CreateIndex
CREATE INDEX "scrobbles_album_mbid_status_idx" ON "scrobbles"("album_mbid", "augmentation_status");

-- CreateIndex
CREATE UNIQUE INDEX "scrobbles_natural_key" ON "scrobbles"("user_id", "scrobbled_at", "track", "artist");

-- CreateIndex
CREATE INDEX "album_year_cache_retry_idx" ON "album_year_cache"("retry_after");

-- CreateIndex
CREATE INDEX "fetch_jobs_status_idx" ON "fetch_jobs"("status", "updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "fetch_jobs_user_year_key" ON "fetch_jobs"("user_id", "year");

-- AddForeignKey
ALTER TABLE "scrobbles" ADD CONSTRAINT "scrobbles_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "lastfm_users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fetch_jobs" ADD CONSTRAINT "fetch_jobs_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "lastfm_users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fetch_job_pages" ADD CONSTRAINT "fetch_job_pages_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "fetch_jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
