-- CreateTable
CREATE TABLE "album_name_cache" (
    "artist_key" TEXT NOT NULL,
    "title_key" TEXT NOT NULL,
    "release_group_mbid" UUID,
    "release_group_name" TEXT,
    "original_year" SMALLINT,
    "confidence" REAL,
    "looked_up_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retry_after" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "album_name_cache_pkey" PRIMARY KEY ("artist_key","title_key")
);

-- CreateIndex
CREATE INDEX "album_name_cache_retry_idx" ON "album_name_cache"("retry_after");


